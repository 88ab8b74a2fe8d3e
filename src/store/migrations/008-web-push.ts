import type { Kysely, Migration } from 'kysely';

/** A phone's Web Push subscription (JSON), where the provisioner announces a waiting push. */
export const webPush: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('devices').addColumn('web_push', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('devices').dropColumn('web_push').execute();
  },
};
