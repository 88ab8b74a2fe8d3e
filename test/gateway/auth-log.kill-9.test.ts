import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { spawnCli, waitForOutput } from '../helpers/cli.js';
import { engines } from '../helpers/databases.js';
import {
  GATEWAY_SERIAL,
  type GatewayHarness,
  startGatewayHarness,
  type TokenUser,
} from '../helpers/gateway-harness.js';

const PASSWORD_USERS = 24;

interface Answer {
  result: string;
  session_id?: string;
}

// Threat: logins answered but not on record. The auth log is written in batches (group
// commit); a gateway killed at once after its last answer (kill -9: no shutdown, no flush)
// must still hold the entry of every login it answered, and every code it accepted must stay
// spent (the step claim is durable before the Accept goes out).
for (const { engine, skip } of engines) {
  describe(`auth log and step claims across a kill -9 [${engine}]`, { skip }, () => {
    let g: GatewayHarness;
    let tokenUsers: TokenUser[];
    let child: ChildProcess;
    let api: string;

    before(async () => {
      g = await startGatewayHarness(engine);
      tokenUsers = [await g.tokenUser('tina'), await g.tokenUser('tom'), await g.tokenUser('tess')];
      for (let i = 0; i < PASSWORD_USERS; i++) {
        await g.gateway.addUser({
          name: `pw${i}`,
          password: `battery-staple-${i}`,
          twoFactor: 'disable',
        });
      }
      child = spawnCli(
        [
          'gateway',
          'serve',
          '--http',
          '127.0.0.1:0',
          '--serial',
          GATEWAY_SERIAL,
          '--db',
          g.databaseUrl,
        ],
        { TOKENWARD_MASTER_KEY: Buffer.alloc(32, 9).toString('base64') },
      );
      const banner = await waitForOutput(child, /Tokenward gateway is running/);
      api = /login API (http:\/\/127\.0\.0\.1:\d+\/api\/v1)\/auth/.exec(banner)?.[1] ?? '';
    });
    after(async () => {
      if (child?.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
      await g?.close();
    });

    const post = async (path: string, body: unknown): Promise<Answer> => {
      const response = await fetch(api + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await response.json()) as Answer;
    };

    it('keeps every answered login on record and every accepted code spent', async () => {
      const sessions = await Promise.all(
        tokenUsers.map((user) => post('/auth', { username: user.name, password: user.password })),
      );
      const codes = await Promise.all(tokenUsers.map((user) => user.code()));
      // Everything at once, so the answers share batches; the kill follows the last answer.
      const answers = await Promise.all([
        ...tokenUsers.map((user, i) =>
          post('/auth/otp', { session_id: sessions[i]?.session_id, code: codes[i] }).then(
            (answer) => ({ username: user.name, answer }),
          ),
        ),
        ...Array.from({ length: PASSWORD_USERS }, (_, i) =>
          post('/auth', { username: `pw${i}`, password: `battery-staple-${i}` }).then((answer) => ({
            username: `pw${i}`,
            answer,
          })),
        ),
      ]);
      child.kill('SIGKILL');
      await once(child, 'exit');

      assert.deepEqual(
        answers.filter((a) => a.answer.result !== 'accept'),
        [],
        'every login was accepted',
      );
      const logged = await g.store.authLog.list({ result: 'accept', limit: 500 });
      for (const { username } of answers) {
        assert.ok(
          logged.some((entry) => entry.username === username),
          `the accepted login of ${username} is in the auth log`,
        );
      }
      for (const [i, user] of tokenUsers.entries()) {
        const again = await g.auth.answerCode((await g.challenge(user)).sessionId, codes[i] ?? '');
        assert.equal(again.reason, 'otp-replay', `${user.name}'s code stays spent`);
      }
    });
  });
}
