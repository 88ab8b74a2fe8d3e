import {
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { TokenwardError } from '../core/errors.js';
import { exportRawPublicKey, importRawPublicKey } from './x25519.js';

/**
 * ECIES over X25519: an ephemeral key agreement with the recipient's public key, HKDF-SHA256
 * (RFC 5869) to an AES-256-GCM key, and the caller's AAD (DESIGN section 5: token serial +
 * recipient id) bound into the tag. Layout: version(1) | ephemeral public(32) | nonce(12) |
 * ciphertext | tag(16).
 */
const VERSION = 1;
const HEADER_LENGTH = 1 + 32 + 12;
const TAG_LENGTH = 16;
const INFO = Buffer.from('tokenward seal v1');

export function seal(
  recipientPublicKey: Uint8Array,
  plaintext: Uint8Array,
  aad: string,
): Uint8Array {
  const recipient = importRawPublicKey(recipientPublicKey, 'X25519');
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralPublic = exportRawPublicKey(ephemeral.publicKey);
  const key = deriveKey(ephemeral.privateKey, recipient, ephemeralPublic, recipientPublicKey);
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(Buffer.from(aad));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([
    Buffer.of(VERSION),
    ephemeralPublic,
    nonce,
    ciphertext,
    cipher.getAuthTag(),
  ]);
}

/** Opens what `seal` made; a wrong key, a changed byte or another AAD is TW_SEALED_DATA_INVALID. */
export function open(recipientPrivateKey: KeyObject, sealed: Uint8Array, aad: string): Uint8Array {
  const data = Buffer.from(sealed);
  if (data.length < HEADER_LENGTH + TAG_LENGTH || data[0] !== VERSION) {
    throw new TokenwardError('TW_SEALED_DATA_INVALID', { detail: 'truncated or unknown version' });
  }
  try {
    const ephemeralPublic = data.subarray(1, 33);
    const recipientPublic = exportRawPublicKey(createPublicKey(recipientPrivateKey));
    const key = deriveKey(
      recipientPrivateKey,
      importRawPublicKey(ephemeralPublic, 'X25519'),
      ephemeralPublic,
      recipientPublic,
    );
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(33, HEADER_LENGTH), {
      authTagLength: TAG_LENGTH,
    });
    decipher.setAAD(Buffer.from(aad)).setAuthTag(data.subarray(data.length - TAG_LENGTH));
    return Buffer.concat([
      decipher.update(data.subarray(HEADER_LENGTH, data.length - TAG_LENGTH)),
      decipher.final(),
    ]);
  } catch (error) {
    throw new TokenwardError('TW_SEALED_DATA_INVALID', {
      detail: 'authentication failed',
      cause: error,
    });
  }
}

function deriveKey(
  privateKey: KeyObject,
  publicKey: KeyObject,
  ephemeralPublic: Uint8Array,
  recipientPublic: Uint8Array,
): Buffer {
  const shared = diffieHellman({ privateKey, publicKey });
  // Both public keys in the salt bind the key to this exchange (as in RFC 9180's KEM context).
  const salt = Buffer.concat([ephemeralPublic, recipientPublic]);
  return Buffer.from(hkdfSync('sha256', shared, salt, INFO, 32));
}
