import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuthOutcome } from '../../src/gateway/auth/auth-outcome.js';
import { engines } from '../helpers/databases.js';
import { gatewayWithAlice } from '../helpers/gateway-harness.js';

const context = { frontEnd: 'http', sourceIp: '203.0.113.66' } as const;

// Threat: someone with the password guesses codes (1 in a million each) or guesses passwords.
for (const { engine, skip } of engines) {
  describe(`OTP brute force and lockout [${engine}]`, { skip }, () => {
    const f = gatewayWithAlice(engine);

    const login = () => f.g.auth.login({ username: 'alice', password: f.alice.password, context });
    const guess = async (code: string) => {
      const outcome = await login();
      if (outcome.result !== 'challenge') return outcome;
      return f.g.auth.answerCode(outcome.sessionId, code);
    };
    const reasons = async (count: number) =>
      (await f.g.store.authLog.list({ username: 'alice', limit: count })).map((e) => e.reason);
    const wrongCode = async () => ((await f.alice.code()) === '000000' ? '111111' : '000000');

    it('locks the user after 3 wrong codes; the right code is then refused too', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await guess(await wrongCode())).result, 'reject');
      assert.deepEqual(await reasons(2), ['otp-mismatch,locked-out', 'second-factor']);
      const user = await f.g.store.users.find('alice');
      assert.ok(user?.lockedAt !== null && user?.lockedUntil === null, 'until an admin unlocks');
      const refused = await login();
      assert.equal(refused.result, 'reject');
      assert.deepEqual(await reasons(1), ['user-locked']);
    });

    it('lets the user in again once an admin unlocks', async () => {
      await f.g.gateway.unlockUser('alice');
      const outcome = await login();
      const accepted = await f.g.auth.answerCode(
        (outcome as Extract<AuthOutcome, { result: 'challenge' }>).sessionId,
        await f.alice.code(),
      );
      assert.equal(accepted.result, 'accept');
    });

    it('counts wrong passwords too, and a success clears the count', async () => {
      await f.g.auth.login({ username: 'alice', password: 'guess-1', context });
      await f.g.auth.login({ username: 'alice', password: 'guess-2', context });
      assert.equal((await f.g.store.users.find('alice'))?.failCount, 2);
      f.alice.phoneClock.advance(60_000);
      f.g.clock.advance(60_000);
      assert.equal((await guess(await f.alice.code())).result, 'accept');
      assert.equal((await f.g.store.users.find('alice'))?.failCount, 0);
    });

    it('with auth-lockout-duration, unlocks by itself after that many seconds', async () => {
      await f.g.gateway.changeSettings([
        { path: 'user setting', name: 'auth-lockout-duration', value: 300 },
      ]);
      for (let i = 0; i < 3; i++) await guess(await wrongCode());
      assert.equal((await login()).result, 'reject');
      assert.deepEqual(await reasons(1), ['user-locked']);
      f.g.clock.advance(301_000);
      f.alice.phoneClock.advance(301_000);
      assert.equal((await guess(await f.alice.code())).result, 'accept');
    });

    it('refuses a disabled user whatever they present', async () => {
      await f.g.gateway.setUser('alice', { status: 'disable' });
      assert.equal((await login()).result, 'reject');
      assert.deepEqual(await reasons(1), ['user-disabled']);
      await f.g.gateway.setUser('alice', { status: 'enable' });
    });
  });
}
