import type { Kysely, Selectable, Updateable } from 'kysely';
import type { ConsoleAdminsTable, Database } from '../schema.js';
import { insertOrConflict } from '../unique-violation.js';

export type ConsoleAdmin = Selectable<ConsoleAdminsTable>;

/** The console's admins (`console_admins`). */
export function createConsoleAdminRepository(db: Kysely<Database>) {
  return {
    async create(admin: ConsoleAdmin): Promise<void> {
      await insertOrConflict(`Console admin "${admin.name}"`, () =>
        db.insertInto('consoleAdmins').values(admin).execute(),
      );
    },

    find(name: string): Promise<ConsoleAdmin | undefined> {
      return db.selectFrom('consoleAdmins').selectAll().where('name', '=', name).executeTakeFirst();
    },

    list(): Promise<ConsoleAdmin[]> {
      return db.selectFrom('consoleAdmins').selectAll().orderBy('name').execute();
    },

    async update(name: string, patch: Updateable<ConsoleAdminsTable>): Promise<boolean> {
      const result = await db
        .updateTable('consoleAdmins')
        .set(patch)
        .where('name', '=', name)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    async remove(name: string): Promise<boolean> {
      const result = await db
        .deleteFrom('consoleAdmins')
        .where('name', '=', name)
        .executeTakeFirst();
      return result.numDeletedRows === 1n;
    },

    /** How many `super` admins there are (the last one may not be removed or demoted). */
    async countSupers(): Promise<number> {
      const row = await db
        .selectFrom('consoleAdmins')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('role', '=', 'super')
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
