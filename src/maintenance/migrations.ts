import { Migrator } from 'kysely';
import { openDatabase } from '../store/database.js';
import { migrateToLatest } from '../store/migrate.js';
import { MIGRATION_NOTES, migrations } from '../store/migrations/index.js';

export interface MigrationPlan {
  /** The last migration applied, or undefined for an empty database. */
  readonly current: string | undefined;
  readonly pending: readonly { readonly name: string; readonly note: string }[];
}

/** Which migrations the database has and which it would get (`tokenward migrate`). */
export async function migrationPlan(databaseUrl: string): Promise<MigrationPlan> {
  const { db } = openDatabase(databaseUrl, { mustExist: true });
  try {
    const known = await new Migrator({
      db,
      provider: { getMigrations: async () => migrations },
    }).getMigrations();
    return {
      current: known.filter((m) => m.executedAt !== undefined).at(-1)?.name,
      pending: known
        .filter((m) => m.executedAt === undefined)
        .map(({ name }) => ({ name, note: MIGRATION_NOTES[name] ?? '' })),
    };
  } finally {
    await db.destroy();
  }
}

/** Applies the pending migrations, as every service does when it starts. */
export async function applyMigrations(databaseUrl: string): Promise<void> {
  const { db } = openDatabase(databaseUrl, { mustExist: true });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
}
