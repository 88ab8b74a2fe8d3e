import { type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import type { TokenState } from '../../core/token-state.js';
import type { Database, FortitokensTable } from '../schema.js';
import { insertOrConflict } from '../unique-violation.js';
import { searchTokens, type TokenPage, type TokenSearch } from './token-search.js';

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

    /** Serials of tokens in state `new` that no user holds (of one licence, when given). */
    async freeSerials(filter: { licence?: string } = {}): Promise<string[]> {
      let query = db
        .selectFrom('fortitokens')
        .leftJoin('users', 'users.tokenSerial', 'fortitokens.serial')
        .select('fortitokens.serial')
        .where('fortitokens.state', '=', 'new')
        .where('users.name', 'is', null);
      if (filter.licence !== undefined)
        query = query.where('fortitokens.licence', '=', filter.licence);
      return (await query.orderBy('fortitokens.serial').execute()).map((row) => row.serial);
    },

    /** One page of the console's tokens table with each token's holder (see `searchTokens`). */
    search(query: TokenSearch): Promise<TokenPage> {
      return searchTokens(db, query);
    },

    /**
     * Tokens counted by licence, state, lock status and whether a user holds them: one grouped
     * query whatever the number of tokens (the dashboard's cards).
     */
    async summary(): Promise<
      {
        licence: string;
        state: TokenState;
        status: 'active' | 'lock';
        held: boolean;
        count: number;
      }[]
    > {
      const held = sql<number>`case when users.name is null then 0 else 1 end`;
      const rows = await db
        .selectFrom('fortitokens')
        .leftJoin('users', 'users.tokenSerial', 'fortitokens.serial')
        .select((eb) => [
          'fortitokens.licence',
          'fortitokens.state',
          'fortitokens.status',
          held.as('held'),
          eb.fn.countAll<number | string>().as('n'),
        ])
        .groupBy(['fortitokens.licence', 'fortitokens.state', 'fortitokens.status', held])
        .execute();
      return rows.map((row) => ({
        licence: row.licence,
        state: row.state,
        status: row.status,
        held: Number(row.held) === 1,
        count: Number(row.n),
      }));
    },

    /** How many tokens are in each state (one grouped count, for /metrics). */
    async countByState(): Promise<Record<string, number>> {
      const rows = await db
        .selectFrom('fortitokens')
        .select((eb) => ['state', eb.fn.countAll<number>().as('count')])
        .groupBy('state')
        .execute();
      return Object.fromEntries(rows.map((row) => [row.state, Number(row.count)]));
    },

    /** Per licence: its tokens, and how many a user holds (the seats used). */
    async seatsByLicence(): Promise<{ licence: string; tokens: number; used: number }[]> {
      const rows = await db
        .selectFrom('fortitokens')
        .leftJoin('users', 'users.tokenSerial', 'fortitokens.serial')
        .select((eb) => [
          'fortitokens.licence as licence',
          eb.fn.countAll<number>().as('tokens'),
          eb.fn.count<number>('users.name').as('used'),
        ])
        .groupBy('fortitokens.licence')
        .orderBy('fortitokens.licence')
        .execute();
      return rows.map((row) => ({
        licence: row.licence,
        tokens: Number(row.tokens),
        used: Number(row.used),
      }));
    },

    /**
     * At most `limit` tokens in serial order after `after`: a walk over every token one page at
     * a time, so a gateway with 100,000 tokens never holds them all or blocks a login reading them.
     */
    listPage(page: {
      readonly state?: TokenState;
      readonly after?: string;
      readonly limit: number;
    }): Promise<Fortitoken[]> {
      let query = db.selectFrom('fortitokens').selectAll();
      if (page.state !== undefined) query = query.where('state', '=', page.state);
      if (page.after !== undefined) query = query.where('serial', '>', page.after);
      return query.orderBy('serial').limit(page.limit).execute();
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
     * code, on one node or many, exactly one wins. A token locked or revoked since the login
     * read it takes no step: the row read before a password hash may be that old.
     */
    async advanceStep(serial: string, step: number, drift: number, now: number): Promise<boolean> {
      // SQL as written, not built: this runs once per accepted login.
      const result = await sql`update fortitokens
        set last_step = ${step}, drift = ${drift}, updated_at = ${now}
        where serial = ${serial} and status = 'active' and state = 'provisioned'
          and (last_step is null or last_step < ${step})`.execute(db);
      return result.numAffectedRows === 1n;
    },
  };
}

export type FortitokenRepository = ReturnType<typeof createFortitokenRepository>;
