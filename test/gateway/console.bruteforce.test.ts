import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AllInOne } from '../../src/all-in-one/all-in-one.js';
import { isTokenwardError } from '../../src/core/errors.js';
import { createAtRestCipher } from '../../src/crypto/at-rest-cipher.js';
import { hashPassword } from '../../src/crypto/password-hash.js';
import { createGateway, type Gateway } from '../../src/gateway/gateway.js';
import { createNotifier } from '../../src/gateway/notifier.js';
import { createLogger } from '../../src/log/create-logger.js';
import { createStore, type Store } from '../../src/store/store.js';
import { startTestAllInOne } from '../helpers/all-in-one.js';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/databases.js';
import { testClock } from '../helpers/provisioner-harness.js';

// Threat: guessing the console admin's password. 60 wrong passwords in 20 s were allowed, none
// logged, and then the right one worked.
const quiet = { warn: () => undefined };
const PASSWORD = 'the-right-admin-password';

for (const { engine, skip } of engines) {
  describe(`console sign-in limiter [${engine}]`, { skip }, () => {
    let database: TestDatabase;
    let store: Store;
    const clock = testClock(false);
    let gateway: Gateway;
    before(async () => {
      database = await createTestDatabase(engine);
      store = await createStore(database.url);
      await store.consoleAdmins.create({
        name: 'admin',
        passwordHash: await hashPassword(PASSWORD, { logN: 10, r: 8, p: 1 }),
        role: 'super',
        tokenUser: null,
        createdAt: clock.now,
        updatedAt: clock.now,
      });
      gateway = createGateway({
        store,
        cipher: createAtRestCipher(Buffer.alloc(32, 7)),
        log: createLogger({ level: 'silent' }),
        notifier: createNotifier({}),
        clock: () => clock.now,
      });
    });
    after(async () => {
      await store?.close();
      await database?.drop();
    });
    const attempt = (password: string, source: string) =>
      gateway.signInConsoleAdmin({ user: 'admin', password, source, log: quiet }).then(
        () => 'ok',
        (error: unknown) => (isTokenwardError(error) ? error.code : String(error)),
      );

    it('blocks a source after 5 failures, even for the right password, until the back-off passes', async () => {
      for (let i = 0; i < 5; i++)
        assert.equal(await attempt(`guess-${i}`, '198.51.100.1'), 'TW_CONSOLE_SIGN_IN');
      assert.equal(await attempt(PASSWORD, '198.51.100.1'), 'TW_RATE_LIMITED');
      assert.equal(await attempt(PASSWORD, '198.51.100.2'), 'ok', 'another source is not blocked');
      clock.advance(31_000);
      assert.equal(await attempt(PASSWORD, '198.51.100.1'), 'ok');
    });

    it('doubles the back-off with each further failure', async () => {
      for (let i = 0; i < 5; i++) await attempt(`guess-${i}`, '198.51.100.3');
      clock.advance(31_000);
      assert.equal(await attempt('guess-5', '198.51.100.3'), 'TW_CONSOLE_SIGN_IN');
      clock.advance(31_000);
      assert.equal(
        await attempt(PASSWORD, '198.51.100.3'),
        'TW_RATE_LIMITED',
        '60 s after 6 failures',
      );
      clock.advance(30_000);
      assert.equal(await attempt(PASSWORD, '198.51.100.3'), 'ok');
    });

    it('blocks the admin name after 20 failures from many sources', async () => {
      for (let i = 0; i < 20; i++) await attempt('wrong', `203.0.113.${i}`);
      assert.equal(await attempt(PASSWORD, '203.0.113.200'), 'TW_RATE_LIMITED');
      clock.advance(61_000);
      assert.equal(await attempt(PASSWORD, '203.0.113.200'), 'ok');
    });

    it('audits every failure with its source', async () => {
      const entries = await store.auditLog.list({ limit: 500 });
      const failures = entries.filter(
        (e) => e.action === 'console.sign-in' && e.outcome === 'failure',
      );
      assert.ok(failures.length >= 31, `${failures.length} failures audited`);
      assert.ok(failures.some((e) => e.subject === '198.51.100.1'));
    });
  });
}

describe('console sign-in over HTTP', () => {
  let root: string;
  let running: AllInOne;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'tokenward-console-bruteforce-'));
    running = await startTestAllInOne(root);
  });
  after(async () => {
    await running?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('answers 429 with Retry-After once the source is blocked, the right password included', async () => {
    const signIn = (password: string) =>
      fetch(`${running.httpUrl}/console/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'admin', password }),
      });
    for (let i = 0; i < 5; i++) assert.equal((await signIn(`guess-${i}`)).status, 401);
    const blocked = await signIn(running.firstRun?.adminPassword ?? '');
    assert.equal(blocked.status, 429);
    assert.match(blocked.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal(
      ((await blocked.json()) as { error: { code: string } }).error.code,
      'TW_RATE_LIMITED',
    );
  });
});
