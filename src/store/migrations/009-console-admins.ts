import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Several console admins, each with a role and the gateway user whose token is their second
 * factor; the one admin kept until now in the settings (`console.admin`) becomes a `super`.
 * Also the index the console's user search by e-mail prefix needs.
 */
export const consoleAdmins: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('console_admins')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('token_user', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    const { rows } = await sql<{ value: string; at: number | string }>`
      select value, updated_at as at from settings where key = 'console.admin'`.execute(db);
    const old = rows[0];
    if (old !== undefined) {
      const admin = JSON.parse(old.value) as { name: string; passwordHash: string };
      const at = Number(old.at);
      await sql`insert into console_admins (name, password_hash, role, token_user, created_at, updated_at)
        values (${admin.name}, ${admin.passwordHash}, 'super', null, ${at}, ${at})`.execute(db);
      await sql`delete from settings where key = 'console.admin'`.execute(db);
    }
    await db.schema.createIndex('users_email').on('users').column('email').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('users_email').execute();
    await db.schema.dropTable('console_admins').execute();
  },
};
