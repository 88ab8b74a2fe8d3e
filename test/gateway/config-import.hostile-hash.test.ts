import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAtRestCipher } from '../../src/crypto/at-rest-cipher.js';
import { hashPassword } from '../../src/crypto/password-hash.js';
import { createAuthEngine } from '../../src/gateway/auth/auth-engine.js';
import { createGateway, type Gateway } from '../../src/gateway/gateway.js';
import { createNotifier } from '../../src/gateway/notifier.js';
import { createProvisionerConnection } from '../../src/gateway/provisioner-link.js';
import { createLogger } from '../../src/log/create-logger.js';
import { createStore, type Store } from '../../src/store/store.js';
import { assertRejectsCode } from '../helpers/assert-code.js';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/databases.js';

// Threat: a config file whose `passwd ENC` carries a hash that matches (nearly) any password,
// a backdoor that survives review of a long file; or one that breaks every login of the user.
const cipher = createAtRestCipher(Buffer.alloc(32, 5));
const now = 1_700_000_000_000;
const salt = Buffer.alloc(16, 1).toString('base64').replace(/=+$/, '');
const digest = Buffer.alloc(32, 2).toString('base64').replace(/=+$/, '');
const hostile = [
  `$scrypt$ln=10,r=8,p=1$${salt}$AA`, // a one-byte digest: one password in 256 matches
  `$scrypt$ln=10,r=8,p=1$${salt}$`, // no digest at all
  `$scrypt$ln=10,r=8,p=1$$${digest}`, // no salt
  `$scrypt$ln=10,r=8,p=1$AA$${digest}`, // a one-byte salt
  `$scrypt$ln=10,r=8,p=1$${salt}$${digest}AAAA`, // a digest too long
  `$scrypt$ln=1,r=8,p=1$${salt}$${digest}`, // too cheap to mean anything
  `$scrypt$ln=22,r=32,p=1$${salt}$${digest}`, // 16 GiB per login: a denial of service
  '$scrypt$garbage',
];
const userBlock = (hash: string) =>
  [
    'config user local',
    '    edit "eve"',
    '        set type password',
    `        set passwd ENC ${Buffer.from(hash).toString('base64')}`,
    'next',
    'end',
  ].join('\n');

for (const { engine, skip } of engines) {
  describe(`config import: hostile password hashes [${engine}]`, { skip }, () => {
    let database: TestDatabase;
    let store: Store;
    let gateway: Gateway;
    before(async () => {
      database = await createTestDatabase(engine);
      store = await createStore(database.url);
      gateway = createGateway({
        store,
        cipher,
        log: createLogger({ level: 'silent' }),
        notifier: createNotifier({}),
        clock: () => now,
      });
    });
    after(async () => {
      await store?.close();
      await database?.drop();
    });

    it('refuses every hash that is not whole, and writes nothing', async () => {
      for (const hash of hostile) {
        await assertRejectsCode(gateway.importConfig(userBlock(hash)), 'TW_CONFIG_INVALID');
      }
      assert.equal(await store.users.find('eve'), undefined);
    });

    it('takes a whole hash that config show printed', async () => {
      await gateway.importConfig(
        userBlock(await hashPassword('battery-horse-6', { logN: 10, r: 8, p: 1 })),
      );
      assert.ok(await store.users.find('eve'));
    });

    it('refuses a login whose stored hash is malformed, without an internal error', async () => {
      await store.users.update('eve', { passwordHash: hostile[0] ?? '', updatedAt: now });
      const auth = createAuthEngine({
        store,
        cipher,
        log: createLogger({ level: 'silent' }),
        notifier: createNotifier({}),
        connection: createProvisionerConnection({ store, cipher, clock: () => now }),
        clock: () => now,
      });
      for (const password of ['battery-horse-6', 'x', '']) {
        const outcome = await auth.login({
          username: 'eve',
          password,
          context: { frontEnd: 'http' },
        });
        assert.equal(outcome.result, 'reject');
        assert.equal(outcome.reason, 'password-hash-invalid');
      }
    });
  });
}
