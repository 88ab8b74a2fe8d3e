import { type OtpAlgorithm, SEED_LENGTH } from '../core/otp-parameters.js';
import type { RandomBytes } from '../core/random.js';
import type { AtRestCipher } from '../crypto/at-rest-cipher.js';

/** Mints a seed as long as the token's HMAC output (RFC 4226 section 4 asks for >= 128 bits). */
export function mintSeed(algorithm: OtpAlgorithm, random: RandomBytes): Uint8Array {
  return random(SEED_LENGTH[algorithm]);
}

/** Seeds are encrypted at rest with the token serial as AAD, so a row cannot borrow another's. */
export const tokenSeedAad = (serial: string) => `token-seed:${serial}`;

export function encryptSeed(cipher: AtRestCipher, serial: string, seed: Uint8Array): string {
  return cipher.encrypt(seed, tokenSeedAad(serial));
}

export function decryptSeed(cipher: AtRestCipher, serial: string, seedEnc: string): Uint8Array {
  return cipher.decrypt(seedEnc, tokenSeedAad(serial));
}
