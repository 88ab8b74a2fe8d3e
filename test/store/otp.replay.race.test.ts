import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createStore, type Store } from '../../src/store/store.js';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/databases.js';
import { startRacers } from '../helpers/race.js';
import { fortitokenRow } from '../helpers/rows.js';

const now = 1_700_000_000_000;

// Threat: one OTP code replayed to several gateway nodes at the same moment. 2 processes x 10
// connections accept the same step; the compare-and-set lets exactly one through.
for (const { engine, skip } of engines) {
  describe(`OTP step accepted concurrently [${engine}]`, { skip }, () => {
    let database: TestDatabase;
    let store: Store;
    before(async () => {
      database = await createTestDatabase(engine);
      store = await createStore(database.url);
      await store.fortitokens.createMany([fortitokenRow('FTKMOB83F91CD33B', now)]);
    });
    after(async () => {
      await store?.close();
      await database?.drop();
    });

    it('has exactly one winner among 20 acceptances of one step, each round', async () => {
      const racers = await startRacers(database.url, 2, 10);
      try {
        for (const step of [28_333_333, 28_333_334, 28_333_336]) {
          const claim = { kind: 'otp-step' as const, serial: 'FTKMOB83F91CD33B', step, now };
          assert.deepEqual(await racers.race(claim), { wins: 1, attempts: 20 }, `step ${step}`);
        }
      } finally {
        await racers.close();
      }
      assert.equal((await store.fortitokens.find('FTKMOB83F91CD33B'))?.lastStep, 28_333_336);
    });
  });
}
