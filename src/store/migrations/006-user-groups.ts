import type { Kysely, Migration } from 'kysely';

/** User groups (`config user group`) and the groups a login in progress was found in. */
export const userGroups: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('user_groups')
      .addColumn('name', 'text', (c) => c.primaryKey())
      // JSON arrays: local user names; {server, group} directory matches; "Name=value" replies.
      .addColumn('members', 'text', (c) => c.notNull())
      .addColumn('matches', 'text', (c) => c.notNull())
      .addColumn('radius_attributes', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    // The groups found at the first step, for the Accept that ends a challenge or a push.
    await db.schema.alterTable('auth_sessions').addColumn('groups', 'text').execute();
    // JSON array of the user groups that may log in through a RADIUS client; null: everyone.
    await db.schema.alterTable('radius_clients').addColumn('allowed_groups', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('radius_clients').dropColumn('allowed_groups').execute();
    await db.schema.alterTable('auth_sessions').dropColumn('groups').execute();
    await db.schema.dropTable('user_groups').execute();
  },
};
