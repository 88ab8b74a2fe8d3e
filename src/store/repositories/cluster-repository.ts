import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { ClustersTable, Database } from '../schema.js';
import { insertOrConflict } from '../unique-violation.js';

export type Cluster = Selectable<ClustersTable>;

export function createClusterRepository(db: Kysely<Database>) {
  return {
    async create(name: string, now: number): Promise<Cluster> {
      const cluster = { id: randomUUID(), name, createdAt: now, trialClaimedAt: null };
      await insertOrConflict(`Cluster "${name}"`, () =>
        db.insertInto('clusters').values(cluster).execute(),
      );
      return cluster;
    },

    findById(id: string): Promise<Cluster | undefined> {
      return db.selectFrom('clusters').selectAll().where('id', '=', id).executeTakeFirst();
    },

    findByName(name: string): Promise<Cluster | undefined> {
      return db.selectFrom('clusters').selectAll().where('name', '=', name).executeTakeFirst();
    },

    list(): Promise<Cluster[]> {
      return db.selectFrom('clusters').selectAll().orderBy('name').execute();
    },

    /** The one trial import a cluster may make: true for exactly one caller, ever. */
    async claimTrial(id: string, now: number): Promise<boolean> {
      const result = await db
        .updateTable('clusters')
        .set({ trialClaimedAt: now })
        .where('id', '=', id)
        .where('trialClaimedAt', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },
  };
}

export type ClusterRepository = ReturnType<typeof createClusterRepository>;
