import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAtRestCipher } from '../../src/crypto/at-rest-cipher.js';
import { createAuthEngine } from '../../src/gateway/auth/auth-engine.js';
import { buildGatewayServer } from '../../src/gateway/http/server.js';
import { createNotifier } from '../../src/gateway/notifier.js';
import { createLogger } from '../../src/log/create-logger.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/databases.js';
import { gatewayWithAlice } from '../helpers/gateway-harness.js';

// Threat (to availability, and an oracle): a second node of one database with a master key of
// its own. Every sealed row failed on it, one login at a time, and a right password got HTTP 400
// TW_INTERNAL where a wrong one got 401: an answer that told the password was right.
for (const { engine, skip } of engines) {
  describe(`a node with another master key [${engine}]`, { skip }, () => {
    let database: TestDatabase;
    let first: string;
    let second: string;
    before(async () => {
      database = await createTestDatabase(engine);
      first = await mkdtemp(join(tmpdir(), 'tokenward-node-a-'));
      second = await mkdtemp(join(tmpdir(), 'tokenward-node-b-'));
    });
    after(async () => {
      await database?.drop();
      await rm(first, { recursive: true, force: true });
      await rm(second, { recursive: true, force: true });
    });

    it('refuses to start with TW_MASTER_KEY_MISMATCH, and works with the shared key', async () => {
      const added = await runCli([
        'provisioner',
        'gateway',
        'add',
        'FGT60F0000000001',
        '--db',
        database.url,
        '--data',
        first,
      ]);
      assert.equal(added.code, 0, added.err);
      const refused = await runCli([
        'gateway',
        'user',
        'list',
        '--db',
        database.url,
        '--data',
        second,
      ]);
      assert.equal(refused.code, 1);
      assert.match(refused.err, /^Error TW_MASTER_KEY_MISMATCH: .*TOKENWARD_MASTER_KEY/);

      process.env.TOKENWARD_MASTER_KEY = (await readFile(join(first, 'master.key'), 'utf8')).trim();
      try {
        const shared = await runCli([
          'gateway',
          'user',
          'list',
          '--db',
          database.url,
          '--data',
          second,
        ]);
        assert.equal(shared.code, 0, shared.err);
      } finally {
        delete process.env.TOKENWARD_MASTER_KEY;
      }
    });
  });
}

describe('a seed that cannot be opened', () => {
  const f = gatewayWithAlice('sqlite');

  it('answers a right password exactly as a wrong one over the login API', async () => {
    const auth = createAuthEngine({
      store: f.g.store,
      cipher: createAtRestCipher(Buffer.alloc(32, 1)), // not the key the seeds are sealed under
      log: createLogger({ level: 'silent' }),
      notifier: createNotifier({}),
      connection: f.g.gateway.connection,
    });
    const http = buildGatewayServer({
      gateway: f.g.gateway,
      log: createLogger({ level: 'silent' }),
      auth,
    });
    const login = async (password: string) => {
      const response = await http.inject({
        method: 'POST',
        url: '/api/v1/auth',
        payload: { username: 'alice', password },
      });
      return { status: response.statusCode, body: response.json() as unknown };
    };
    const right = await login(f.alice.password);
    const wrong = await login('not-her-password');
    await http.close();
    assert.deepEqual(right, wrong);
    assert.equal(right.status, 401);
    const reasons = (await f.g.store.authLog.list({ username: 'alice', limit: 2 })).map(
      (e) => e.reason,
    );
    assert.deepEqual(reasons, ['password-mismatch', 'token-seed-unreadable']);
  });
});
