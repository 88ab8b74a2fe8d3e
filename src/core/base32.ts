import { TokenwardError } from './errors.js';

/** RFC 4648 section 6 alphabet. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const VALUES = new Map([...ALPHABET].map((char, index) => [char, index]));

/** Encodes bytes as RFC 4648 base32, without `=` padding (as otpauth URIs and our codes use it). */
export function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Decodes RFC 4648 base32. Accepts lower case and trailing `=` padding; anything else that is not
 * in the alphabet, a length no encoder produces, or non-zero trailing bits (RFC 4648 section 3.5,
 * so every value has one encoding) is refused with TW_BASE32_INVALID.
 */
export function decodeBase32(text: string): Uint8Array {
  const body = text.toUpperCase().replace(/=+$/, '');
  const tailBits = (body.length * 5) % 8;
  // Encoders leave 0, 2, 4, 1 or 3 spare bits (for 0..4 bytes in the last 5-byte quantum).
  if (tailBits >= 5) {
    throw new TokenwardError('TW_BASE32_INVALID', { detail: `impossible length ${body.length}` });
  }
  const out = new Uint8Array(Math.floor((body.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const char of body) {
    const value = VALUES.get(char);
    if (value === undefined) {
      throw new TokenwardError('TW_BASE32_INVALID', { detail: 'character outside A-Z2-7' });
    }
    buffer = ((buffer << 5) | value) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (buffer >> bits) & 0xff;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) {
    throw new TokenwardError('TW_BASE32_INVALID', { detail: 'non-zero trailing bits' });
  }
  return out;
}
