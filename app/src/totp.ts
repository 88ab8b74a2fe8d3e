/**
 * A TOTP code (RFC 6238) from a non-extractable HMAC key: HOTP (RFC 4226 section 5.3) of the
 * time step, with dynamic truncation to `digits` digits.
 */
export async function totpCode(
  key: CryptoKey,
  digits: number,
  period: number,
  now: number,
): Promise<string> {
  const counter = BigInt(Math.floor(now / 1000 / period));
  const message = new Uint8Array(8);
  new DataView(message.buffer).setBigUint64(0, counter);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, message));
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary =
    (((mac[offset] ?? 0) & 0x7f) << 24) |
    ((mac[offset + 1] ?? 0) << 16) |
    ((mac[offset + 2] ?? 0) << 8) |
    (mac[offset + 3] ?? 0);
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** Seconds left in the current period. */
export function secondsLeft(period: number, now: number): number {
  return period - (Math.floor(now / 1000) % period);
}
