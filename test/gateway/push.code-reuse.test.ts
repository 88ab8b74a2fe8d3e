import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PendingPush } from '../../src/mobile/mobile-token.js';
import { engines } from '../helpers/databases.js';
import { gatewayWithAlice } from '../helpers/gateway-harness.js';
import { pendingPushes } from '../helpers/pushes.js';

const context = { frontEnd: 'http', sourceIp: '198.51.100.23' } as const;

// Threat: a push approval carries the phone's current code through the relay. Kept in clear in
// the provisioner's table, and still unused at the gateway, it was a second login for whoever
// read it (a relay operator, a database backup).
for (const { engine, skip } of engines) {
  describe(`push approval: its code cannot be reused [${engine}]`, { skip }, () => {
    const f = gatewayWithAlice(engine);
    const arrived = async (): Promise<PendingPush> => (await pendingPushes(f.alice.phone))[0];

    /** An approved push login and the code the phone approved with (the step did not turn). */
    const approvedWithCode = async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const challenge = await f.g.challenge(f.alice, context);
        const waiting = f.g.auth.answerPush(challenge.sessionId);
        const push = await arrived();
        const before = await f.alice.code();
        await f.alice.phone.answerPush(push.pushId, 'approve');
        const after = await f.alice.code();
        assert.equal((await waiting).result, 'accept');
        if (before === after) return { code: before, pushId: push.pushId };
      }
      throw new Error('the code turned over during every attempt');
    };

    it('stores no approving code in clear, and the code does not log in afterwards', async () => {
      const { code, pushId } = await approvedWithCode();
      const row = await f.g.provisioner.store.pushes.find(pushId);
      assert.ok(row?.tokenCode !== null && row?.tokenCode !== undefined);
      assert.ok(!row.tokenCode.includes(code), 'the approving code is not stored in clear');

      const challenge = await f.g.challenge(f.alice, context);
      const reused = await f.g.auth.answerCode(challenge.sessionId, code);
      assert.equal(reused.result, 'reject');
      assert.equal(reused.reason, 'otp-replay');
    });
  });
}
