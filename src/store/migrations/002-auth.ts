import type { Kysely, Migration } from 'kysely';

/** The auth engine's tables: login sessions between the two factors, and the auth log. */
export const auth: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('auth_sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('front_end', 'text', (c) => c.notNull())
      .addColumn('source_ip', 'text')
      .addColumn('application', 'text')
      .addColumn('client', 'text')
      .addColumn('push_number', 'integer')
      .addColumn('code_enc', 'text')
      .addColumn('code_expires_at', 'bigint')
      .addColumn('resync_step', 'bigint')
      .addColumn('resync_drift', 'integer')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('auth_sessions_expires')
      .on('auth_sessions')
      .column('expires_at')
      .execute();

    await db.schema
      .createTable('auth_log')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('source_ip', 'text')
      .addColumn('front_end', 'text', (c) => c.notNull())
      .addColumn('client', 'text')
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('latency_ms', 'integer', (c) => c.notNull())
      .addColumn('node', 'text')
      .execute();
    await db.schema.createIndex('auth_log_at').on('auth_log').column('at').execute();
    await db.schema
      .createIndex('auth_log_user')
      .on('auth_log')
      .columns(['username', 'at'])
      .execute();
  },
};
