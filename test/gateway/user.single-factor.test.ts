import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAtRestCipher } from '../../src/crypto/at-rest-cipher.js';
import { importConfig } from '../../src/gateway/config-import.js';
import { createGateway, type Gateway } from '../../src/gateway/gateway.js';
import { createNotifier } from '../../src/gateway/notifier.js';
import { createLogger } from '../../src/log/create-logger.js';
import { createStore, type Store } from '../../src/store/store.js';
import { assertRejectsCode } from '../helpers/assert-code.js';
import { runCliWithStdin } from '../helpers/cli.js';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/databases.js';

// Threat: single-factor users by accident. `user add carl --password-stdin` with no token,
// e-mail or SMS made a password-only user silently, with a one-character password.
for (const { engine, skip } of engines) {
  describe(`users get a second factor and a real password [${engine}]`, { skip }, () => {
    let database: TestDatabase;
    let store: Store;
    let gateway: Gateway;
    const cipher = createAtRestCipher(Buffer.alloc(32, 3));
    before(async () => {
      database = await createTestDatabase(engine);
      store = await createStore(database.url);
      gateway = createGateway({
        store,
        cipher,
        log: createLogger({ level: 'silent' }),
        notifier: createNotifier({}),
      });
    });
    after(async () => {
      await store?.close();
      await database?.drop();
    });

    it('refuses a user without a second factor unless asked for explicitly, and audits it', async () => {
      await assertRejectsCode(
        gateway.addUser({ name: 'carl', password: 'horse-battery-3' }),
        'TW_TWO_FACTOR_REQUIRED',
      );
      assert.equal(await store.users.find('carl'), undefined);
      await gateway.addUser({ name: 'carl', password: 'horse-battery-3', twoFactor: 'disable' });
      const [entry] = await store.auditLog.list({ limit: 1 });
      assert.deepEqual([entry?.action, entry?.detail], ['user.add', { twoFactor: 'disable' }]);
    });

    it('takes single-factor users when two-factor-required is disabled', async () => {
      await store.settings.set('user setting.two-factor-required', 'disable', 0);
      await gateway.addUser({ name: 'dora', password: 'horse-battery-4' });
      await store.settings.set('user setting.two-factor-required', 'enable', 0);
    });

    it('holds every password to one policy: length, common passwords, the user name', async () => {
      for (const password of ['x', 'short', 'password123', 'Passw0rd', 'erin-the-user-erin']) {
        await assertRejectsCode(
          gateway.addUser({ name: 'erin', password, twoFactor: 'disable' }),
          'TW_PASSWORD_WEAK',
        );
      }
      const weakInFile = [
        'config user local',
        '    edit "fred"',
        '        set passwd "12345678"',
        '    next',
        'end',
      ].join('\n');
      await assertRejectsCode(importConfig(store, cipher, weakInFile, 0), 'TW_CONFIG_INVALID');
      assert.equal(await store.users.find('fred'), undefined);
    });
  });
}

describe('gateway user add and console-admin (CLI)', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'tokenward-single-factor-'));
    await writeFile(join(root, 'placeholder'), '');
  });
  after(() => rm(root, { recursive: true, force: true }));
  const data = () => ['--data', join(root, 'data')];

  it('refuses a password-only user, takes one with --no-two-factor and warns', async () => {
    const refused = await runCliWithStdin(
      ['gateway', 'user', 'add', 'carl', '--password-stdin', ...data()],
      'horse-battery-3\n',
    );
    assert.equal(refused.code, 1);
    assert.match(refused.err, /TW_TWO_FACTOR_REQUIRED/);
    const weak = await runCliWithStdin(
      ['gateway', 'user', 'add', 'carl', '--password-stdin', '--no-two-factor', ...data()],
      'x\n',
    );
    assert.match(weak.err, /TW_PASSWORD_WEAK/);
    const allowed = await runCliWithStdin(
      ['gateway', 'user', 'add', 'carl', '--password-stdin', '--no-two-factor', ...data()],
      'horse-battery-3\n',
    );
    assert.equal(allowed.code, 0, allowed.err);
    assert.match(allowed.err, /TW_WARN_SINGLE_FACTOR_USER/);
  });

  it('holds the console admin to 12 characters', async () => {
    const short = await runCliWithStdin(
      ['gateway', 'console-admin', '--password-stdin', ...data()],
      'elevenchars\n',
    );
    assert.match(short.err, /TW_PASSWORD_WEAK/);
  });
});
