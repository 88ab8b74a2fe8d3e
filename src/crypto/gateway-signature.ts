import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { TokenwardError } from '../core/errors.js';

/** DESIGN section 5: at most this far between the gateway's clock and the provisioner's. */
export const MAX_CLOCK_SKEW_SECONDS = 300;
const SCHEME = 'TW1-HMAC-SHA256';

/**
 * Mints a gateway enrolment secret: `twgs_` + 64 random bytes in base64url (91 characters).
 * Being longer than SHA-256's 64-byte block, HMAC replaces it by its SHA-256 (RFC 2104
 * section 2), which is what lets the provisioner keep only `gatewaySecretHash(secret)`.
 */
export function mintGatewaySecret(): string {
  return `twgs_${randomBytes(64).toString('base64url')}`;
}

/** The HMAC key the provisioner stores in place of the secret. */
export function gatewaySecretHash(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

export interface GatewayAuthorization {
  readonly serial: string;
  /** Unix seconds when the gateway signed. */
  readonly timestamp: number;
  /** 16 random bytes (base64url) that make each request unique; a second use is a replay. */
  readonly nonce: string;
  readonly signature: Buffer;
}

/**
 * `Authorization: TW1-HMAC-SHA256 sn=<serial>,ts=<unix>,nonce=<base64url>,sig=<base64
 * HMAC-SHA256(secret, ts "\n" nonce "\n" sha256hex(body))>`. Signing the body's digest binds the
 * header to exactly these bytes; the nonce lets the provisioner take each signed request once.
 */
export function signGatewayRequest(input: {
  serial: string;
  secret: string;
  body: string | Uint8Array;
  now: number;
}): string {
  const timestamp = Math.floor(input.now / 1000);
  const nonce = randomBytes(16).toString('base64url');
  const signature = mac(input.secret, timestamp, nonce, input.body).toString('base64');
  return `${SCHEME} sn=${input.serial},ts=${timestamp},nonce=${nonce},sig=${signature}`;
}

/** Reads the header; the caller then looks up the secret of `serial` and calls `verify...`. */
export function parseGatewayAuthorization(header: string | undefined): GatewayAuthorization {
  const text = header?.trim() ?? '';
  const match =
    /^TW1-HMAC-SHA256 sn=([A-Z0-9]{16}),ts=(\d{1,12}),nonce=([A-Za-z0-9_-]{22}),sig=([A-Za-z0-9+/]{43}=)$/.exec(
      text,
    );
  if (match === null) {
    throw new TokenwardError('TW_GATEWAY_AUTH_MALFORMED', {
      ...(/^TW1-HMAC-SHA256 sn=[A-Z0-9]{16},ts=\d{1,12},sig=/.test(text)
        ? {
            message:
              'This gateway signs requests without a nonce (Tokenward before 0.2), which lets a recorded request be replayed. Upgrade the gateway.',
          }
        : {}),
    });
  }
  const [, serial = '', timestamp = '', nonce = '', signature = ''] = match;
  return {
    serial,
    timestamp: Number(timestamp),
    nonce,
    signature: Buffer.from(signature, 'base64'),
  };
}

/**
 * Throws TW_GATEWAY_AUTH_STALE or TW_GATEWAY_AUTH_INVALID unless the request is authentic.
 * `key` is the secret, or its `gatewaySecretHash` when the secret is a minted one.
 */
export function verifyGatewayRequest(input: {
  authorization: GatewayAuthorization;
  key: string | Uint8Array;
  body: string | Uint8Array;
  now: number;
}): void {
  const { authorization } = input;
  // Positive: the gateway's clock is ahead of ours. Told to the gateway, so its admin can act.
  const skew = authorization.timestamp - Math.floor(input.now / 1000);
  if (Math.abs(skew) > MAX_CLOCK_SKEW_SECONDS) {
    throw new TokenwardError('TW_GATEWAY_AUTH_STALE', {
      message: `The gateway's clock is ${Math.abs(skew)} s ${skew > 0 ? 'ahead of' : 'behind'} the token server's (at most ${MAX_CLOCK_SKEW_SECONDS} s is allowed). Synchronise the gateway clock (NTP) and retry.`,
      data: { skew_seconds: skew },
      detail: `skew ${skew} s`,
    });
  }
  const expected = mac(input.key, authorization.timestamp, authorization.nonce, input.body);
  if (!timingSafeEqual(expected, authorization.signature)) {
    throw new TokenwardError('TW_GATEWAY_AUTH_INVALID', {
      detail: `bad signature for ${authorization.serial}`,
    });
  }
}

function mac(
  key: string | Uint8Array,
  timestamp: number,
  nonce: string,
  body: string | Uint8Array,
): Buffer {
  const digest = createHash('sha256').update(body).digest('hex');
  return createHmac('sha256', key).update(`${timestamp}\n${nonce}\n${digest}`).digest();
}
