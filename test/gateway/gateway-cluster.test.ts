import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAtRestCipher } from '../../src/crypto/at-rest-cipher.js';
import { createGateway } from '../../src/gateway/gateway.js';
import { createNotifier } from '../../src/gateway/notifier.js';
import { createLogger } from '../../src/log/create-logger.js';
import { createStore, type Store } from '../../src/store/store.js';
import { assertRejectsCode } from '../helpers/assert-code.js';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/databases.js';
import {
  type ProvisionerHarness,
  startProvisionerHarness,
} from '../helpers/provisioner-harness.js';
import { userRow } from '../helpers/rows.js';

const postgres = engines.find((e) => e.engine === 'postgres');

// Several gateway nodes on one PostgreSQL database form one cluster (DESIGN section 7).
describe('two gateway nodes on one PostgreSQL database', {
  skip: postgres?.skip ?? 'no postgres',
}, () => {
  let h: ProvisionerHarness;
  let database: TestDatabase;
  let stores: Store[];
  before(async () => {
    h = await startProvisionerHarness('postgres', undefined, { realTime: true });
    database = await createTestDatabase('postgres');
    stores = [await createStore(database.url), await createStore(database.url)];
  });
  after(async () => {
    for (const store of stores ?? []) await store.close();
    await database?.drop();
    await h?.close();
  });

  it('name every member in each poll and share the licences', async () => {
    const cipher = createAtRestCipher(Buffer.alloc(32, 4));
    const node = (store: Store, serial?: string) =>
      createGateway({
        store,
        cipher,
        log: createLogger({ level: 'silent' }),
        notifier: createNotifier({}),
        ...(serial === undefined ? {} : { serial }),
      });
    const [storeA, storeB] = stores as [Store, Store];
    for (const serial of ['FGT60F0000000001', 'FGT60F0000000002']) {
      const added = await h.provisioner.admin.addGateway({ serial, cluster: 'hq' }, h.clock.now);
      await node(serial === 'FGT60F0000000001' ? storeA : storeB).enroll({
        provisionerUrl: h.url,
        serial,
        secret: added.secret,
      });
    }
    const a = node(storeA, 'FGT60F0000000001');
    const b = node(storeB, 'FGT60F0000000002');
    const { serials } = await a.importLicence('0000-0000-0000-0000-0000');

    for (const member of [a, b]) {
      const polled = await member.poll({ all: true });
      assert.deepEqual(polled.members, [
        { sn: polled.members[0]?.sn, error: null },
        { sn: polled.members[1]?.sn, error: null },
      ]);
      assert.deepEqual(polled.members.map((m) => m.sn).sort(), [
        'FGT60F0000000001',
        'FGT60F0000000002',
      ]);
    }
    // Node B sees and provisions the token node A imported (the cluster shares licences).
    assert.deepEqual((await b.listTokens()).map((t) => t.serial).sort(), [...serials].sort());
    await storeB.users.create({
      ...userRow('alice', h.clock.now),
      tokenSerial: serials[0] ?? null,
    });
    await assertRejectsCode(b.provisionToken(serials[0] ?? ''), 'TW_DELIVERY_FAILED');
    assert.equal(
      (await a.showToken(serials[0] ?? '')).state,
      'provisioning',
      'provisioned by node B, seen by node A',
    );

    await assertRejectsCode(node(storeA).poll(), 'TW_GATEWAY_NOT_ENROLLED');
  });
});
