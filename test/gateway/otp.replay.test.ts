import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engines } from '../helpers/databases.js';
import { gatewayWithAlice } from '../helpers/gateway-harness.js';

const context = { frontEnd: 'radius', sourceIp: '192.0.2.10' } as const;
const WAIT = /^Please wait \d+ seconds to login again$/;

// Threat: a code seen once (shoulder-surfed, phished, logged) is used again while still valid.
for (const { engine, skip } of engines) {
  describe(`OTP replay [${engine}]`, { skip }, () => {
    const f = gatewayWithAlice(engine);

    const session = async () => (await f.g.challenge(f.alice, context)).sessionId;

    it('refuses a used code with the time to wait, without counting a failure', async () => {
      const code = await f.alice.code();
      assert.equal((await f.g.auth.answerCode(await session(), code)).result, 'accept');
      const replayed = await f.g.auth.answerCode(await session(), code);
      assert.equal(replayed.result, 'reject');
      assert.match(replayed.result === 'reject' ? replayed.message : '', WAIT);
      const [entry] = await f.g.store.authLog.list({ username: 'alice', limit: 1 });
      assert.equal(entry?.reason, 'otp-replay');
      assert.equal((await f.g.store.users.find('alice'))?.failCount, 0);
    });

    it('refuses an older code of the window once a later one was accepted', async () => {
      f.alice.phoneClock.advance(60_000);
      f.g.clock.advance(60_000);
      const older = await f.alice.code();
      f.alice.phoneClock.advance(60_000);
      assert.equal(
        (await f.g.auth.answerCode(await session(), await f.alice.code())).result,
        'accept',
      );
      const refused = await f.g.auth.answerCode(await session(), older);
      assert.match(refused.result === 'reject' ? refused.message : '', WAIT);
    });

    it('accepts one of ten concurrent logins with the same code, on one node', async () => {
      f.alice.phoneClock.advance(60_000);
      f.g.clock.advance(60_000);
      const code = await f.alice.code();
      const sessions = await Promise.all(Array.from({ length: 10 }, session));
      const outcomes = await Promise.all(sessions.map((id) => f.g.auth.answerCode(id, code)));
      assert.equal(outcomes.filter((o) => o.result === 'accept').length, 1);
      const refusals = outcomes.filter((o) => o.result === 'reject');
      assert.equal(refusals.length, 9);
      for (const refusal of refusals) {
        assert.match(refusal.result === 'reject' ? refusal.message : '', WAIT);
      }
    });

    it('refuses a code in append mode that a challenge login already used', async () => {
      f.alice.phoneClock.advance(60_000);
      f.g.clock.advance(60_000);
      const code = await f.alice.code();
      assert.equal((await f.g.auth.answerCode(await session(), code)).result, 'accept');
      const appended = await f.g.auth.login({
        username: 'alice',
        password: f.alice.password,
        code,
        context,
      });
      assert.match(appended.result === 'reject' ? appended.message : '', WAIT);
    });
  });
}
