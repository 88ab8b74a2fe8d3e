import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Database, TokensTable } from '../schema.js';
import { insertOrConflict } from '../unique-violation.js';

/** A token as the provisioner holds it: licence, seed (encrypted), phone binding. */
export type Token = Selectable<TokensTable>;

/** Keeps IN lists well under PostgreSQL's 65,535 bind parameters and SQLite's 32,766. */
const LOOKUP_CHUNK = 1000;

export function createTokenRepository(db: Kysely<Database>) {
  return {
    async createMany(tokens: readonly Token[]): Promise<void> {
      if (tokens.length === 0) return;
      await insertOrConflict('A token with one of these serials', async () => {
        for (let start = 0; start < tokens.length; start += LOOKUP_CHUNK) {
          await db
            .insertInto('tokens')
            .values(tokens.slice(start, start + LOOKUP_CHUNK))
            .execute();
        }
      });
    },

    find(serial: string): Promise<Token | undefined> {
      return db.selectFrom('tokens').selectAll().where('serial', '=', serial).executeTakeFirst();
    },

    /** The tokens asked for, by primary key: a poll's cost follows the request, not the table. */
    async findMany(serials: readonly string[]): Promise<Token[]> {
      const found: Token[] = [];
      for (let start = 0; start < serials.length; start += LOOKUP_CHUNK) {
        const chunk = serials.slice(start, start + LOOKUP_CHUNK);
        found.push(
          ...(await db.selectFrom('tokens').selectAll().where('serial', 'in', chunk).execute()),
        );
      }
      return found;
    },

    listByLicence(licenceName: string): Promise<Token[]> {
      return db
        .selectFrom('tokens')
        .selectAll()
        .where('licenceName', '=', licenceName)
        .orderBy('serial')
        .execute();
    },

    async update(serial: string, patch: Updateable<TokensTable>): Promise<boolean> {
      const result = await db
        .updateTable('tokens')
        .set(patch)
        .where('serial', '=', serial)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },
  };
}

export type TokenRepository = ReturnType<typeof createTokenRepository>;
