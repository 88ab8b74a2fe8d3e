import type { Kysely, Migration } from 'kysely';

/**
 * Group-driven enrolment: groups that give their directory members a token (from a licence),
 * groups whose members log in without a second factor (break-glass), and on each local entry
 * the group that enrolled it and since when the directory no longer lists it.
 */
export const directorySync: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('user_groups')
      .addColumn('auto_enrol', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('user_groups').addColumn('licence', 'text').execute();
    await db.schema
      .alterTable('user_groups')
      .addColumn('two_factor', 'text', (c) => c.notNull().defaultTo('enable'))
      .execute();
    await db.schema.alterTable('users').addColumn('enrolled_by', 'text').execute();
    await db.schema.alterTable('users').addColumn('directory_gone_at', 'bigint').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('users').dropColumn('directory_gone_at').execute();
    await db.schema.alterTable('users').dropColumn('enrolled_by').execute();
    await db.schema.alterTable('user_groups').dropColumn('two_factor').execute();
    await db.schema.alterTable('user_groups').dropColumn('licence').execute();
    await db.schema.alterTable('user_groups').dropColumn('auto_enrol').execute();
  },
};
