import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engines } from '../helpers/databases.js';
import { gatewayWithAlice } from '../helpers/gateway-harness.js';

const context = { frontEnd: 'http', sourceIp: '203.0.113.5' } as const;

// Threat: a login session id (a bearer secret between the two factors) is used twice: stolen from
// a log or a proxy, replayed with a second guess, or raced.
for (const { engine, skip } of engines) {
  describe(`login session reuse [${engine}]`, { skip }, () => {
    const f = gatewayWithAlice(engine);

    const session = async () => (await f.g.challenge(f.alice, context)).sessionId;
    const lastReason = async () => (await f.g.store.authLog.list({ limit: 1 }))[0]?.reason;
    const nextStep = () => {
      f.alice.phoneClock.advance(60_000);
      f.g.clock.advance(60_000);
    };

    it('works once: after an accept, the same id with a fresh code is refused', async () => {
      const id = await session();
      assert.equal((await f.g.auth.answerCode(id, await f.alice.code())).result, 'accept');
      nextStep();
      assert.equal((await f.g.auth.answerCode(id, await f.alice.code())).result, 'reject');
      assert.equal(await lastReason(), 'session-invalid');
    });

    it('works once: after a wrong code, the right code on the same id is refused', async () => {
      nextStep();
      const id = await session();
      const right = await f.alice.code();
      await f.g.auth.answerCode(id, right === '000000' ? '111111' : '000000');
      assert.equal((await f.g.auth.answerCode(id, right)).result, 'reject');
      assert.equal(await lastReason(), 'session-invalid');
      await f.g.gateway.unlockUser('alice');
    });

    it('expires unused (120 s)', async () => {
      nextStep();
      const id = await session();
      f.g.clock.advance(121_000);
      f.alice.phoneClock.advance(121_000);
      assert.equal((await f.g.auth.answerCode(id, await f.alice.code())).result, 'reject');
      assert.equal(await lastReason(), 'session-invalid');
    });

    it('of 20 concurrent uses of one id with the right code, exactly one goes through', async () => {
      nextStep();
      const id = await session();
      const code = await f.alice.code();
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, () => f.g.auth.answerCode(id, code)),
      );
      assert.equal(outcomes.filter((o) => o.result === 'accept').length, 1);
      const log = await f.g.store.authLog.list({ limit: 20 });
      assert.equal(log.filter((e) => e.reason === 'session-invalid').length, 19);
    });

    it('stores only a hash of the id, and sweeps ended sessions', async () => {
      const id = await session();
      const rows = await f.g.store.authSessions.deleteEnded(0);
      assert.equal(rows, 0);
      assert.ok(!JSON.stringify(await f.g.store.authLog.list({ limit: 100 })).includes(id));
      f.g.clock.advance(180_000);
      f.alice.phoneClock.advance(180_000);
      assert.ok((await f.g.auth.sweepSessions()) >= 1);
    });
    it('cannot switch a used code session to a push', async () => {
      nextStep();
      const id = await session();
      assert.equal((await f.g.auth.answerCode(id, await f.alice.code())).result, 'accept');
      assert.equal((await f.g.auth.answerPush(id)).result, 'reject');
      const pushes = await f.g.provisioner.store.pushes.listPending([f.alice.serial], 0);
      assert.deepEqual(pushes, [], 'no push was sent');
    });
  });
}
