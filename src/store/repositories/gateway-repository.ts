import type { Kysely, Selectable } from 'kysely';
import type { Database, GatewaysTable } from '../schema.js';
import { insertOrConflict } from '../unique-violation.js';

export type Gateway = Selectable<GatewaysTable>;

export function createGatewayRepository(db: Kysely<Database>) {
  return {
    async enrol(gateway: Gateway): Promise<void> {
      await insertOrConflict(`Gateway ${gateway.serial}`, () =>
        db.insertInto('gateways').values(gateway).execute(),
      );
    },

    find(serial: string): Promise<Gateway | undefined> {
      return db.selectFrom('gateways').selectAll().where('serial', '=', serial).executeTakeFirst();
    },

    list(): Promise<Gateway[]> {
      return db.selectFrom('gateways').selectAll().orderBy('serial').execute();
    },

    listByCluster(clusterId: string): Promise<Gateway[]> {
      return db
        .selectFrom('gateways')
        .selectAll()
        .where('clusterId', '=', clusterId)
        .orderBy('serial')
        .execute();
    },

    async remove(serial: string): Promise<boolean> {
      const result = await db
        .deleteFrom('gateways')
        .where('serial', '=', serial)
        .executeTakeFirst();
      return result.numDeletedRows === 1n;
    },

    /** Registers the gateway's sealing key on first request; an enrolled key is never replaced. */
    async registerSealingKey(serial: string, sealingKey: string): Promise<boolean> {
      const result = await db
        .updateTable('gateways')
        .set({ sealingKey })
        .where('serial', '=', serial)
        .where('sealingKey', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    async touch(serial: string, now: number): Promise<void> {
      await db
        .updateTable('gateways')
        .set({ lastSeenAt: now })
        .where('serial', '=', serial)
        .execute();
    },
  };
}

export type GatewayRepository = ReturnType<typeof createGatewayRepository>;
