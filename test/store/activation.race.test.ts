import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createStore, type Store } from '../../src/store/store.js';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/databases.js';
import { startRacers } from '../helpers/race.js';
import { tokenRow } from '../helpers/rows.js';

const now = 1_700_000_000_000;

// Threat: one activation code used on two phones at once (the source document's rule, made
// atomic). 5 processes x 10 connections claim the same code at the same moment.
for (const { engine, skip } of engines) {
  describe(`activation code claimed concurrently [${engine}]`, { skip }, () => {
    let database: TestDatabase;
    let store: Store;
    before(async () => {
      database = await createTestDatabase(engine);
      store = await createStore(database.url);
      await store.licences.create({
        name: 'TWTRIAL000000001',
        kind: 'trial',
        tokenCount: 2,
        codeHash: null,
        clusterId: null,
        transferPolicy: 'self-service',
        exportPolicy: 'forbidden',
        createdAt: now,
        redeemedAt: null,
      });
      await store.tokens.createMany([tokenRow('TWMOB0000000000A', 'TWTRIAL000000001', now)]);
      await store.activationCodes.issue({
        codeHash: 'contested',
        tokenSerial: 'TWMOB0000000000A',
        kind: 'activation',
        issuedAt: now,
        expiresAt: now + 72 * 3600_000,
      });
    });
    after(async () => {
      await store?.close();
      await database?.drop();
    });

    it('has exactly one winner among 50 claims on separate connections', async () => {
      const racers = await startRacers(database.url, 5, 10);
      try {
        const result = await racers.race({ kind: 'activation', codeHash: 'contested', now });
        assert.deepEqual(result, { wins: 1, attempts: 50 });
      } finally {
        await racers.close();
      }
      const claimed = await store.activationCodes.find('contested');
      assert.match(claimed?.usedByRegId ?? '', /^reg-\d+-\d$/);
    });
  });
}
