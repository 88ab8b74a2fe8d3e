import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/**
 * Settings as JSON values by key (e.g. `system.global.two-factor-ftm-expiry`). Typing and
 * defaults belong to the configuration layer; this stores and returns what it is given.
 */
export function createSettingRepository(db: Kysely<Database>) {
  /** Stores `value` unless the key has one; true when this call stored it. */
  const setIfAbsent = async (key: string, value: unknown, now: number): Promise<boolean> => {
    const result = await db
      .insertInto('settings')
      .values({ key, value: JSON.stringify(value), updatedAt: now })
      .onConflict((conflict) => conflict.column('key').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  };

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

    setIfAbsent,

    /**
     * Stores `value` only if the key still holds `expected` (absent: undefined), in one
     * statement: of several nodes racing, exactly one sees true.
     */
    async replaceIf(key: string, expected: unknown, value: unknown, now: number) {
      if (expected === undefined) return setIfAbsent(key, value, now);
      const result = await db
        .updateTable('settings')
        .set({ value: JSON.stringify(value), updatedAt: now })
        .where('key', '=', key)
        .where('value', '=', JSON.stringify(expected))
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    async all(): Promise<Map<string, unknown>> {
      const rows = await db
        .selectFrom('settings')
        .select(['key', 'value'])
        .orderBy('key')
        .execute();
      return new Map(rows.map((row) => [row.key, JSON.parse(row.value)]));
    },

    async delete(key: string): Promise<void> {
      await db.deleteFrom('settings').where('key', '=', key).execute();
    },
  };
}

export type SettingRepository = ReturnType<typeof createSettingRepository>;
