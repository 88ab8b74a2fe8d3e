import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AUTH_MESSAGES, type AuthOutcome } from '../../src/gateway/auth/auth-outcome.js';
import { engines } from '../helpers/databases.js';
import { gatewayWithAlice } from '../helpers/gateway-harness.js';

const context = { frontEnd: 'cli', sourceIp: '203.0.113.7', application: 'test' } as const;

/** The session id of a challenge (fails the test on anything else). */
function challenged(outcome: AuthOutcome): string {
  assert.equal(outcome.result, 'challenge', JSON.stringify(outcome));
  return outcome.result === 'challenge' ? outcome.sessionId : '';
}

for (const { engine, skip } of engines) {
  describe(`auth engine [${engine}]`, { skip }, () => {
    const f = gatewayWithAlice(engine);

    const login = (user: { name: string; password: string }, password = user.password) =>
      f.g.auth.login({ username: user.name, password, context });
    const lastReason = async (username: string) =>
      (await f.g.store.authLog.list({ username, limit: 1 }))[0]?.reason;

    it('challenges a FortiToken user after the password and accepts a fresh code', async () => {
      const outcome = await login(f.alice);
      assert.equal(outcome.result, 'challenge');
      assert.deepEqual(outcome.result === 'challenge' && outcome.methods, ['otp', 'push']);
      assert.equal(outcome.result === 'challenge' && outcome.message, AUTH_MESSAGES.token);
      const accepted = await f.g.auth.answerCode(challenged(outcome), await f.alice.code());
      assert.deepEqual(accepted, {
        result: 'accept',
        username: 'alice',
        reason: 'otp',
        groups: [],
        replyAttributes: [],
      });
      const [entry] = await f.g.store.authLog.list({ username: 'alice', limit: 1 });
      assert.deepEqual(
        [entry?.result, entry?.reason, entry?.method, entry?.frontEnd, entry?.sourceIp],
        ['accept', 'otp', 'fortitoken', 'cli', '203.0.113.7'],
      );
    });

    it('refuses a wrong password and an unknown user alike', async () => {
      const wrong = await login(f.alice, 'not-it');
      const unknown = await f.g.auth.login({ username: 'mallory', password: 'x', context });
      const { reason: _wrongReason, ...wrongShown } = wrong;
      const { reason: _unknownReason, ...unknownShown } = unknown;
      assert.deepEqual(wrongShown, unknownShown, 'from outside every failure looks the same');
      assert.equal(await lastReason('alice'), 'password-mismatch');
      assert.equal(await lastReason('mallory'), 'unknown-user');
      await f.g.gateway.unlockUser('alice');
    });

    it('accepts a user without two-factor on the password alone', async () => {
      await f.g.gateway.addUser({
        name: 'carol',
        password: 'battery-staple-9',
        twoFactor: 'disable',
      });
      assert.deepEqual(await login({ name: 'carol', password: 'battery-staple-9' }), {
        result: 'accept',
        username: 'carol',
        reason: 'password',
        groups: [],
        replyAttributes: [],
      });
    });

    it('checks password and code in one request (append mode)', async () => {
      f.alice.phoneClock.advance(60_000);
      f.g.clock.advance(60_000);
      const outcome = await f.g.auth.login({
        username: 'alice',
        password: f.alice.password,
        code: await f.alice.code(),
        context,
      });
      assert.equal(outcome.result, 'accept');
    });

    it('learns a drifted phone clock from two consecutive codes', async () => {
      // The gateway's clock runs 5 minutes ahead of the phone's: outside +-1 step, inside +-10 min.
      f.g.clock.advance(5 * 60_000 + 60_000);
      f.alice.phoneClock.advance(60_000);
      const first = await f.g.auth.answerCode(
        challenged(await login(f.alice)),
        await f.alice.code(),
      );
      assert.equal(first.result === 'challenge' && first.message, AUTH_MESSAGES.resync);
      assert.equal(await lastReason('alice'), 'clock-drift');

      f.alice.phoneClock.advance(60_000);
      const second = await f.g.auth.answerCode(challenged(first), await f.alice.code());
      assert.equal(second.result, 'accept');
      assert.equal(await lastReason('alice'), 'otp-resynced');
      assert.equal((await f.g.gateway.showToken(f.alice.serial)).drift, -4);

      // The learned drift holds: the next code is accepted without asking again.
      f.alice.phoneClock.advance(60_000);
      const third = await f.g.auth.answerCode(
        challenged(await login(f.alice)),
        await f.alice.code(),
      );
      assert.equal(third.result, 'accept');
    });

    it('refuses a resync whose second code does not follow the first', async () => {
      f.g.clock.advance(5 * 60_000);
      f.alice.phoneClock.advance(60_000);
      const first = await f.g.auth.answerCode(
        challenged(await login(f.alice)),
        await f.alice.code(),
      );
      assert.equal(first.result === 'challenge' && first.message, AUTH_MESSAGES.resync);
      const second = await f.g.auth.answerCode(challenged(first), '000000');
      assert.equal(second.result, 'reject');
      assert.equal(await lastReason('alice'), 'resync-mismatch');
      await f.g.gateway.unlockUser('alice');
      f.g.clock.reset();
    });

    it('refuses every login while the token is locked, and allows them again once unlocked', async () => {
      const bob = await f.g.tokenUser('bob');
      await f.g.gateway.setTokenStatus(bob.serial, 'lock');
      const refused = await login(bob);
      assert.equal(refused.result, 'reject');
      assert.equal(await lastReason('bob'), 'token-locked');
      await f.g.gateway.setTokenStatus(bob.serial, 'active');
      const outcome = await f.g.auth.answerCode(challenged(await login(bob)), await bob.code());
      assert.equal(outcome.result, 'accept');
    });

    it('sends a one-time code by e-mail through a real SMTP server', async () => {
      await f.g.gateway.addUser({
        name: 'dave',
        password: 'horse-battery-7',
        email: 'dave@example.com',
        twoFactor: 'email',
      });
      const before = f.g.smtp.received.length;
      const outcome = await login({ name: 'dave', password: 'horse-battery-7' });
      assert.equal(outcome.result === 'challenge' && outcome.message, AUTH_MESSAGES.email);
      assert.deepEqual(outcome.result === 'challenge' && outcome.methods, ['otp']);
      const mail = f.g.smtp.received[before];
      assert.equal(mail?.subject, 'Your Tokenward login code');
      const code = /login code is (\d{6})\./.exec(mail?.text ?? '')?.[1] ?? '';
      assert.equal((await f.g.auth.answerCode(challenged(outcome), code)).result, 'accept');
    });

    it('refuses an e-mailed code after its expiry (two-factor-email-expiry)', async () => {
      await f.g.gateway.addUser({
        name: 'dora',
        password: 'battery-horse-3',
        email: 'dora@example.com',
        twoFactor: 'email',
      });
      await f.g.gateway.changeSettings([
        { path: 'system global', name: 'two-factor-email-expiry', value: 30 },
      ]);
      const before = f.g.smtp.received.length;
      const sessionId = challenged(await login({ name: 'dora', password: 'battery-horse-3' }));
      assert.match(f.g.smtp.received[before]?.text ?? '', /for 30 seconds/);
      const code = /login code is (\d{6})\./.exec(f.g.smtp.received[before]?.text ?? '')?.[1] ?? '';
      f.g.clock.advance(31_000);
      assert.equal((await f.g.auth.answerCode(sessionId, code)).result, 'reject');
      assert.equal(await lastReason('dora'), 'code-expired');
      f.g.clock.reset();
      await f.g.gateway.changeSettings([
        { path: 'system global', name: 'two-factor-email-expiry', value: 60 },
      ]);
    });

    it('sends a one-time code by SMS through the webhook', async () => {
      await f.g.gateway.addUser({
        name: 'erin',
        password: 'staple-battery-8',
        sms: '+15550100',
        twoFactor: 'sms',
      });
      const outcome = await login({ name: 'erin', password: 'staple-battery-8' });
      assert.equal(outcome.result === 'challenge' && outcome.message, AUTH_MESSAGES.sms);
      const sent = f.g.sms.received.at(-1);
      assert.equal(sent?.to, '+15550100');
      const code = /login code is (\d{6})\./.exec(sent?.text ?? '')?.[1] ?? '';
      const wrong = code === '123456' ? '654321' : '123456';
      const reused = challenged(outcome);
      assert.equal((await f.g.auth.answerCode(reused, wrong)).result, 'reject');
      assert.equal(await lastReason('erin'), 'code-mismatch');
      const again = await login({ name: 'erin', password: 'staple-battery-8' });
      const fresh = /login code is (\d{6})\./.exec(f.g.sms.received.at(-1)?.text ?? '')?.[1] ?? '';
      assert.equal((await f.g.auth.answerCode(challenged(again), fresh)).result, 'accept');
    });

    it('never writes a password or code to the auth log', async () => {
      await f.g.gateway.addUser({
        name: 'fay',
        password: 'staple-horse-5',
        email: 'fay@example.com',
        twoFactor: 'email',
      });
      await login({ name: 'fay', password: 'a-wrong-secret-guess' });
      const before = f.g.smtp.received.length;
      const first = challenged(await login({ name: 'fay', password: 'staple-horse-5' }));
      const code = /login code is (\d{6})\./.exec(f.g.smtp.received[before]?.text ?? '')?.[1] ?? '';
      assert.equal(code.length, 6, 'the code was mailed');
      const wrongCode = code === '111111' ? '222222' : '111111';
      assert.equal((await f.g.auth.answerCode(first, wrongCode)).result, 'reject');
      const second = challenged(await login({ name: 'fay', password: 'staple-horse-5' }));
      const right = /login code is (\d{6})\./.exec(f.g.smtp.received.at(-1)?.text ?? '')?.[1] ?? '';
      assert.equal((await f.g.auth.answerCode(second, right)).result, 'accept');

      const entries = await f.g.store.authLog.list({ username: 'fay', limit: 100 });
      assert.equal(entries.length, 5, 'each step was logged');
      // Every text field the log holds (ids, times and latencies are numbers of the log's own).
      const written = JSON.stringify(
        entries.map(({ id: _id, at: _at, latencyMs: _ms, ...e }) => e),
      );
      for (const secret of ['staple-horse-5', 'a-wrong-secret-guess', code, wrongCode, right]) {
        assert.ok(!written.includes(secret), `the auth log holds ${secret}`);
      }
      assert.ok(entries.every((e) => e.latencyMs >= 0 && e.node === 'FGT60F0000000001'));
    });
  });
}
