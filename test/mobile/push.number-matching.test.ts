import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { spawnCli, waitForOutput } from '../helpers/cli.js';
import { gatewayWithAlice } from '../helpers/gateway-harness.js';

// Threat: number matching defeated by the phone. `mobile push listen --ask` printed the number
// and approved on "y", so a tired user approved an attacker's push without looking at the login.
describe('push number matching on the phone', () => {
  const f = gatewayWithAlice('sqlite');
  const context = { frontEnd: 'http', sourceIp: '203.0.113.1' } as const;

  /** A push login answered by `mobile push listen --ask` with `typed` at its prompt. */
  const answeredWith = async (typed: (number: number) => string) => {
    const challenge = await f.g.challenge(f.alice, context);
    const number = challenge.number ?? -1;
    const waiting = f.g.auth.answerPush(challenge.sessionId);
    const listener = spawnCli(
      ['mobile', 'push', 'listen', '--ask', '--max', '1', '--device', f.alice.dir],
      {},
      'pipe',
    );
    try {
      const shown = await waitForOutput(listener, /Type the number shown at the login/);
      assert.doesNotMatch(shown, /number to match/);
      listener.stdin?.end(`${typed(number)}\n`);
      const outcome = await waiting;
      if (listener.exitCode === null) await once(listener, 'exit');
      return outcome;
    } finally {
      listener.kill('SIGKILL');
    }
  };

  it('asks the person to type the number; a wrong number denies', async () => {
    await f.g.gateway.changeSettings([
      { path: 'system ftm-push', name: 'number-matching', value: 'enable' },
    ]);
    const wrong = await answeredWith((number) => String(number === 10 ? 11 : 10));
    assert.equal(wrong.result, 'reject');
    assert.equal(wrong.reason, 'push-denied');
    const nothing = await answeredWith(() => '');
    assert.equal(nothing.result, 'reject');
    const right = await answeredWith((number) => String(number));
    assert.equal(right.result, 'accept');
  });
});
