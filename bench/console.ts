import { sql } from 'kysely';
import { createAtRestCipher } from '../src/crypto/at-rest-cipher.js';
import type { UserQuery } from '../src/gateway/find-users.js';
import { createGateway } from '../src/gateway/gateway.js';
import { createNotifier } from '../src/gateway/notifier.js';
import { createLogger } from '../src/log/create-logger.js';
import { openDatabase } from '../src/store/database.js';
import type { Fortitoken } from '../src/store/repositories/fortitoken-repository.js';
import type { User } from '../src/store/repositories/user-repository.js';
import { createStore, type Store } from '../src/store/store.js';
import { createTestDatabase } from '../test/helpers/databases.js';
import { fortitokenRow, userRow } from '../test/helpers/rows.js';
import { latencySummary, report } from './measure.js';

const SIZES = [10_000, 100_000] as const;
const ROUNDS = 400;
const now = Date.now();
const name = (i: number) => `user${String(i).padStart(6, '0')}`;

/** `count` users, every other one holding a provisioned token, every fifth on e-mail codes. */
async function seed(store: Store, count: number): Promise<void> {
  for (let from = 0; from < count; from += 1_000) {
    const users: User[] = [];
    const tokens: Fortitoken[] = [];
    for (let i = from; i < Math.min(count, from + 1_000); i++) {
      const serial = `FTKMOB${String(i).padStart(10, '0')}`;
      if (i % 2 === 0) tokens.push(fortitokenRow(serial, now));
      users.push({
        ...userRow(name(i), now),
        email: `${name(i)}@example.com`,
        twoFactor: i % 5 === 0 ? 'email' : 'fortitoken',
        tokenSerial: i % 2 === 0 ? serial : null,
      });
    }
    await store.transaction(async (tx) => {
      await tx.fortitokens.createMany(tokens);
      for (let i = 0; i < users.length; i += 200)
        await tx.users.createMany(users.slice(i, i + 200));
    });
  }
}

async function timed(rounds: number, operation: (round: number) => Promise<unknown>) {
  for (let i = 0; i < 20; i++) await operation(i);
  const latencies: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await operation(i);
    latencies.push(performance.now() - start);
  }
  return latencySummary(latencies, 1);
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

/**
 * The console's user search (the use case the users table calls: one page of 50 and the
 * capped count) at 10,000 and 100,000 users, beside a primary-key lookup of one user in the
 * same store: the first page, a prefix search of the name, and a filtered page. The aim: the
 * search's cost grows less than 5x while the store grows 10x.
 */
export async function benchConsole(): Promise<void> {
  for (const engine of ['sqlite', 'postgres'] as const) {
    const medians = new Map<string, number>();
    for (const size of SIZES) {
      const database = await createTestDatabase(engine);
      const store = await createStore(database.url);
      try {
        await seed(store, size);
        // A table of that size has statistics by then (autovacuum's analyze); a fresh bulk load
        // does not yet, and PostgreSQL would plan the prefix search as a scan.
        if (engine === 'postgres') {
          const { db } = openDatabase(database.url);
          await sql`analyze`.execute(db);
          await db.destroy();
        }
        const gateway = createGateway({
          store,
          cipher: createAtRestCipher(Buffer.alloc(32, 1)),
          log: createLogger({ level: 'silent' }),
          notifier: createNotifier({}),
        });
        const pick = (round: number) => name((round * 7_919) % size);
        const page: UserQuery = { sort: 'name', descending: false, offset: 0, limit: 50 };
        const lookup = await timed(ROUNDS, (round) => store.users.find(pick(round)));
        const cases: Record<string, (round: number) => Promise<unknown>> = {
          'first page': () => gateway.findUsers(page),
          'name prefix': (round) => gateway.findUsers({ ...page, text: pick(round).slice(0, 9) }),
          'e-mail users, page 20': () =>
            gateway.findUsers({ ...page, twoFactor: 'email', offset: 950 }),
        };
        for (const [label, operation] of Object.entries(cases)) {
          const search = await timed(ROUNDS, operation);
          medians.set(`${label}@${size}`, search.p50);
          report(
            `console search [${engine}, ${size.toLocaleString('en-US')} users] ${label} p50/p99`,
            `${ms(search.p50)} / ${ms(search.p99)}`,
            `primary-key lookup ${ms(lookup.p50)} / ${ms(lookup.p99)}`,
            search.p50 / lookup.p50,
          );
        }
      } finally {
        await store.close();
        await database.drop();
      }
    }
    for (const label of ['first page', 'name prefix', 'e-mail users, page 20']) {
      const small = medians.get(`${label}@${SIZES[0]}`) ?? 0;
      const large = medians.get(`${label}@${SIZES[1]}`) ?? 0;
      report(
        `console search [${engine}] ${label}: growth with a 10x store (p50)`,
        ms(large),
        ms(small),
        large / small,
      );
    }
  }
}
