import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engines } from '../helpers/databases.js';
import { gatewayWithAlice } from '../helpers/gateway-harness.js';
import { pendingPushes } from '../helpers/pushes.js';

const context = { frontEnd: 'radius', sourceIp: '192.0.2.99', application: 'VPN' } as const;

// Threat: someone with the password sends push after push until the tired user taps "approve".
for (const { engine, skip } of engines) {
  describe(`push fatigue [${engine}]`, { skip }, () => {
    const f = gatewayWithAlice(engine);

    const pushLogin = async () =>
      f.g.auth.answerPush((await f.g.challenge(f.alice, context)).sessionId);
    it('holds at most 3 unanswered pushes per token; a 4th is refused at once', async () => {
      const waiting = [pushLogin(), pushLogin(), pushLogin()];
      const pending = await pendingPushes(f.alice.phone, 3);
      assert.equal(pending.length, 3);

      const fourth = await pushLogin();
      assert.equal(fourth.result, 'reject');
      const [entry] = await f.g.store.authLog.list({ username: 'alice', limit: 1 });
      assert.equal(entry?.reason, 'push-rate-limited:TW_PUSH_RATE_LIMITED');
      assert.equal(
        (await f.alice.phone.pendingPushes(0)).length,
        3,
        'the phone was not pinged again',
      );

      for (const push of pending) await f.alice.phone.answerPush(push.pushId, 'deny');
      for (const outcome of await Promise.all(waiting)) assert.equal(outcome.result, 'reject');
      assert.equal((await f.g.store.users.find('alice'))?.lockedAt, null, 'denials do not lock');
    });

    it('allows pushes again once the pending ones are answered, up to 10 a minute', async () => {
      for (let i = 0; i < 6; i++) {
        const waiting = pushLogin();
        const [push] = await pendingPushes(f.alice.phone, 1);
        await f.alice.phone.answerPush(push?.pushId ?? '', 'deny');
        assert.equal((await waiting).result, 'reject');
      }
      // 3 + 6 = 9 this minute; the 10th is sent, the 11th refused.
      const tenth = pushLogin();
      const [push] = await pendingPushes(f.alice.phone, 1);
      const eleventh = await pushLogin();
      assert.equal(eleventh.result, 'reject');
      const [entry] = await f.g.store.authLog.list({ username: 'alice', limit: 1 });
      assert.equal(entry?.reason, 'push-rate-limited:TW_PUSH_RATE_LIMITED');
      await f.alice.phone.answerPush(push?.pushId ?? '', 'approve');
      assert.equal((await tenth).result, 'accept');
    });
  });
}
