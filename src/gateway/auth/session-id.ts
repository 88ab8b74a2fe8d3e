import { createHash, randomBytes } from 'node:crypto';

/** A new login session id: 192 random bits, URL-safe (it travels in JSON and RADIUS State). */
export const newSessionId = (): string => randomBytes(24).toString('base64url');

/** What the store keeps instead of the id, which is a bearer secret. */
export const sessionHash = (sessionId: string): string =>
  createHash('sha256').update(sessionId).digest('hex');
