import { type Kysely, type Selectable, sql } from 'kysely';
import type { AuthResult } from '../../core/login-terms.js';
import type { AuthLogTable, Database } from '../schema.js';
import { sortableId } from '../sortable-id.js';

export type AuthLogEntry = Selectable<AuthLogTable>;

export interface AuthLogQuery {
  readonly username?: string;
  readonly result?: AuthResult;
  readonly since?: number;
  readonly limit?: number;
}

/** The auth log: every login decision with its reason (never a password or a code). */
export function createAuthLogRepository(db: Kysely<Database>) {
  const appendMany = async (entries: readonly Omit<AuthLogEntry, 'id'>[]): Promise<void> => {
    let from = 0;
    while (from < entries.length) {
      const left = entries.length - from;
      const rows = entries.slice(from, from + (left >= 64 ? 64 : left >= 8 ? 8 : 1));
      // SQL as written, not built: this runs for every login.
      await sql`insert into auth_log
        (id, at, username, source_ip, front_end, client, method, result, reason, latency_ms, node)
        values ${sql.join(
          rows.map(
            (e) =>
              sql`(${sortableId(e.at)}, ${e.at}, ${e.username}, ${e.sourceIp}, ${e.frontEnd}, ${e.client}, ${e.method}, ${e.result}, ${e.reason}, ${e.latencyMs}, ${e.node})`,
          ),
        )}`.execute(db);
      from += rows.length;
    }
  };
  return {
    async append(entry: Omit<AuthLogEntry, 'id'>): Promise<void> {
      await appendMany([entry]);
    },

    /**
     * Many entries in as few statements as keep the SQL texts few (rows of 64, 8 and 1), so
     * the prepared statements are reused whatever the batch's size.
     */
    appendMany,

    /**
     * One node's entries (null: those no node decided) after the id `after`, in the order they
     * were written: what the syslog forwarder sends next.
     */
    after(node: string | null, after: string, limit: number): Promise<AuthLogEntry[]> {
      return db
        .selectFrom('authLog')
        .selectAll()
        .where((eb) => (node === null ? eb('node', 'is', null) : eb('node', '=', node)))
        .where('id', '>', after)
        .orderBy('id')
        .limit(limit)
        .execute();
    },

    /** The id of a node's last entry ('' when it has none). */
    async lastId(node: string | null): Promise<string> {
      const row = await db
        .selectFrom('authLog')
        .select((eb) => eb.fn.max('id').as('id'))
        .where((eb) => (node === null ? eb('node', 'is', null) : eb('node', '=', node)))
        .executeTakeFirst();
      return row?.id ?? '';
    },

    /** Deletes entries from before `before` (retention); returns how many. */
    async deleteBefore(before: number): Promise<number> {
      const result = await db.deleteFrom('authLog').where('at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** Newest first. */
    list(query: AuthLogQuery = {}): Promise<AuthLogEntry[]> {
      let select = db.selectFrom('authLog').selectAll();
      if (query.username !== undefined) select = select.where('username', '=', query.username);
      if (query.result !== undefined) select = select.where('result', '=', query.result);
      if (query.since !== undefined) select = select.where('at', '>=', query.since);
      return select
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(query.limit ?? 100)
        .execute();
    },
  };
}

export type AuthLogRepository = ReturnType<typeof createAuthLogRepository>;
