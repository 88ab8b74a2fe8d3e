import { type Expression, type SqlBool, sql } from 'kysely';

export { COUNT_CAP } from '../core/limits.js';

/**
 * Strings starting with `prefix`, as a range an index answers ([prefix, prefix + U+10FFFF)):
 * LIKE would need a case-insensitive collation on SQLite and a pattern operator class on
 * PostgreSQL to use one. Both compare text bytewise here (BINARY, and the C collations).
 */
export const startsWith = (column: string, prefix: string): Expression<SqlBool> =>
  sql<SqlBool>`(${sql.ref(column)} >= ${prefix} and ${sql.ref(column)} < ${`${prefix}\u{10FFFF}`})`;
