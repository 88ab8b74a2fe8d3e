import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { createGateway } from '../../src/gateway/gateway.js';
import { createNotifier } from '../../src/gateway/notifier.js';
import { createLogger } from '../../src/log/create-logger.js';
import { spawnCli, waitForOutput } from '../helpers/cli.js';
import { engines } from '../helpers/databases.js';
import {
  GATEWAY_SERIAL,
  type GatewayHarness,
  startGatewayHarness,
  type TokenUser,
} from '../helpers/gateway-harness.js';

const postgres = engines.find((e) => e.engine === 'postgres');
const NODE_B = 'FGT60F0000000002';

interface Answer {
  result: string;
  session_id?: string;
  error?: { code: string; message: string };
}

// Threat: one code (or one guessing budget) spent twice by sending it to two gateway nodes of one
// cluster at the same moment. Two real processes share one PostgreSQL database (DESIGN section 7).
describe('two gateway processes on one PostgreSQL database', {
  skip: postgres?.skip ?? 'no postgres',
}, () => {
  let g: GatewayHarness;
  let alice: TokenUser;
  const nodes: { child: ChildProcess; api: string }[] = [];

  before(async () => {
    g = await startGatewayHarness('postgres');
    alice = await g.tokenUser('alice');
    const added = await g.provisioner.provisioner.admin.addGateway(
      { serial: NODE_B, cluster: GATEWAY_SERIAL },
      g.provisioner.clock.now,
    );
    await createGateway({
      store: g.store,
      cipher: g.cipher,
      log: createLogger({ level: 'silent' }),
      notifier: createNotifier({}),
      serial: NODE_B,
    }).enroll({ provisionerUrl: g.provisioner.url, serial: NODE_B, secret: added.secret });

    for (const serial of [GATEWAY_SERIAL, NODE_B]) {
      const child = spawnCli(
        ['gateway', 'serve', '--http', '127.0.0.1:0', '--serial', serial, '--db', g.databaseUrl],
        { TOKENWARD_MASTER_KEY: Buffer.alloc(32, 9).toString('base64') },
      );
      const banner = await waitForOutput(child, /Tokenward gateway is running/);
      const api = /login API (http:\/\/127\.0\.0\.1:\d+\/api\/v1)\/auth/.exec(banner)?.[1] ?? '';
      nodes.push({ child, api });
    }
  });
  after(async () => {
    for (const { child } of nodes) {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
    await g?.close();
  });

  const post = async (api: string, path: string, body: unknown) => {
    const response = await fetch(api + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Answer };
  };
  const sessionOn = async (api: string) => {
    const started = await post(api, '/auth', { username: 'alice', password: alice.password });
    assert.equal(started.body.result, 'challenge', JSON.stringify(started.body));
    return started.body.session_id ?? '';
  };

  it('accept the same code exactly once when it reaches both nodes at the same moment, 50 times', async () => {
    const [a, b] = nodes.map((n) => n.api) as [string, string];
    const code = await alice.code();
    for (let round = 0; round < 50; round++) {
      // Each round makes the code fresh again, so the same code races anew.
      await g.store.fortitokens.update(alice.serial, { lastStep: null });
      const [sessionA, sessionB] = await Promise.all([sessionOn(a), sessionOn(b)]);
      const answers = await Promise.all([
        post(a, '/auth/otp', { session_id: sessionA, code }),
        post(b, '/auth/otp', { session_id: sessionB, code }),
      ]);
      const accepted = answers.filter((answer) => answer.body.result === 'accept');
      assert.equal(accepted.length, 1, `round ${round}: ${JSON.stringify(answers)}`);
      const refused = answers.find((answer) => answer.body.result === 'reject');
      assert.equal(refused?.status, 401);
      assert.match(refused?.body.error?.message ?? '', /^Please wait \d+ seconds to login again$/);
    }
    const decided = await g.store.authLog.list({ username: 'alice', limit: 200 });
    const nodesSeen = new Set(decided.filter((e) => e.reason === 'otp').map((e) => e.node));
    assert.deepEqual([...nodesSeen].sort(), [GATEWAY_SERIAL, NODE_B], 'both nodes won rounds');
  });

  it('add failures on both nodes up to one block of the source', async () => {
    const [a, b] = nodes.map((n) => n.api) as [string, string];
    for (const api of [a, b, a]) {
      const refused = await post(api, '/auth', { username: 'alice', password: 'wrong' });
      assert.equal(refused.status, 401);
    }
    const locked = await post(b, '/auth', { username: 'alice', password: alice.password });
    assert.equal(locked.status, 401);
    const reasons = (await g.store.authLog.list({ username: 'alice', limit: 4 })).map((e) => [
      e.node,
      e.reason,
    ]);
    assert.deepEqual(reasons, [
      [NODE_B, 'source-blocked'],
      [GATEWAY_SERIAL, 'password-mismatch,source-blocked'],
      [NODE_B, 'password-mismatch'],
      [GATEWAY_SERIAL, 'password-mismatch'],
    ]);
  });
});
