import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { TokenwardError } from '../core/errors.js';

/** An X25519 key pair for sealing: the public half travels as 32 raw bytes (base64 on the wire). */
export interface SealingKeyPair {
  readonly publicKey: Uint8Array;
  readonly privateKey: KeyObject;
}

export function generateSealingKeyPair(): SealingKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return { publicKey: exportRawPublicKey(publicKey), privateKey };
}

export function exportRawPublicKey(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(jwk.x ?? '', 'base64url');
}

/** Imports a 32-byte raw public key of curve `crv` (X25519 for sealing, Ed25519 for identity). */
export function importRawPublicKey(raw: Uint8Array, crv: 'X25519' | 'Ed25519'): KeyObject {
  if (raw.length !== 32) {
    throw new TokenwardError('TW_INPUT_INVALID', {
      message: `A ${crv} public key is 32 bytes.`,
      detail: `got ${raw.length} bytes`,
    });
  }
  return createPublicKey({
    key: { kty: 'OKP', crv, x: Buffer.from(raw).toString('base64url') },
    format: 'jwk',
  });
}

/** Private keys are kept as PKCS#8 DER (in a vault or at-rest encrypted column). */
export function exportPrivateKey(key: KeyObject): Uint8Array {
  return key.export({ format: 'der', type: 'pkcs8' });
}

export function importPrivateKey(der: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
}
