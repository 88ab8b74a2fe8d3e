import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { isUniqueViolation } from '../unique-violation.js';

/**
 * Nonces of signed requests, shared by every node of the database: a nonce is taken once, by one
 * insert whose primary key makes a second insert fail, on one node or many.
 */
export function createRequestNonceRepository(db: Kysely<Database>) {
  return {
    /** True for the first taker of `nonce`; false when it was taken before (a replay). */
    async take(nonce: string, expiresAt: number): Promise<boolean> {
      try {
        await db.insertInto('requestNonces').values({ nonce, expiresAt }).execute();
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },

    /** Forgets nonces whose requests can no longer be accepted anyway; returns how many. */
    async deleteExpired(now: number): Promise<number> {
      const result = await db
        .deleteFrom('requestNonces')
        .where('expiresAt', '<', now)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type RequestNonceRepository = ReturnType<typeof createRequestNonceRepository>;
