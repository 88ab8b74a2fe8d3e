import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/** Distinct SQL texts given a name: every query the code builds, with room to spare. */
const NAMED_TEXTS = 512;

/**
 * A pg pool as Kysely's PostgreSQL driver sees it, with each SQL text run as a named prepared
 * statement: parsed and planned once per connection, then only bound and executed (Kysely
 * sends every query unnamed, parsed anew each time). Texts past NAMED_TEXTS run unnamed, so a
 * query with a varying shape cannot grow what every connection keeps. A statement whose plan a
 * schema change made stale (SQLSTATE 0A000 "cached plan must not change result type": a newer
 * node migrated the database) is run again unnamed, and its connection leaves the pool.
 */
export function withNamedStatements(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  const nameOf = (text: string): string | undefined => {
    let name = names.get(text);
    if (name === undefined && names.size < NAMED_TEXTS) {
      name = `tw_${createHash('sha256').update(text).digest('base64url').slice(0, 22)}`;
      names.set(text, name);
    }
    return name;
  };
  return {
    connect: async () => {
      const client = await pool.connect();
      let broken = false;
      const named = {
        async query(text: string, values: readonly unknown[]) {
          const name = nameOf(text);
          if (name === undefined) return client.query({ text, values: [...values] });
          try {
            return await client.query({ name, text, values: [...values] });
          } catch (error) {
            if ((error as { code?: unknown }).code !== '0A000') throw error;
            // Its plan went stale with the schema: once more unnamed (works outside a
            // transaction), and this connection, which keeps the stale one, is not reused.
            broken = true;
            return client.query({ text, values: [...values] });
          }
        },
        release: (destroy?: boolean) => client.release(destroy === true || broken),
      };
      // Only query(text, values) and release are used: the dialect streams nothing here.
      return named as unknown as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}
