import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.js';

export interface AttemptCount {
  readonly failures: number;
  readonly lastAt: number;
}

/**
 * Failed attempts per key, counted by one upsert each so that failures on several nodes add up
 * exactly. A failure after `quietMs` without one starts the count again.
 */
export function createAttemptRepository(db: Kysely<Database>) {
  return {
    async fail(key: string, now: number, quietMs: number): Promise<AttemptCount> {
      const row = await db
        .insertInto('attempts')
        .values({ key, failures: 1, lastAt: now })
        .onConflict((conflict) =>
          conflict.column('key').doUpdateSet({
            failures: sql<number>`case when attempts.last_at <= ${now - quietMs} then 1 else attempts.failures + 1 end`,
            lastAt: now,
          }),
        )
        .returning(['failures', 'lastAt'])
        .executeTakeFirstOrThrow();
      return { failures: row.failures, lastAt: row.lastAt };
    },

    find(key: string): Promise<AttemptCount | undefined> {
      return db
        .selectFrom('attempts')
        .select(['failures', 'lastAt'])
        .where('key', '=', key)
        .executeTakeFirst();
    },

    async clear(key: string): Promise<void> {
      await db.deleteFrom('attempts').where('key', '=', key).execute();
    },

    /** Forgets counts idle since before `before`; returns how many. */
    async deleteIdle(before: number): Promise<number> {
      const result = await db
        .deleteFrom('attempts')
        .where('lastAt', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type AttemptRepository = ReturnType<typeof createAttemptRepository>;
