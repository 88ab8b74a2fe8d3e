import { type Kysely, Migrator } from 'kysely';
import { TokenwardError } from '../core/errors.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

/** Brings the schema up to date; run on every start (Kysely locks, so nodes may race safely). */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    throw new TokenwardError('TW_STORE_MIGRATION_FAILED', {
      detail: `migration ${failed ?? '(lock)'}: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }
}
