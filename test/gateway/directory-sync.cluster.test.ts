import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAtRestCipher } from '../../src/crypto/at-rest-cipher.js';
import type { SyncReport } from '../../src/gateway/directory-sync.js';
import { startDirectorySyncLoop } from '../../src/gateway/directory-sync-schedule.js';
import { createGateway, type Gateway } from '../../src/gateway/gateway.js';
import { createNotifier } from '../../src/gateway/notifier.js';
import { createLogger } from '../../src/log/create-logger.js';
import { createStore, type Store } from '../../src/store/store.js';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/databases.js';
import {
  GROUPS_DN,
  PEOPLE_DN,
  slapdComponent,
  startSlapd,
  type TestDirectory,
} from '../helpers/slapd.js';

const MINUTE = 60_000;

// The background sync in a cluster: the nodes share one database and each looks whether a sync
// is due; one of them runs it per interval. Threat: two nodes enrolling the same members at once
// (two tokens for one person, two activation mails).
for (const { engine, skip } of engines) {
  describe(`directory sync schedule across nodes [${engine}]`, {
    skip: skip || slapdComponent.skip,
  }, () => {
    let database: TestDatabase;
    let directory: TestDirectory;
    const stores: Store[] = [];
    const nodes: Gateway[] = [];
    let now = 1_800_000_000_000;

    before(async () => {
      directory = await startSlapd([{ uid: 'dana', password: 'pw' }], {
        groups: [{ cn: 'vpn', members: ['dana'] }],
      });
      database = await createTestDatabase(engine);
      for (let n = 0; n < 2; n++) {
        const store = await createStore(database.url);
        stores.push(store);
        nodes.push(
          createGateway({
            store,
            cipher: createAtRestCipher(Buffer.alloc(32, 4)),
            log: createLogger({ level: 'silent' }),
            notifier: createNotifier({}),
            clock: () => now,
          }),
        );
      }
      const [first] = nodes;
      await first?.saveLdapServer({
        name: 'corp',
        server: '127.0.0.1',
        port: directory.port,
        cnid: 'uid',
        dn: PEOPLE_DN,
      });
      await first?.saveUserGroup({
        name: 'vpn',
        matches: [{ server: 'corp', group: `cn=vpn,${GROUPS_DN}` }],
        autoEnrol: true,
      });
    });
    after(async () => {
      for (const store of stores) await store.close();
      await database?.drop();
      await directory?.close();
    });

    const bothAtOnce = () => Promise.all(nodes.map((node) => node.syncDirectoryIfDue()));

    it('runs one sync per interval, on one node of the two', async () => {
      const first = await bothAtOnce();
      assert.equal(first.filter((report) => report !== undefined).length, 1);
      assert.deepEqual(await bothAtOnce(), [undefined, undefined], 'not due again yet');
      now += 59 * MINUTE;
      assert.deepEqual(await bothAtOnce(), [undefined, undefined], 'the interval is 60 minutes');
      now += 2 * MINUTE;
      assert.equal((await bothAtOnce()).filter((report) => report !== undefined).length, 1);
      const audited = await stores[0]?.auditLog.list({ action: 'directory.sync' });
      assert.equal(audited?.length, 2);
    });

    it('runs none with directory-sync-interval 0 (on demand only)', async () => {
      await nodes[0]?.changeSettings([
        { path: 'user setting', name: 'directory-sync-interval', value: 0 },
      ]);
      now += 24 * 60 * MINUTE;
      // The node that changed it reads it at once (another within CONFIG_CHECK_MS).
      assert.equal(await nodes[0]?.syncDirectoryIfDue(), undefined);
      const onDemand = await nodes[1]?.syncDirectory();
      assert.ok(onDemand !== undefined);
      await nodes[0]?.changeSettings([
        { path: 'user setting', name: 'directory-sync-interval', value: 60 },
      ]);
    });
  });
}

describe('the directory sync loop', () => {
  it('carries on after a failed round and logs each report', async () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', destination: { write: (l) => lines.push(l) } });
    let rounds = 0;
    const report: SyncReport = { added: ['dana'], kept: 0, leaving: [], removed: [], failed: [] };
    const loop = startDirectorySyncLoop({
      log,
      checkEveryMs: 1,
      syncIfDue: async () => {
        rounds++;
        if (rounds === 1) throw new Error('database away');
        return report;
      },
    });
    const deadline = performance.now() + 10_000;
    while (!lines.some((l) => l.includes('directory sync done')) && performance.now() < deadline) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await loop.stop();
    assert.ok(lines.some((l) => l.includes('directory sync failed: database away')));
    assert.ok(lines.some((l) => l.includes('"added":1') && l.includes('directory sync done')));
  });
});
