import type { Kysely, Migration } from 'kysely';

/** LDAP servers (`config user ldap`) and the local users whose password the directory checks. */
export const ldap: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('ldap_servers')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('server', 'text', (c) => c.notNull())
      .addColumn('secondary_server', 'text')
      .addColumn('tertiary_server', 'text')
      .addColumn('port', 'integer', (c) => c.notNull())
      .addColumn('secure', 'text', (c) => c.notNull())
      .addColumn('ca_cert', 'text')
      .addColumn('cnid', 'text', (c) => c.notNull())
      .addColumn('dn', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('username', 'text')
      .addColumn('password_enc', 'text')
      .addColumn('group_member_check', 'text', (c) => c.notNull())
      .addColumn('member_attr', 'text', (c) => c.notNull())
      .addColumn('email_attr', 'text', (c) => c.notNull())
      .addColumn('phone_attr', 'text', (c) => c.notNull())
      .addColumn('timeout_seconds', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    // FortiOS `set type ldap` + `set ldap-server NAME`: null for a local password.
    await db.schema
      .alterTable('users')
      .addColumn('ldap_server', 'text', (c) => c.references('ldap_servers.name'))
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('users').dropColumn('ldap_server').execute();
    await db.schema.dropTable('ldap_servers').execute();
  },
};
