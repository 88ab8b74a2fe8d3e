import type { Kysely, Migration } from 'kysely';

/** Signed requests already taken, by nonce, until their timestamp leaves the 300 s window. */
export const requestNonces: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('request_nonces')
      .addColumn('nonce', 'text', (c) => c.primaryKey())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('request_nonces_expires')
      .on('request_nonces')
      .column('expires_at')
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('request_nonces').execute();
  },
};
