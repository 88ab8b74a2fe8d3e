import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The proof a phone attaches to a push reply: HMAC-SHA256 keyed with the token's seed over the
 * push id and the action (DESIGN section 5). Only a holder of the seed can make it, so the
 * gateway trusts the answer without trusting the relay.
 */
export function pushReplyHmac(
  seed: Uint8Array,
  pushId: string,
  action: 'approve' | 'deny',
): string {
  return createHmac('sha256', seed).update(`${pushId}\n${action}`).digest('base64');
}

export function verifyPushReplyHmac(
  seed: Uint8Array,
  pushId: string,
  action: 'approve' | 'deny',
  hmac: string,
): boolean {
  const expected = Buffer.from(pushReplyHmac(seed, pushId, action), 'base64');
  const given = Buffer.from(hmac, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
