import type { Kysely, Selectable } from 'kysely';
import type { AuthSessionsTable, Database } from '../schema.js';

export type AuthSession = Selectable<AuthSessionsTable>;

export function createAuthSessionRepository(db: Kysely<Database>) {
  return {
    async create(session: AuthSession): Promise<void> {
      await db.insertInto('authSessions').values(session).execute();
    },

    /**
     * Uses a session once: the single conditional UPDATE succeeds for exactly one caller, on any
     * node, and only before the session expires.
     */
    consume(idHash: string, now: number): Promise<AuthSession | undefined> {
      return db
        .updateTable('authSessions')
        .set({ usedAt: now })
        .where('idHash', '=', idHash)
        .where('usedAt', 'is', null)
        .where('expiresAt', '>', now)
        .returningAll()
        .executeTakeFirst();
    },

    /** Deletes sessions that ended before `before`; returns how many. */
    async deleteEnded(before: number): Promise<number> {
      const result = await db
        .deleteFrom('authSessions')
        .where('expiresAt', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type AuthSessionRepository = ReturnType<typeof createAuthSessionRepository>;
