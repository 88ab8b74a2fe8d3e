import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PendingPush } from '../../src/mobile/mobile-token.js';
import { assertRejectsCode } from '../helpers/assert-code.js';
import { engines } from '../helpers/databases.js';
import { gatewayWithAlice } from '../helpers/gateway-harness.js';
import { pendingPushes } from '../helpers/pushes.js';

const context = { frontEnd: 'http', sourceIp: '198.51.100.23', application: 'Intranet' } as const;

for (const { engine, skip } of engines) {
  describe(`push login through the provisioner relay [${engine}]`, { skip }, () => {
    const f = gatewayWithAlice(engine);

    /** Logs in with the password and asks for a push; returns the wait and the challenge. */
    const startPush = async () => {
      const challenge = await f.g.challenge(f.alice, context);
      return { challenge, waiting: f.g.auth.answerPush(challenge.sessionId) };
    };
    /** What the phone shows once the push arrives. */
    const arrived = async (): Promise<PendingPush> => (await pendingPushes(f.alice.phone))[0];
    const lastReason = async () =>
      (await f.g.store.authLog.list({ username: 'alice', limit: 1 }))[0]?.reason;

    it('accepts when the phone approves, showing who, from where, with what', async () => {
      const { waiting } = await startPush();
      const push = await arrived();
      assert.equal(push.serial, f.alice.serial);
      assert.deepEqual(
        [push.context.username, push.context.user_ip, push.context.user_agent],
        ['alice', '198.51.100.23', 'Intranet'],
      );
      await f.alice.phone.answerPush(push.pushId, 'approve');
      assert.deepEqual(await waiting, {
        result: 'accept',
        username: 'alice',
        reason: 'push-approved',
        groups: [],
        replyAttributes: [],
      });
      assert.equal(await lastReason(), 'push-approved');
    });

    it('rejects when the phone denies', async () => {
      const { waiting } = await startPush();
      await f.alice.phone.answerPush((await arrived()).pushId, 'deny');
      assert.equal((await waiting).result, 'reject');
      assert.equal(await lastReason(), 'push-denied');
    });

    it('with number matching, shows the number and refuses a wrong pick', async () => {
      await f.g.gateway.changeSettings([
        { path: 'system ftm-push', name: 'number-matching', value: 'enable' },
      ]);
      const first = await startPush();
      const number = first.challenge.number ?? -1;
      assert.ok(number >= 10 && number <= 99);
      assert.match(first.challenge.message, new RegExp(`pick ${number}$`));
      await assertRejectsCode(
        f.alice.phone.answerPush((await arrived()).pushId, 'approve', number === 10 ? 11 : 10),
        'TW_PUSH_NUMBER_MISMATCH',
      );
      assert.equal((await first.waiting).result, 'reject');
      assert.equal(await lastReason(), 'push-denied');

      const second = await startPush();
      await f.alice.phone.answerPush(
        (await arrived()).pushId,
        'approve',
        second.challenge.number ?? -1,
      );
      assert.equal((await second.waiting).result, 'accept');
      await f.g.gateway.changeSettings([
        { path: 'system ftm-push', name: 'number-matching', value: 'disable' },
      ]);
    });

    it('rejects when the phone does not answer in time (system ftm-push timeout)', async () => {
      await f.g.gateway.changeSettings([{ path: 'system ftm-push', name: 'timeout', value: 10 }]);
      const { waiting } = await startPush();
      await arrived();
      assert.equal((await waiting).result, 'reject');
      assert.equal(await lastReason(), 'push-timeout');
      assert.deepEqual(await f.alice.phone.pendingPushes(0), [], 'the expired push is gone');
    });

    it('does not offer a push while ftm-push is disabled', async () => {
      await f.g.gateway.changeSettings([
        { path: 'system ftm-push', name: 'status', value: 'disable' },
      ]);
      const outcome = await f.g.auth.login({
        username: 'alice',
        password: f.alice.password,
        context,
      });
      assert.deepEqual(outcome.result === 'challenge' && outcome.methods, ['otp']);
      const refused = await f.g.auth.answerPush(
        outcome.result === 'challenge' ? outcome.sessionId : '',
      );
      assert.equal(refused.result, 'reject');
      assert.equal(await lastReason(), 'push-unavailable');
      await f.g.gateway.changeSettings([
        { path: 'system ftm-push', name: 'status', value: 'enable' },
      ]);
    });
  });
}
