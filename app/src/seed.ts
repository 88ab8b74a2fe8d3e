import { concat, fromBase64, utf8 } from './bytes.js';

export type OtpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

const HASHES: Record<OtpAlgorithm, string> = {
  SHA1: 'SHA-1',
  SHA256: 'SHA-256',
  SHA512: 'SHA-512',
};

/** Layout of a sealed value (src/crypto/seal.ts): version | ephemeral public | nonce | ct | tag. */
const VERSION = 1;
const HEADER_LENGTH = 1 + 32 + 12;
const INFO = utf8('tokenward seal v1');

/**
 * Opens the seed the provisioner sealed to this phone (ECIES: X25519, HKDF-SHA256 with both
 * public keys as salt, AES-256-GCM with the serial and reg-id as AAD) and imports it at once as
 * two non-extractable HMAC keys: the token's hash for codes, SHA-256 for push proofs. After this
 * no script can read the seed back; the plaintext lives only inside this function and is
 * overwritten before it returns.
 */
export async function openSeedAsKeys(input: {
  readonly sealed: string;
  readonly serial: string;
  readonly registrationId: string;
  readonly sealing: CryptoKeyPair;
  readonly sealingPublic: Uint8Array<ArrayBuffer>;
  readonly algorithm: OtpAlgorithm;
}): Promise<{ key: CryptoKey; proofKey: CryptoKey }> {
  const data = fromBase64(input.sealed);
  if (data.length < HEADER_LENGTH + 16 || data[0] !== VERSION) {
    throw new Error('The token server sent a seed this app cannot open.');
  }
  const ephemeral = data.slice(1, 33);
  const ephemeralKey = await crypto.subtle.importKey(
    'raw',
    ephemeral,
    { name: 'X25519' },
    false,
    [],
  );
  const shared = await crypto.subtle.deriveBits(
    { name: 'X25519', public: ephemeralKey },
    input.sealing.privateKey,
    256,
  );
  const hkdf = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  const aes = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: concat(ephemeral, input.sealingPublic), info: INFO },
    hkdf,
    { name: 'AES-GCM', length: 256 },
    false,
    ['decrypt'],
  );
  const seed = new Uint8Array(
    await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: data.slice(33, HEADER_LENGTH),
        additionalData: utf8(`tokenward-seed:${input.serial}:${input.registrationId}`),
      },
      aes,
      data.slice(HEADER_LENGTH),
    ),
  );
  const hmacKey = (hash: string) =>
    crypto.subtle.importKey('raw', seed, { name: 'HMAC', hash }, false, ['sign']);
  try {
    return { key: await hmacKey(HASHES[input.algorithm]), proofKey: await hmacKey('SHA-256') };
  } finally {
    seed.fill(0);
  }
}
