import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { generateTotp } from '../../src/core/totp.js';
import { createAtRestCipher } from '../../src/crypto/at-rest-cipher.js';
import { createGatewayNode } from '../../src/gateway/gateway-node.js';
import { createNotifier } from '../../src/gateway/notifier.js';
import { createLogger } from '../../src/log/create-logger.js';
import { migrations } from '../../src/store/migrations/index.js';
import { createStore } from '../../src/store/store.js';
import { FIXTURE } from '../fixtures/schemas/fixture-gateway.js';
import { runCli } from '../helpers/cli.js';
import { requireComponent } from '../helpers/components.js';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/databases.js';

const run = promisify(execFile);
const FIXTURES = new URL('../fixtures/schemas/', import.meta.url).pathname;
const psql = await requireComponent('psql', 'apt-get install postgresql-client');
const fixtures = (await readdir(FIXTURES)).filter((name) => name.endsWith('.sql')).sort();
const levels = Object.keys(migrations);

/** A new database holding the fixture `file` (an earlier schema with a gateway in use). */
async function loadFixture(engine: 'sqlite' | 'postgres', file: string): Promise<TestDatabase> {
  const database = await createTestDatabase(engine);
  const dump = await readFile(join(FIXTURES, file), 'utf8');
  if (engine === 'sqlite') {
    const db = new SQLite(database.url.slice('sqlite:'.length));
    db.exec(dump);
    db.close();
  } else {
    await run('psql', [
      '--quiet',
      '--no-psqlrc',
      '-v',
      'ON_ERROR_STOP=1',
      '-f',
      join(FIXTURES, file),
      database.url,
    ]);
  }
  return database;
}

describe('schema fixtures', () => {
  it('there is one per earlier schema and engine', () => {
    const expected = levels
      .slice(0, -1)
      .flatMap((level) => [`${level}.postgres.sql`, `${level}.sqlite.sql`]);
    assert.deepEqual(fixtures, expected.sort());
  });
});

for (const { engine, skip } of engines) {
  describe(`upgrades from every earlier schema [${engine}]`, {
    skip: skip || (engine === 'postgres' && psql.skip),
  }, () => {
    for (const file of fixtures.filter((name) => name.endsWith(`.${engine}.sql`))) {
      const level = file.slice(0, -`.${engine}.sql`.length);
      it(`from ${level}: migrate --dry-run lists the rest, then the gateway logs alice in`, async () => {
        const database = await loadFixture(engine, file);
        try {
          const pending = levels.slice(levels.indexOf(level) + 1);
          const dry = await runCli(['migrate', '--dry-run', '--db', database.url]);
          assert.equal(dry.code, 0, dry.err);
          assert.deepEqual(
            [...dry.out.matchAll(/^ {2}would apply (\S+):/gm)].map((m) => m[1]),
            pending,
          );
          const again = await runCli(['migrate', '--dry-run', '--db', database.url]);
          assert.equal(again.out, dry.out, 'a dry run changes nothing');

          const store = await createStore(database.url);
          try {
            const node = createGatewayNode({
              store,
              cipher: createAtRestCipher(FIXTURE.masterKey),
              log: createLogger({ level: 'silent' }),
              notifier: createNotifier({}),
              serial: 'FGT60F0000000001',
            });
            const now = Date.now();
            const code = generateTotp({
              seed: FIXTURE.seed,
              now,
              algorithm: 'SHA1',
              digits: 6,
              period: 30,
            });
            const login = await node.auth.login({
              username: 'alice',
              password: FIXTURE.password,
              code,
              context: { frontEnd: 'http', sourceIp: '203.0.113.9' },
            });
            assert.equal(login.result, 'accept', JSON.stringify(login));
            const [vpn] = await node.gateway.radiusClientsWithSecrets();
            assert.equal(vpn?.secret.toString(), FIXTURE.radiusSecret);
            assert.equal(
              (await store.auditLog.list({ limit: 10 })).some((e) => e.id === 'fixture-audit-1'),
              true,
            );
            if ((await readFile(join(FIXTURES, file), 'utf8')).includes("'console.admin'")) {
              // The one console admin of the settings became a super admin with its password.
              const admin = await node.gateway.signInConsoleAdmin({
                user: 'admin',
                password: FIXTURE.password,
                source: '203.0.113.9',
                log: { warn: () => undefined },
              });
              assert.equal(admin.role, 'super');
            }
          } finally {
            await store.close();
          }
          const done = await runCli(['migrate', '--dry-run', '--db', database.url]);
          assert.match(done.out, /^The schema is up to date/m);
        } finally {
          await database.drop();
        }
      });
    }
  });
}
