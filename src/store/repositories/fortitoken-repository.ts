import type { Kysely, Selectable, Updateable } from 'kysely';
import type { TokenState } from '../../core/token-state.js';
import type { Database, FortitokensTable } from '../schema.js';
import { insertOrConflict } from '../unique-violation.js';

/** A token as the gateway holds it (`config user fortitoken`), with its OTP check state. */
export type Fortitoken = Selectable<FortitokensTable>;

export function createFortitokenRepository(db: Kysely<Database>) {
  return {
    async createMany(tokens: readonly Fortitoken[]): Promise<void> {
      if (tokens.length === 0) return;
      await insertOrConflict('A token with one of these serials', () =>
        db.insertInto('fortitokens').values(tokens).execute(),
      );
    },

    find(serial: string): Promise<Fortitoken | undefined> {
      return db
        .selectFrom('fortitokens')
        .selectAll()
        .where('serial', '=', serial)
        .executeTakeFirst();
    },

    list(filter: { state?: TokenState; licence?: string } = {}): Promise<Fortitoken[]> {
      let query = db.selectFrom('fortitokens').selectAll();
      if (filter.state !== undefined) query = query.where('state', '=', filter.state);
      if (filter.licence !== undefined) query = query.where('licence', '=', filter.licence);
      return query.orderBy('serial').execute();
    },

    async update(serial: string, patch: Updateable<FortitokensTable>): Promise<boolean> {
      const result = await db
        .updateTable('fortitokens')
        .set(patch)
        .where('serial', '=', serial)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    /**
     * Accepts an OTP step once (RFC 6238 section 5.2): the single conditional UPDATE succeeds
     * only while `step` is later than the last accepted one, so of concurrent logins with one
     * code, on one node or many, exactly one wins.
     */
    async advanceStep(serial: string, step: number, drift: number, now: number): Promise<boolean> {
      const result = await db
        .updateTable('fortitokens')
        .set({ lastStep: step, drift, updatedAt: now })
        .where('serial', '=', serial)
        .where((eb) => eb.or([eb('lastStep', 'is', null), eb('lastStep', '<', step)]))
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },
  };
}

export type FortitokenRepository = ReturnType<typeof createFortitokenRepository>;
