import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { type AtRestCipher, createAtRestCipher } from '../../src/crypto/at-rest-cipher.js';
import { loadMasterKey } from '../../src/crypto/master-key.js';
import { createNotifier } from '../../src/gateway/notifier.js';
import { sealRadiusSecret } from '../../src/gateway/token-secrets.js';
import { SEALED_COLUMNS } from '../../src/maintenance/sealed-inventory.js';
import { createMobileToken } from '../../src/mobile/mobile-token.js';
import { openDatabase } from '../../src/store/database.js';
import { REKEY_STATE } from '../../src/store/open-sealed-store.js';
import { createStore, type Store } from '../../src/store/store.js';
import { startTestAllInOne } from '../helpers/all-in-one.js';
import { runCli, spawnCli, waitForOutput } from '../helpers/cli.js';
import { createTestDatabase, engines } from '../helpers/databases.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';

// Threat: a master key rotation killed half-way leaves secrets under two keys, or under a key
// that is then lost. Run again it must finish, every sealed value under the new key only.
const MANY = 3000;
const SEALED_ANYWHERE = /v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22,}/g;

/** Every sealed-looking string in every table (JSON values too): what a rotation must move. */
async function sealedStrings(url: string): Promise<Set<string>> {
  const { db } = openDatabase(url);
  try {
    const found = new Set<string>();
    for (const table of await db.introspection.getTables()) {
      if (table.name.startsWith('kysely_')) continue;
      const rows = await sql<
        Record<string, unknown>
      >`select * from ${sql.table(table.name)}`.execute(db);
      for (const row of rows.rows) {
        for (const value of Object.values(row)) {
          if (typeof value === 'string')
            for (const [match] of value.matchAll(SEALED_ANYWHERE)) found.add(match);
        }
      }
    }
    return found;
  } finally {
    await db.destroy();
  }
}

/** How many values of the inventory's columns open with `cipher`, and how many do not. */
async function opening(store: Store, cipher: AtRestCipher) {
  let opened = 0;
  let refused = 0;
  for (const column of SEALED_COLUMNS) {
    for (const { key, sealed } of await store.sealedValues.page(column, undefined, 1_000_000)) {
      try {
        cipher.decrypt(sealed, column.aad(key));
        opened += 1;
      } catch {
        refused += 1;
      }
    }
  }
  return { opened, refused };
}

