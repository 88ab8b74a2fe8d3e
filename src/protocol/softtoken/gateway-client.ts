import { TokenwardError } from '../../core/errors.js';
import { signGatewayRequest } from '../../crypto/gateway-signature.js';
import type { GatewayMessageName, GatewayRequests, MessageError } from './messages.js';
import { createResponseChecker, type SoftTokenResponse } from './response-checker.js';
import type { GatewayResponses } from './responses.js';

export type { SoftTokenResponse } from './response-checker.js';

/** A gateway's identity towards the provisioner. */
export interface GatewayCredentials {
  readonly serial: string;
  /** The enrolment secret `provisioner gateway add` printed. */
  readonly secret: string;
  /** Every cluster member's serial, the sender included (`__clustered_sns`). */
  readonly clusterSerials?: readonly string[];
  /** The gateway's X25519 public key (base64), sent so the provisioner can register it. */
  readonly sealingKey?: string;
  readonly deviceVersion?: string;
  readonly deviceBuild?: string;
}

export type GatewayMessageFields<N extends GatewayMessageName> = Omit<
  GatewayRequests[N],
  'serial_number' | '__device_version' | '__device_build' | '__clustered_sns' | '__sealing_key'
>;

/** An answer before it is checked against its message's schema: `result`, maybe `error`. */
export interface UncheckedResponse {
  readonly result: number;
  readonly error?: MessageError | null;
  readonly [field: string]: unknown;
}

/** The answer to gateway message N. */
export type GatewayAnswer<N extends GatewayMessageName> = SoftTokenResponse<GatewayResponses[N]>;

/**
 * Sends gateway messages to a provisioner: builds the ASMX envelope with the gateway fields and
 * signs the exact body bytes (DESIGN section 5). Network failures reject; SoftToken errors come
 * back as `result` 0 for the caller to read.
 */
export function createGatewayClient(
  baseUrl: string,
  credentials: GatewayCredentials,
  clock: () => number = Date.now,
) {
  const endpoint = new URL('/SoftToken/Provisioning.asmx/Process', baseUrl);
  const checker = createResponseChecker();
  return {
    async send<N extends GatewayMessageName>(
      name: N,
      fields: GatewayMessageFields<N>,
      signal?: AbortSignal,
    ): Promise<GatewayAnswer<N>> {
      const body = JSON.stringify({
        d: {
          __type: `SoftToken.${name}Request`,
          __version: '4',
          serial_number: credentials.serial,
          __device_version: credentials.deviceVersion ?? '1.0',
          __device_build: credentials.deviceBuild ?? '1',
          __clustered_sns: (credentials.clusterSerials ?? [credentials.serial]).map((sn) => ({
            sn,
          })),
          ...(credentials.sealingKey === undefined
            ? {}
            : { __sealing_key: credentials.sealingKey }),
          ...fields,
        },
      });
      const answer = await postSoftToken(
        endpoint,
        body,
        {
          authorization: signGatewayRequest({
            serial: credentials.serial,
            secret: credentials.secret,
            body,
            now: clock(),
          }),
        },
        signal,
      );
      return { status: answer.status, d: checker.gateway(name, answer.d) };
    },
  };
}

export type GatewayClient = ReturnType<typeof createGatewayClient>;

/**
 * POSTs one SoftToken body and returns the status and the `d` object of the answer, unchecked
 * beyond `result` (the sender checks it against the message's schema).
 */
export async function postSoftToken(
  endpoint: URL,
  body: string,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<SoftTokenResponse<UncheckedResponse>> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body,
    ...(signal === undefined ? {} : { signal }),
  });
  const parsed = (await response.json().catch(() => undefined)) as
    | { d?: { result?: unknown; error?: MessageError | null } }
    | undefined;
  const d = parsed?.d;
  if (typeof d !== 'object' || d === null || typeof d.result !== 'number') {
    throw new TokenwardError('TW_NOT_A_PROVISIONER', {
      message: `${endpoint.origin} answered HTTP ${response.status}, but not as a Tokenward provisioner. Check the address: it is the provisioner's (tokenward provisioner serve, port 8440 by default), not the gateway's.`,
    });
  }
  return { status: response.status, d: { ...d, result: d.result } };
}
