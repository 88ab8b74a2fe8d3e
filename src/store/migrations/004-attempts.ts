import type { Kysely, Migration } from 'kysely';

/** Failed attempts per key (a source address, an admin name), shared by every node. */
export const attempts: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('attempts')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('last_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('attempts_last_at').on('attempts').column('last_at').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('attempts').execute();
  },
};
