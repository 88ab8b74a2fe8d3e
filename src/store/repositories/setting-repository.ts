import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/**
 * Settings as JSON values by key (e.g. `system.global.two-factor-ftm-expiry`). Typing and
 * defaults belong to the configuration layer; this stores and returns what it is given.
 */
export function createSettingRepository(db: Kysely<Database>) {
  return {
    async get(key: string): Promise<unknown> {
      const row = await db
        .selectFrom('settings')
        .select('value')
        .where('key', '=', key)
        .executeTakeFirst();
      return row === undefined ? undefined : JSON.parse(row.value);
    },

    async set(key: string, value: unknown, now: number): Promise<void> {
      const json = JSON.stringify(value);
      await db
        .insertInto('settings')
        .values({ key, value: json, updatedAt: now })
        .onConflict((conflict) =>
          conflict.column('key').doUpdateSet({ value: json, updatedAt: now }),
        )
        .execute();
    },

    /** Stores `value` unless the key has one; true when this call stored it. */
    async setIfAbsent(key: string, value: unknown, now: number): Promise<boolean> {
      const result = await db
        .insertInto('settings')
        .values({ key, value: JSON.stringify(value), updatedAt: now })
        .onConflict((conflict) => conflict.column('key').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
    },

    async all(): Promise<Map<string, unknown>> {
      const rows = await db
        .selectFrom('settings')
        .select(['key', 'value'])
        .orderBy('key')
        .execute();
      return new Map(rows.map((row) => [row.key, JSON.parse(row.value)]));
    },
  };
}

export type SettingRepository = ReturnType<typeof createSettingRepository>;
