import type { Kysely, Selectable, Updateable } from 'kysely';
import type { TokenState } from '../../core/token-state.js';
import type { Database, TokensTable } from '../schema.js';
import { insertOrConflict } from '../unique-violation.js';

/** A token as the provisioner holds it: licence, seed (encrypted), phone binding. */
export type Token = Selectable<TokensTable>;

/** A token with the cluster its licence belongs to. */
export type ClusterToken = Token & { clusterId: string | null };

/** Keeps IN lists well under PostgreSQL's 65,535 bind parameters and SQLite's 32,766. */
const CHUNK = 1000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += CHUNK)
    out.push(items.slice(start, start + CHUNK));
  return out;
}

export function createTokenRepository(db: Kysely<Database>) {
  const withCluster = () =>
    db
      .selectFrom('tokens')
      .innerJoin('licences', 'licences.name', 'tokens.licenceName')
      .selectAll('tokens')
      .select('licences.clusterId');

  /**
   * The tokens asked for that belong to the cluster: primary-key lookups, then a filter by the
   * cluster's licences (few). A join would let the planner walk a licence's tokens instead,
   * which SQLite does once a licence is large; this way a poll's cost follows the tokens asked,
   * not the size of the table.
   */
  const findManyInCluster = async (
    serials: readonly string[],
    clusterId: string,
  ): Promise<ClusterToken[]> => {
    const licences = await db
      .selectFrom('licences')
      .select('name')
      .where('clusterId', '=', clusterId)
      .execute();
    const names = new Set(licences.map((licence) => licence.name));
    const found: ClusterToken[] = [];
    for (const chunk of chunks(serials)) {
      const rows = await db.selectFrom('tokens').selectAll().where('serial', 'in', chunk).execute();
      for (const row of rows) if (names.has(row.licenceName)) found.push({ ...row, clusterId });
    }
    return found;
  };

  return {
    async createMany(tokens: readonly Token[]): Promise<void> {
      await insertOrConflict('A token with one of these serials', async () => {
        for (const chunk of chunks(tokens)) await db.insertInto('tokens').values(chunk).execute();
      });
    },

    find(serial: string): Promise<Token | undefined> {
      return db.selectFrom('tokens').selectAll().where('serial', '=', serial).executeTakeFirst();
    },

    async findInCluster(serial: string, clusterId: string): Promise<ClusterToken | undefined> {
      return (await findManyInCluster([serial], clusterId))[0];
    },

    findManyInCluster,

    /** Serials already taken, of those given (to re-mint colliding serials). */
    async existing(serials: readonly string[]): Promise<Set<string>> {
      const taken = new Set<string>();
      for (const chunk of chunks(serials)) {
        const rows = await db
          .selectFrom('tokens')
          .select('serial')
          .where('serial', 'in', chunk)
          .execute();
        for (const row of rows) taken.add(row.serial);
      }
      return taken;
    },

    list(
      filter: { clusterId?: string; state?: TokenState; licenceName?: string } = {},
    ): Promise<ClusterToken[]> {
      let query = withCluster();
      if (filter.clusterId !== undefined)
        query = query.where('licences.clusterId', '=', filter.clusterId);
      if (filter.state !== undefined) query = query.where('tokens.state', '=', filter.state);
      if (filter.licenceName !== undefined)
        query = query.where('tokens.licenceName', '=', filter.licenceName);
      return query.orderBy('tokens.serial').execute();
    },

    listByDevice(regId: string): Promise<Token[]> {
      return db
        .selectFrom('tokens')
        .selectAll()
        .where('deviceRegId', '=', regId)
        .orderBy('serial')
        .execute();
    },

    /**
     * Changes a token only if it is still in `expectedState` (compare-and-set): a concurrent
     * change in between makes this return undefined instead of overwriting it. With
     * `newSeed`, the seed version goes up by one in the same statement.
     */
    async transition(
      serial: string,
      expectedState: TokenState,
      patch: Updateable<TokensTable>,
      newSeed = false,
    ): Promise<Token | undefined> {
      return db
        .updateTable('tokens')
        .set((eb) => ({ ...patch, ...(newSeed ? { seedVersion: eb('seedVersion', '+', 1) } : {}) }))
        .where('serial', '=', serial)
        .where('state', '=', expectedState)
        .returningAll()
        .executeTakeFirst();
    },

    /** Tokens of `serials` whose activation code ran out become `provision timeout`. */
    async expireActivations(serials: readonly string[], now: number): Promise<void> {
      for (const chunk of chunks(serials)) {
        await db
          .updateTable('tokens')
          .set({ state: 'provision timeout', activationExpiresAt: null, updatedAt: now })
          .where('serial', 'in', chunk)
          .where('state', '=', 'provisioning')
          .where('activationExpiresAt', '<=', now)
          .execute();
      }
    },

    /**
     * Takes the token's row lock for the rest of the transaction (a no-op write works on both
     * engines, unlike SELECT ... FOR UPDATE), so checks made after it see no concurrent change.
     */
    async lock(serial: string): Promise<void> {
      await db
        .updateTable('tokens')
        .set((eb) => ({ serial: eb.ref('serial') }))
        .where('serial', '=', serial)
        .execute();
    },
  };
}

export type TokenRepository = ReturnType<typeof createTokenRepository>;
