import { createHash, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { exportRawPublicKey, importRawPublicKey } from './x25519.js';

/** A device's Ed25519 identity key pair; reg-id = SHA-256 hex of the raw public key. */
export interface IdentityKeyPair {
  readonly publicKey: Uint8Array;
  readonly privateKey: KeyObject;
}

export function generateIdentityKeyPair(): IdentityKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: exportRawPublicKey(publicKey), privateKey };
}

/** Signs the canonical JSON of `value` (RFC 8032 Ed25519); returns base64. */
export function signCanonical(privateKey: KeyObject, value: unknown): string {
  return sign(null, Buffer.from(canonicalJson(value)), privateKey).toString('base64');
}

/** True only for a valid signature by `publicKey` over the canonical JSON of `value`. */
export function verifyCanonical(publicKey: Uint8Array, value: unknown, signature: string): boolean {
  const bytes = Buffer.from(signature, 'base64');
  if (bytes.length !== 64) return false;
  return verify(
    null,
    Buffer.from(canonicalJson(value)),
    importRawPublicKey(publicKey, 'Ed25519'),
    bytes,
  );
}

/** A phone's reg-id: SHA-256 of its raw identity public key, 64 lower-case hex (DESIGN section 3). */
export function registrationId(identityPublicKey: Uint8Array): string {
  return createHash('sha256').update(identityPublicKey).digest('hex');
}
