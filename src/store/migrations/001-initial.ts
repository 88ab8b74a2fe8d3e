import type { Kysely, Migration } from 'kysely';

/** The first schema: every table of src/store/schema.ts. Names are snake_case in SQL. */
export const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('clusters')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('trial_claimed_at', 'bigint')
      .execute();

    await db.schema
      .createTable('gateways')
      .addColumn('serial', 'text', (c) => c.primaryKey())
      .addColumn('cluster_id', 'text', (c) => c.notNull().references('clusters.id'))
      .addColumn('secret_hash_enc', 'text', (c) => c.notNull())
      .addColumn('sealing_key', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_at', 'bigint')
      .execute();
    await db.schema.createIndex('gateways_cluster').on('gateways').column('cluster_id').execute();

    await db.schema
      .createTable('licences')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('token_count', 'integer', (c) => c.notNull())
      .addColumn('code_hash', 'text', (c) => c.unique())
      .addColumn('cluster_id', 'text', (c) => c.references('clusters.id'))
      .addColumn('transfer_policy', 'text', (c) => c.notNull())
      .addColumn('export_policy', 'text', (c) => c.notNull().defaultTo('forbidden'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('redeemed_at', 'bigint')
      .execute();
    await db.schema.createIndex('licences_cluster').on('licences').column('cluster_id').execute();

    await db.schema
      .createTable('tokens')
      .addColumn('serial', 'text', (c) => c.primaryKey())
      .addColumn('licence_name', 'text', (c) => c.notNull().references('licences.name'))
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('locked_from', 'text')
      .addColumn('algorithm', 'text', (c) => c.notNull())
      .addColumn('digits', 'integer', (c) => c.notNull())
      .addColumn('period', 'integer', (c) => c.notNull())
      .addColumn('seed_enc', 'text')
      .addColumn('seed_version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('device_reg_id', 'text')
      .addColumn('label', 'text')
      .addColumn('activated_at', 'bigint')
      .addColumn('activation_expires_at', 'bigint')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('tokens_licence').on('tokens').column('licence_name').execute();
    await db.schema.createIndex('tokens_device').on('tokens').column('device_reg_id').execute();

    await db.schema
      .createTable('activation_codes')
      .addColumn('code_hash', 'text', (c) => c.primaryKey())
      .addColumn('token_serial', 'text', (c) => c.notNull().references('tokens.serial'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('issued_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .addColumn('used_by_reg_id', 'text')
      .addColumn('ended_at', 'bigint')
      .addColumn('end_reason', 'text')
      .execute();
    await db.schema
      .createIndex('activation_codes_token')
      .on('activation_codes')
      .column('token_serial')
      .execute();

    await db.schema
      .createTable('devices')
      .addColumn('reg_id', 'text', (c) => c.primaryKey())
      .addColumn('identity_key', 'text', (c) => c.notNull())
      .addColumn('sealing_key', 'text', (c) => c.notNull())
      .addColumn('os_ver', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('pushes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('token_serial', 'text', (c) => c.notNull().references('tokens.serial'))
      .addColumn('gateway_serial', 'text', (c) => c.notNull())
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('context', 'text', (c) => c.notNull())
      .addColumn('number', 'integer')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('answered_at', 'bigint')
      .addColumn('token_code', 'text')
      .addColumn('hmac', 'text')
      .execute();
    await db.schema
      .createIndex('pushes_token_status')
      .on('pushes')
      .columns(['token_serial', 'status'])
      .execute();

    await db.schema
      .createTable('users')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('email', 'text')
      .addColumn('sms_phone', 'text')
      .addColumn('two_factor', 'text', (c) => c.notNull())
      .addColumn('token_serial', 'text', (c) => c.unique())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('fail_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked_at', 'bigint')
      .addColumn('locked_until', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('fortitokens')
      .addColumn('serial', 'text', (c) => c.primaryKey())
      .addColumn('licence', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('locked_from', 'text')
      .addColumn('algorithm', 'text', (c) => c.notNull())
      .addColumn('digits', 'integer', (c) => c.notNull())
      .addColumn('period', 'integer', (c) => c.notNull())
      .addColumn('seed_enc', 'text')
      .addColumn('seed_version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('activation_code_enc', 'text')
      .addColumn('activation_expires_at', 'bigint')
      .addColumn('reg_id', 'text')
      .addColumn('os_ver', 'text')
      .addColumn('comments', 'text')
      .addColumn('drift', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_step', 'bigint')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('fortitokens_state').on('fortitokens').column('state').execute();

    await db.schema
      .createTable('radius_clients')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('secret_enc', 'text', (c) => c.notNull())
      .addColumn('message_authenticator', 'text', (c) => c.notNull())
      .addColumn('otp_mode', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('audit_log')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('subject', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      .execute();
    await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
  },
};
