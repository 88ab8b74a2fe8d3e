import type { Kysely, Selectable } from 'kysely';
import type { ActivationCodeEnd, ActivationCodesTable, Database } from '../schema.js';

/** One issued activation or transfer code, by hash; its row remembers how it ended. */
export type ActivationCodeRecord = Selectable<ActivationCodesTable>;

export function createActivationCodeRepository(db: Kysely<Database>) {
  const endOpenCodes = (tokenSerial: string, reason: ActivationCodeEnd, now: number) =>
    db
      .updateTable('activationCodes')
      .set({ endedAt: now, endReason: reason })
      .where('tokenSerial', '=', tokenSerial)
      .where('usedAt', 'is', null)
      .where('endedAt', 'is', null)
      .execute();

  return {
    /**
     * Records a new code for a token and ends every open one as superseded (DESIGN section 4:
     * the previous code stops working at once). Call inside a transaction with the token update.
     */
    async issue(
      code: Pick<
        ActivationCodeRecord,
        'codeHash' | 'tokenSerial' | 'kind' | 'issuedAt' | 'expiresAt'
      >,
    ): Promise<void> {
      await endOpenCodes(code.tokenSerial, 'superseded', code.issuedAt);
      await db
        .insertInto('activationCodes')
        .values({ ...code, usedAt: null, usedByRegId: null, endedAt: null, endReason: null })
        .execute();
    },

    find(codeHash: string): Promise<ActivationCodeRecord | undefined> {
      return db
        .selectFrom('activationCodes')
        .selectAll()
        .where('codeHash', '=', codeHash)
        .executeTakeFirst();
    },

    /**
     * Claims an open, unexpired code for one phone with a single conditional UPDATE: of any
     * number of concurrent claims, on one node or many, exactly one returns true.
     */
    async claim(codeHash: string, regId: string, now: number): Promise<boolean> {
      const result = await db
        .updateTable('activationCodes')
        .set({ usedAt: now, usedByRegId: regId })
        .where('codeHash', '=', codeHash)
        .where('usedAt', 'is', null)
        .where('endedAt', 'is', null)
        .where('expiresAt', '>', now)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    /** Ends a token's open codes (revoke). */
    async revokeOpen(tokenSerial: string, now: number): Promise<void> {
      await endOpenCodes(tokenSerial, 'revoked', now);
    },
  };
}

export type ActivationCodeRepository = ReturnType<typeof createActivationCodeRepository>;
