import type { Kysely, Selectable } from 'kysely';
import type { Database, RadiusClientsTable } from '../schema.js';
import { insertOrConflict } from '../unique-violation.js';

/** A NAS or VPN concentrator allowed to send Access-Requests (secret encrypted at rest). */
export type RadiusClient = Selectable<RadiusClientsTable>;

export function createRadiusClientRepository(db: Kysely<Database>) {
  return {
    async add(client: RadiusClient): Promise<void> {
      await insertOrConflict(`RADIUS client "${client.name}"`, () =>
        db.insertInto('radiusClients').values(client).execute(),
      );
    },

    find(name: string): Promise<RadiusClient | undefined> {
      return db.selectFrom('radiusClients').selectAll().where('name', '=', name).executeTakeFirst();
    },

    list(): Promise<RadiusClient[]> {
      return db.selectFrom('radiusClients').selectAll().orderBy('name').execute();
    },

    async remove(name: string): Promise<boolean> {
      const result = await db
        .deleteFrom('radiusClients')
        .where('name', '=', name)
        .executeTakeFirst();
      return result.numDeletedRows === 1n;
    },
  };
}

export type RadiusClientRepository = ReturnType<typeof createRadiusClientRepository>;
