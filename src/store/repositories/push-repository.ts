import type { Kysely, Selectable } from 'kysely';
import type { Database, PushesTable, PushStatus } from '../schema.js';

/** A push login request relayed from a gateway to a phone. */
export type Push = Selectable<PushesTable>;

export interface PushAnswer {
  readonly status: Extract<PushStatus, 'approved' | 'denied'>;
  readonly tokenCode: string | null;
  readonly hmac: string | null;
}

export function createPushRepository(db: Kysely<Database>) {
  return {
    async create(push: Push): Promise<void> {
      await db.insertInto('pushes').values(push).execute();
    },

    find(id: string): Promise<Push | undefined> {
      return db.selectFrom('pushes').selectAll().where('id', '=', id).executeTakeFirst();
    },

    findMany(ids: readonly string[]): Promise<Push[]> {
      if (ids.length === 0) return Promise.resolve([]);
      return db.selectFrom('pushes').selectAll().where('id', 'in', ids).execute();
    },

    /** Pending, unexpired pushes for a phone's tokens, oldest first. */
    listPending(tokenSerials: readonly string[], now: number): Promise<Push[]> {
      if (tokenSerials.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('pushes')
        .selectAll()
        .where('tokenSerial', 'in', tokenSerials)
        .where('status', '=', 'pending')
        .where('expiresAt', '>', now)
        .orderBy('createdAt')
        .execute();
    },

    /** Pushes of a token still waiting for an answer, and all those created since `since`. */
    async countRecent(
      tokenSerial: string,
      now: number,
      since: number,
    ): Promise<{ pending: number; recent: number }> {
      const rows = await db
        .selectFrom('pushes')
        .select(['status', 'expiresAt', 'createdAt'])
        .where('tokenSerial', '=', tokenSerial)
        .where((eb) => eb.or([eb('createdAt', '>=', since), eb('status', '=', 'pending')]))
        .execute();
      return {
        pending: rows.filter((row) => row.status === 'pending' && row.expiresAt > now).length,
        recent: rows.filter((row) => row.createdAt >= since).length,
      };
    },

    /** Records the phone's answer once: true for exactly one reply, and only before expiry. */
    async answer(id: string, answer: PushAnswer, now: number): Promise<boolean> {
      const result = await db
        .updateTable('pushes')
        .set({ ...answer, answeredAt: now })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where('expiresAt', '>', now)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    /** Marks pending pushes past their expiry as expired; returns how many. */
    async expire(now: number): Promise<number> {
      const result = await db
        .updateTable('pushes')
        .set({ status: 'expired' })
        .where('status', '=', 'pending')
        .where('expiresAt', '<=', now)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}

export type PushRepository = ReturnType<typeof createPushRepository>;
