import assert from 'node:assert/strict';
import type { MobileToken, PendingPush } from '../../src/mobile/mobile-token.js';

/** The phone's pending pushes once there are at least `count`; fails after `timeoutMs`. */
export async function pendingPushes(
  phone: Pick<MobileToken, 'pendingPushes'>,
  count = 1,
  timeoutMs = 30_000,
): Promise<[PendingPush, ...PendingPush[]]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await phone.pendingPushes(1);
    const [first] = pending;
    if (first !== undefined && pending.length >= count) return [first, ...pending.slice(1)];
    if (Date.now() > deadline)
      assert.fail(`${pending.length} of ${count} pushes in ${timeoutMs} ms`);
  }
}
