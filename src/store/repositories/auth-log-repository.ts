import { type Kysely, type Selectable, sql } from 'kysely';
import type { AuthResult, FrontEnd } from '../../core/login-terms.js';
import type { AuthLogTable, Database } from '../schema.js';
import { countUpToCap, startsWith } from '../search-terms.js';
import { sortableId } from '../sortable-id.js';

export type AuthLogEntry = Selectable<AuthLogTable>;

export interface AuthLogQuery {
  readonly username?: string;
  /** The start of the user name or of the source address. */
  readonly text?: string;
  readonly result?: AuthResult;
  readonly frontEnd?: FrontEnd;
  /** From `since` (inclusive) to `until` (exclusive). */
  readonly since?: number;
  readonly until?: number;
  readonly offset?: number;
  readonly limit?: number;
}

/** Logins of one hour (`hour`: its start) with one result. */
export interface LoginsInHour {
  readonly hour: number;
  readonly result: AuthResult;
  readonly count: number;
}

const HOUR_MS = 3_600_000;

/** The auth log: every login decision with its reason (never a password or a code). */
export function createAuthLogRepository(db: Kysely<Database>) {
  const filtered = (query: AuthLogQuery) => {
    let select = db.selectFrom('authLog');
    if (query.username !== undefined) select = select.where('username', '=', query.username);
    const text = query.text;
    if (text !== undefined && text !== '') {
      select = select.where((eb) =>
        eb.or([startsWith('username', text), startsWith('sourceIp', text)]),
      );
    }
    if (query.result !== undefined) select = select.where('result', '=', query.result);
    if (query.frontEnd !== undefined) select = select.where('frontEnd', '=', query.frontEnd);
    if (query.since !== undefined) select = select.where('at', '>=', query.since);
    if (query.until !== undefined) select = select.where('at', '<', query.until);
    return select;
  };
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
      return filtered(query)
        .selectAll()
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .offset(query.offset ?? 0)
        .limit(query.limit ?? 100)
        .execute();
    },

    /** How many entries match, counted up to `COUNT_CAP`. */
    count(query: AuthLogQuery = {}): Promise<number> {
      return countUpToCap(db, filtered(query).select('id'));
    },

    /** Logins per hour and result from `since` to `until` (read through the `at` index). */
    async perHour(since: number, until: number): Promise<LoginsInHour[]> {
      const hour = sql<number>`(at - (at % ${sql.lit(HOUR_MS)}))`;
      const rows = await db
        .selectFrom('authLog')
        .select((eb) => [hour.as('hour'), 'result', eb.fn.countAll<number | string>().as('n')])
        .where('at', '>=', since)
        .where('at', '<', until)
        .groupBy([hour, 'result'])
        .execute();
      return rows.map((row) => ({
        hour: Number(row.hour),
        result: row.result,
        count: Number(row.n),
      }));
    },

    /** The user names or source addresses with the most rejected logins since `since`. */
    async topRejected(
      by: 'username' | 'sourceIp',
      since: number,
      limit: number,
    ): Promise<{ key: string; count: number }[]> {
      const rows = await db
        .selectFrom('authLog')
        .select((eb) => [eb.ref(by).as('key'), eb.fn.countAll<number | string>().as('n')])
        .where('at', '>=', since)
        .where('result', '=', 'reject')
        .where(by, 'is not', null)
        .groupBy(by)
        .orderBy('n', 'desc')
        .orderBy(by)
        .limit(limit)
        .execute();
      return rows.map((row) => ({ key: String(row.key), count: Number(row.n) }));
    },
  };
}

export type AuthLogRepository = ReturnType<typeof createAuthLogRepository>;
