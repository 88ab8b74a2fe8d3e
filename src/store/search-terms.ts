import { type Expression, type Kysely, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import { COUNT_CAP } from '../core/limits.js';
import type { Database } from './schema.js';

export { COUNT_CAP };

/**
 * Strings starting with `prefix`, as a range an index answers ([prefix, prefix + U+10FFFF)):
 * LIKE would need a case-insensitive collation on SQLite and a pattern operator class on
 * PostgreSQL to use one. Both compare text bytewise here (BINARY, and the C collations).
 */
export const startsWith = (column: string, prefix: string): Expression<SqlBool> =>
  sql<SqlBool>`(${sql.ref(column)} >= ${prefix} and ${sql.ref(column)} < ${`${prefix}\u{10FFFF}`})`;

/** How many rows `matches` selects, reading no further than COUNT_CAP + 1 of them. */
export async function countUpToCap(
  db: Kysely<Database>,
  matches: SelectQueryBuilder<Database, keyof Database, object>,
): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from (${matches.limit(
    COUNT_CAP + 1,
  )}) as matches`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
