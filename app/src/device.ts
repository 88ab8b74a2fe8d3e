import { canonicalJson } from '../../src/crypto/canonical-json.js';
import type { MobileMessageName } from '../../src/protocol/softtoken/messages.js';
import type { MobileResponses } from '../../src/protocol/softtoken/responses.js';
import { toBase64, toHex, utf8 } from './bytes.js';
import { openDatabase, read, write } from './database.js';

/** The app's version in os-ver (at most 15 characters, DESIGN section 3). */
export const OS_VER = '1.0.0_PWA';

/** This phone: its keys (private halves non-extractable) and what it learned of the server. */
export interface DeviceRecord {
  readonly identity: CryptoKeyPair;
  readonly sealing: CryptoKeyPair;
  /** Raw public keys, base64, as MobileProvision sends them. */
  readonly identityPublic: string;
  readonly sealingPublic: string;
  /** SHA-256 hex of the raw identity public key, as the CLI token makes it. */
  readonly registrationId: string;
  /** The provisioner's clock minus ours, in ms (from `server_time`). */
  clockOffset: number;
}

/** A provisioner's refusal: its code and message, in words the user can act on. */
export class ProvisionerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The device record, made on first use: Ed25519 identity and X25519 sealing keys. */
export async function loadDevice(db: IDBDatabase): Promise<DeviceRecord> {
  const existing = await read<DeviceRecord>(db, 'device', 'device');
  if (existing !== undefined) return existing;
  const identity = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const sealing = (await crypto.subtle.generateKey({ name: 'X25519' }, false, [
    'deriveBits',
  ])) as CryptoKeyPair;
  const identityRaw = await crypto.subtle.exportKey('raw', identity.publicKey);
  const device: DeviceRecord = {
    identity,
    sealing,
    identityPublic: toBase64(identityRaw),
    sealingPublic: toBase64(await crypto.subtle.exportKey('raw', sealing.publicKey)),
    registrationId: toHex(await crypto.subtle.digest('SHA-256', identityRaw)),
    clockOffset: 0,
  };
  await write(db, 'device', device, 'device');
  return device;
}

export { openDatabase };

/**
 * Sends one phone message to the provisioner that served this app (DESIGN section 5): the
 * envelope with reg-id, timestamp and nonce, signed with Ed25519 over its canonical JSON. The
 * answer's `server_time` corrects the clock offset. A refusal is a ProvisionerError.
 */
export async function sendMobile<N extends MobileMessageName>(
  db: IDBDatabase,
  device: DeviceRecord,
  name: N,
  fields: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<MobileResponses[N]> {
  const nonce = new Uint8Array(16);
  crypto.getRandomValues(nonce);
  const message: Record<string, unknown> = {
    __type: `SoftToken.${name}Request`,
    __version: '4',
    registration_id: device.registrationId,
    timestamp: Math.floor((Date.now() + device.clockOffset) / 1000),
    nonce: toBase64(nonce).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', ''),
    ...fields,
  };
  const signature = await crypto.subtle.sign(
    { name: 'Ed25519' },
    device.identity.privateKey,
    utf8(canonicalJson(message)),
  );
  const response = await fetch('/SoftToken/Provisioning.asmx/Mobile', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ d: { ...message, signature: toBase64(signature) } }),
    ...(signal === undefined ? {} : { signal }),
  });
  const answer = (await response.json()) as { d?: Record<string, unknown> };
  const d = answer.d ?? {};
  if (typeof d.server_time === 'number') {
    const offset = Math.round((d.server_time * 1000 - Date.now()) / 1000) * 1000;
    device.clockOffset = Math.abs(offset) < 2000 ? 0 : offset;
    await write(db, 'device', device, 'device');
  }
  if (d.result !== 2) {
    const error = (d.error ?? {}) as { code?: string; message?: string };
    throw new ProvisionerError(
      error.code ?? 'TW_PROTOCOL_MALFORMED',
      error.message ?? `The token server answered HTTP ${response.status}.`,
    );
  }
  // The provisioner is this page's own origin (CSP default-src 'self'); its answers follow
  // response-schemas.ts, which the CLI token checks with Ajv.
  return d as unknown as MobileResponses[N];
}
