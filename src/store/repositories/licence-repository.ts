import type { Kysely, Selectable } from 'kysely';
import type { Database, LicencesTable } from '../schema.js';
import { insertOrConflict } from '../unique-violation.js';

export type Licence = Selectable<LicencesTable>;

export function createLicenceRepository(db: Kysely<Database>) {
  return {
    async create(licence: Licence): Promise<void> {
      await insertOrConflict(`Licence ${licence.name}`, () =>
        db.insertInto('licences').values(licence).execute(),
      );
    },

    find(name: string): Promise<Licence | undefined> {
      return db.selectFrom('licences').selectAll().where('name', '=', name).executeTakeFirst();
    },

    findByCodeHash(codeHash: string): Promise<Licence | undefined> {
      return db
        .selectFrom('licences')
        .selectAll()
        .where('codeHash', '=', codeHash)
        .executeTakeFirst();
    },

    list(): Promise<Licence[]> {
      return db.selectFrom('licences').selectAll().orderBy('createdAt').orderBy('name').execute();
    },

    listByCluster(clusterId: string): Promise<Licence[]> {
      return db
        .selectFrom('licences')
        .selectAll()
        .where('clusterId', '=', clusterId)
        .orderBy('createdAt')
        .orderBy('name')
        .execute();
    },

    /** Redeems a pack for a cluster: true for exactly one caller; a redeemed pack stays put. */
    async redeem(codeHash: string, clusterId: string, now: number): Promise<boolean> {
      const result = await db
        .updateTable('licences')
        .set({ clusterId, redeemedAt: now })
        .where('codeHash', '=', codeHash)
        .where('clusterId', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    /** The provisioner admin moves a licence to another cluster (no lock-in). */
    async move(name: string, clusterId: string, now: number): Promise<boolean> {
      const result = await db
        .updateTable('licences')
        .set((eb) => ({ clusterId, redeemedAt: eb.fn.coalesce('redeemedAt', eb.val(now)) }))
        .where('name', '=', name)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },
  };
}

export type LicenceRepository = ReturnType<typeof createLicenceRepository>;
