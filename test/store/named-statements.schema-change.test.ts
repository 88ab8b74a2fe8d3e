import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createStore, type Store } from '../../src/store/store.js';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/databases.js';
import { userRow } from '../helpers/rows.js';

const postgres = engines.find((e) => e.engine === 'postgres');

// Threat to availability: a newer node adds a column while this one runs; every query it had
// prepared by name over `select *` would then fail with "cached plan must not change result
// type" on each of its connections, and logins with it.
describe('named prepared statements across a schema change [postgres]', {
  skip: postgres?.skip ?? 'no postgres',
}, () => {
  let database: TestDatabase;
  let store: Store;
  before(async () => {
    database = await createTestDatabase('postgres');
    // One connection, so the second read runs where the first was prepared.
    store = await createStore(database.url, { poolSize: 1 });
    await store.users.create(userRow('alice', Date.now()));
  });
  after(async () => {
    await store?.close();
    await database?.drop();
  });

  it('still answers a query prepared before another node added a column', async () => {
    assert.equal((await store.users.find('alice'))?.name, 'alice');
    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    await other.query('alter table users add column added_by_a_newer_node text');
    await other.end();
    assert.equal((await store.users.find('alice'))?.name, 'alice');
    assert.equal((await store.users.find('alice'))?.name, 'alice');
  });
});
