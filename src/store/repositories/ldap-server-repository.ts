import type { Kysely, Selectable } from 'kysely';
import type { Database, LdapServersTable } from '../schema.js';

/** An LDAP server as stored (`config user ldap`; the service account's password sealed). */
export type LdapServer = Selectable<LdapServersTable>;

export function createLdapServerRepository(db: Kysely<Database>) {
  return {
    /** Adds the server, or replaces the one of its name; true when it replaced one. */
    async save(server: LdapServer): Promise<boolean> {
      const { name, ...fields } = server;
      const replaced = await db
        .updateTable('ldapServers')
        .set(fields)
        .where('name', '=', name)
        .executeTakeFirst();
      if (replaced.numUpdatedRows === 1n) return true;
      await db.insertInto('ldapServers').values(server).execute();
      return false;
    },

    find(name: string): Promise<LdapServer | undefined> {
      return db.selectFrom('ldapServers').selectAll().where('name', '=', name).executeTakeFirst();
    },

    list(): Promise<LdapServer[]> {
      return db.selectFrom('ldapServers').selectAll().orderBy('name').execute();
    },

    /** How many local users this server checks the password of. */
    async userCount(name: string): Promise<number> {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('ldapServer', '=', name)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async remove(name: string): Promise<boolean> {
      const result = await db.deleteFrom('ldapServers').where('name', '=', name).executeTakeFirst();
      return result.numDeletedRows === 1n;
    },
  };
}

export type LdapServerRepository = ReturnType<typeof createLdapServerRepository>;
