import type { Kysely } from 'kysely';
import type { AuditLogTable, Database } from '../schema.js';
import { countUpToCap, startsWith } from '../search-terms.js';
import { sortableId } from '../sortable-id.js';

export interface AuditEntry {
  readonly at: number;
  readonly actor: string;
  readonly action: string;
  readonly subject?: string | null;
  readonly outcome: AuditLogTable['outcome'];
  /** Structured context; callers never put secrets here. */
  readonly detail?: Record<string, unknown> | null;
}

export interface AuditQuery {
  readonly limit?: number;
  readonly action?: string;
  readonly actor?: string;
  readonly subject?: string;
  readonly outcome?: AuditLogTable['outcome'];
  /** The start of the actor, the action or the subject. */
  readonly text?: string;
  /** From `since` (inclusive) to `until` (exclusive). */
  readonly since?: number;
  readonly until?: number;
  readonly offset?: number;
}

/** Who did what, when, with what outcome: admin changes and login decisions. Append-only. */
export function createAuditLogRepository(db: Kysely<Database>) {
  const filtered = (query: AuditQuery) => {
    let select = db.selectFrom('auditLog');
    if (query.action !== undefined) select = select.where('action', '=', query.action);
    if (query.actor !== undefined) select = select.where('actor', '=', query.actor);
    if (query.subject !== undefined) select = select.where('subject', '=', query.subject);
    if (query.outcome !== undefined) select = select.where('outcome', '=', query.outcome);
    const text = query.text;
    if (text !== undefined && text !== '') {
      select = select.where((eb) =>
        eb.or([startsWith('actor', text), startsWith('action', text), startsWith('subject', text)]),
      );
    }
    if (query.since !== undefined) select = select.where('at', '>=', query.since);
    if (query.until !== undefined) select = select.where('at', '<', query.until);
    return select;
  };
  return {
    async append(entry: AuditEntry): Promise<void> {
      await db
        .insertInto('auditLog')
        .values({
          id: sortableId(entry.at),
          at: entry.at,
          actor: entry.actor,
          action: entry.action,
          subject: entry.subject ?? null,
          outcome: entry.outcome,
          detail: entry.detail == null ? null : JSON.stringify(entry.detail),
        })
        .execute();
    },

    /**
     * Entries after the id `after` written before `settled` (ms), in id order: what the syslog
     * forwarder sends next. Ids carry the writer's time; waiting until `settled` lets a slower
     * writer's transaction commit before the cursor passes its id.
     */
    after(after: string, settled: number, limit: number) {
      return db
        .selectFrom('auditLog')
        .selectAll()
        .where('id', '>', after)
        .where('at', '<', settled)
        .orderBy('id')
        .limit(limit)
        .execute();
    },

    /** The id of the last entry ('' when there is none). */
    async lastId(): Promise<string> {
      const row = await db
        .selectFrom('auditLog')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirst();
      return row?.id ?? '';
    },

    /** Deletes entries from before `before` (retention); returns how many. */
    async deleteBefore(before: number): Promise<number> {
      const result = await db.deleteFrom('auditLog').where('at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** Newest first. */
    async list(query: AuditQuery = {}): Promise<(AuditEntry & { id: string })[]> {
      const rows = await filtered(query)
        .selectAll()
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .offset(query.offset ?? 0)
        .limit(query.limit ?? 100)
        .execute();
      return rows.map((row) => ({
        ...row,
        detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
      }));
    },

    /** How many entries match, counted up to `COUNT_CAP`. */
    count(query: AuditQuery = {}): Promise<number> {
      return countUpToCap(db, filtered(query).select('id'));
    },
  };
}

export type AuditLogRepository = ReturnType<typeof createAuditLogRepository>;
