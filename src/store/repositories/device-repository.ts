import type { Kysely, Selectable } from 'kysely';
import type { Database, DevicesTable } from '../schema.js';

/** A phone, known by its reg-id (SHA-256 of its identity public key). */
export type Device = Selectable<DevicesTable>;

export function createDeviceRepository(db: Kysely<Database>) {
  return {
    /** Records a phone or refreshes its os-ver and sealing key; the identity key never changes. */
    async upsert(device: Omit<Device, 'webPush'>): Promise<void> {
      await db
        .insertInto('devices')
        .values(device)
        .onConflict((conflict) =>
          conflict.column('regId').doUpdateSet({
            sealingKey: device.sealingKey,
            osVer: device.osVer,
            lastSeenAt: device.lastSeenAt,
          }),
        )
        .execute();
    },

    findMany(regIds: readonly string[]): Promise<Device[]> {
      if (regIds.length === 0) return Promise.resolve([]);
      return db.selectFrom('devices').selectAll().where('regId', 'in', regIds).execute();
    },

    /** Stores (or, with null, forgets) the phone's Web Push subscription; false if no such phone. */
    async setWebPush(regId: string, subscription: string | null): Promise<boolean> {
      const result = await db
        .updateTable('devices')
        .set({ webPush: subscription })
        .where('regId', '=', regId)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    find(regId: string): Promise<Device | undefined> {
      return db.selectFrom('devices').selectAll().where('regId', '=', regId).executeTakeFirst();
    },
  };
}

export type DeviceRepository = ReturnType<typeof createDeviceRepository>;
