import type { Kysely, Selectable } from 'kysely';
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
  return {
    async append(entry: Omit<AuthLogEntry, 'id'>): Promise<void> {
      await db
        .insertInto('authLog')
        .values({ id: sortableId(entry.at), ...entry })
        .execute();
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
