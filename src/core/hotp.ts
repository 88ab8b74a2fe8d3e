import { createHmac } from 'node:crypto';
import type { OtpAlgorithm, OtpDigits } from './otp-parameters.js';

const HMAC_NAMES: Record<OtpAlgorithm, string> = {
  SHA1: 'sha1',
  SHA256: 'sha256',
  SHA512: 'sha512',
};
const MODULI: Record<OtpDigits, number> = { 6: 1_000_000, 8: 100_000_000 };

export interface HotpInput {
  readonly seed: Uint8Array;
  /** The moving factor: the HOTP counter, or the TOTP time step (RFC 6238 section 4.2). */
  readonly counter: number;
  readonly algorithm: OtpAlgorithm;
  readonly digits: OtpDigits;
}

/**
 * RFC 4226 section 5.3: HMAC over the 8-byte big-endian counter, dynamic truncation, modulo
 * 10^digits. Returned as a number so verifiers compare integers (constant time) without
 * formatting every candidate.
 */
export function hotpValue({ seed, counter, algorithm, digits }: HotpInput): number {
  const message = Buffer.allocUnsafe(8);
  message.writeUInt32BE(Math.floor(counter / 2 ** 32), 0);
  message.writeUInt32BE(counter >>> 0, 4);
  const mac = createHmac(HMAC_NAMES[algorithm], seed).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  return (mac.readUInt32BE(offset) & 0x7fffffff) % MODULI[digits];
}

/** The HOTP code as the person types it: `digits` digits, zero-padded. */
export function generateHotp(input: HotpInput): string {
  return String(hotpValue(input)).padStart(input.digits, '0');
}
