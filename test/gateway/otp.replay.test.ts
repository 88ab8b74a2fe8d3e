import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { engines } from '../helpers/databases.js';
import {
  type GatewayHarness,
  startGatewayHarness,
  type TokenUser,
} from '../helpers/gateway-harness.js';

const context = { frontEnd: 'radius', sourceIp: '192.0.2.10' } as const;
const WAIT = /^Please wait \d+ seconds to login again$/;

// Threat: a code seen once (shoulder-surfed, phished, logged) is used again while still valid.
for (const { engine, skip } of engines) {
  describe(`OTP replay [${engine}]`, { skip }, () => {
    let g: GatewayHarness;
    let alice: TokenUser;

    before(async () => {
      g = await startGatewayHarness(engine);
      alice = await g.tokenUser('alice');
    });
    after(async () => {
      await g?.close();
    });

    const session = async () => (await g.challenge(alice, context)).sessionId;

    it('refuses a used code with the time to wait, without counting a failure', async () => {
      const code = await alice.code();
      assert.equal((await g.auth.answerCode(await session(), code)).result, 'accept');
      const replayed = await g.auth.answerCode(await session(), code);
      assert.equal(replayed.result, 'reject');
      assert.match(replayed.result === 'reject' ? replayed.message : '', WAIT);
      const [entry] = await g.store.authLog.list({ username: 'alice', limit: 1 });
      assert.equal(entry?.reason, 'otp-replay');
      assert.equal((await g.store.users.find('alice'))?.failCount, 0);
    });

    it('refuses an older code of the window once a later one was accepted', async () => {
      alice.phoneClock.advance(60_000);
      g.clock.advance(60_000);
      const older = await alice.code();
      alice.phoneClock.advance(60_000);
      assert.equal((await g.auth.answerCode(await session(), await alice.code())).result, 'accept');
      const refused = await g.auth.answerCode(await session(), older);
      assert.match(refused.result === 'reject' ? refused.message : '', WAIT);
    });

    it('accepts one of ten concurrent logins with the same code, on one node', async () => {
      alice.phoneClock.advance(60_000);
      g.clock.advance(60_000);
      const code = await alice.code();
      const sessions = await Promise.all(Array.from({ length: 10 }, session));
      const outcomes = await Promise.all(sessions.map((id) => g.auth.answerCode(id, code)));
      assert.equal(outcomes.filter((o) => o.result === 'accept').length, 1);
      const refusals = outcomes.filter((o) => o.result === 'reject');
      assert.equal(refusals.length, 9);
      for (const refusal of refusals) {
        assert.match(refusal.result === 'reject' ? refusal.message : '', WAIT);
      }
    });

    it('refuses a code in append mode that a challenge login already used', async () => {
      alice.phoneClock.advance(60_000);
      g.clock.advance(60_000);
      const code = await alice.code();
      assert.equal((await g.auth.answerCode(await session(), code)).result, 'accept');
      const appended = await g.auth.login({
        username: 'alice',
        password: alice.password,
        code,
        context,
      });
      assert.match(appended.result === 'reject' ? appended.message : '', WAIT);
    });
  });
}
