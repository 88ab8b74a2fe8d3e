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

/** RFC 4226 section 5.3: HMAC over the 8-byte big-endian counter, then dynamic truncation. */
export function generateHotp({ seed, counter, algorithm, digits }: HotpInput): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(HMAC_NAMES[algorithm], seed).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % MODULI[digits]).padStart(digits, '0');
}