for (const { engine, skip } of engines) {
  describe(`tokenward rekey, killed half-way and run again [${engine}]`, { skip }, () => {
    const cleanups: (() => Promise<void>)[] = [];
    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });

    it('finishes on the second run: every value under the new key, none under the old, logins work', async () => {
      const root = await mkdtemp(join(tmpdir(), 'tokenward-rekey-'));
      cleanups.push(() => rm(root, { recursive: true, force: true }));
      const dataDir = join(root, 'data');
      const database = engine === 'sqlite' ? undefined : await createTestDatabase(engine);
      if (database !== undefined) cleanups.push(() => database.drop());
      const url = database?.url ?? `sqlite:${join(dataDir, 'tokenward.db')}`;
      const data = ['--data', dataDir, '--db', url];
      const smtp = await startSmtpSink();
      cleanups.push(() => smtp.close());
      const notifier = createNotifier({
        smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none', from: 'vpn@example.com' },
      });

      // A gateway in use: a user on a phone, a mail password, a directory's service password,
      // and many RADIUS clients so the rotation takes many transactions.
      let running = await startTestAllInOne(root, notifier, url);
      await running.gateway.addUser({
        name: 'alice',
        password: 'correct-horse-5',
        email: 'alice@example.com',
        token: 'auto',
      });
      const code = /^ {4}([A-Z2-7]{16})$/m.exec(smtp.received[0]?.text ?? '')?.[1] ?? '';
      const phone = createMobileToken({ dir: join(root, 'phone'), version: '1.0.0' });
      await phone.activate({ code, server: running.provisionerUrl });
      const serial = (await running.gateway.showUser('alice')).tokenSerial ?? '';
      await running.gateway.poll();
      await running.gateway.setMailServer({
        host: '127.0.0.1',
        port: smtp.port,
        tls: 'none',
        from: 'vpn@example.com',
        user: 'mailer',
        password: 'mail-password-1',
      });
      await running.gateway.saveLdapServer({
        name: 'corp',
        server: '127.0.0.1',
        dn: 'dc=example,dc=com',
        type: 'regular',
        username: 'cn=reader,dc=example,dc=com',
        password: 'ldap-password-1',
      });
      await running.close();
      const oldCipher = createAtRestCipher(await loadMasterKey({ dataDir }));
      const store = await createStore(url);
      cleanups.push(() => store.close());
      await store.transaction(async (trx) => {
        for (let i = 0; i < MANY; i += 1) {
          const name = `nas-${String(i).padStart(5, '0')}`;
          await trx.radiusClients.add({
            name,
            address: '192.0.2.1',
            secretEnc: sealRadiusSecret(oldCipher, name, `secret-of-${name}`),
            messageAuthenticator: 'require',
            otpMode: 'challenge',
            createdAt: 0,
            allowedGroups: null,
          });
        }
      });
      const before = await sealedStrings(url);
      assert.ok(before.size > MANY + 4, `${before.size} sealed values`);
      const oldKeyFile = await readFile(join(dataDir, 'master.key'), 'utf8');

      // First run: killed as soon as its first batch has committed.
      const child = spawnCli(['rekey', ...data, '--batch-size', '1']);
      const exited = once(child, 'exit');
      await waitForOutput(child, /values re-sealed so far/, 60_000);
      child.kill('SIGKILL');
      await exited;
      assert.notEqual(await store.settings.get(REKEY_STATE), undefined, 'killed before the end');
      await assert.rejects(startTestAllInOne(root, notifier, url), { code: 'TW_REKEY_UNFINISHED' });

      // Second run: goes on and finishes.
      const second = await runCli(['rekey', ...data]);
      assert.equal(second.code, 0, second.err);
      const [, moved = '0', already = '0'] =
        /Master key rotated: (\d+) values re-sealed, (\d+) found re-sealed by an earlier run\./.exec(
          second.out,
        ) ?? [];
      assert.ok(Number(already) >= 1, second.out);
      assert.equal(
        Number(moved) + Number(already),
        before.size - 1,
        'every value but the key check',
      );
      assert.doesNotMatch(second.out + second.err, /secret-of-|mail-password|ldap-password/);

      const newKeyFile = await readFile(join(dataDir, 'master.key'), 'utf8');
      assert.notEqual(newKeyFile, oldKeyFile);
      const newCipher = createAtRestCipher(await loadMasterKey({ dataDir }));
      const afterRotation = await sealedStrings(url);
      assert.equal(afterRotation.size, before.size);
      assert.deepEqual(
        [...afterRotation].filter((value) => before.has(value)),
        [],
        'no value left as it was',
      );
      const underNew = await opening(store, newCipher);
      assert.ok(underNew.opened > MANY, `${underNew.opened} values`);
      assert.deepEqual(await opening(store, oldCipher), { opened: 0, refused: underNew.opened });
      assert.equal(underNew.refused, 0);
      assert.equal(await store.settings.get(REKEY_STATE), undefined);

      // The gateway starts under the new key and alice logs in with her phone's code.
      running = await startTestAllInOne(root, notifier, url);
      cleanups.push(() => running.close());
      const login = await running.auth.login({
        username: 'alice',
        password: 'correct-horse-5',
        code: (await phone.code(serial)).code,
        context: { frontEnd: 'http', sourceIp: '203.0.113.9' },
      });
      assert.equal(login.result, 'accept', JSON.stringify(login));
      const nas = (await running.gateway.radiusClientsWithSecrets()).find(
        (c) => c.name === 'nas-02999',
      );
      assert.equal(nas?.secret.toString(), 'secret-of-nas-02999');
    });
  });
}
