import { randomInt, timingSafeEqual } from 'node:crypto';
import type { AtRestCipher } from '../../crypto/at-rest-cipher.js';
import type { AuthSession } from '../../store/repositories/auth-session-repository.js';

/**
 * The one-time login codes of two-factor `email` and `sms`: 6 random digits, kept encrypted in
 * the login session they belong to (bound to it by the AAD), valid until the session's
 * `codeExpiresAt`, used once since the session is.
 */
export function newLoginCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** The AAD of a session's sealed code (part of the database format). */
export const loginCodeAad = (idHash: string) => `auth-session-code:${idHash}`;

export function sealLoginCode(cipher: AtRestCipher, code: string, idHash: string): string {
  return cipher.encrypt(Buffer.from(code), loginCodeAad(idHash));
}

export function checkLoginCode(
  cipher: AtRestCipher,
  session: Pick<AuthSession, 'idHash' | 'codeEnc' | 'codeExpiresAt'>,
  code: string,
  now: number,
): 'right' | 'wrong' | 'expired' {
  if (session.codeEnc === null || (session.codeExpiresAt ?? 0) <= now) return 'expired';
  const expected = Buffer.from(cipher.decrypt(session.codeEnc, loginCodeAad(session.idHash)));
  const given = Buffer.from(code);
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'right' : 'wrong';
}
