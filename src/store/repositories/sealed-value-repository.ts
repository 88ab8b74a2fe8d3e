import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.js';

/** A column that holds values sealed with the master key, and the key column of its rows. */
export interface SealedColumn {
  readonly table: keyof Database;
  /** The primary key (text): the AAD of each value is made from it. */
  readonly key: string;
  readonly column: string;
}

export interface SealedValue {
  readonly key: string;
  readonly sealed: string;
}

/**
 * Reads and rewrites the sealed values of any sealed column, for `tokenward rekey` and
 * `tokenward check`: one page at a time in key order, so a large table is never held at once.
 */
export function createSealedValueRepository(db: Kysely<Database>) {
  return {
    /** At most `limit` non-null values with a key after `after`, in key order. */
    async page(column: SealedColumn, after: string | undefined, limit: number) {
      const key = sql.ref(column.key);
      const value = sql.ref(column.column);
      const rows = await sql<SealedValue>`
        select ${key} as key, ${value} as sealed from ${sql.table(column.table)}
        where ${value} is not null ${after === undefined ? sql`` : sql`and ${key} > ${after}`}
        order by ${key} limit ${limit}`.execute(db);
      return rows.rows;
    },

    /** Replaces one value if it is still `expected`; false when another writer changed it. */
    async replace(column: SealedColumn, key: string, expected: string, sealed: string) {
      const result = await sql`
        update ${sql.table(column.table)} set ${sql.ref(column.column)} = ${sealed}
        where ${sql.ref(column.key)} = ${key} and ${sql.ref(column.column)} = ${expected}`.execute(
        db,
      );
      return result.numAffectedRows === 1n;
    },
  };
}
