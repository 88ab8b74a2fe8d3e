import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseEngine } from '../../src/store/database.js';

/** The PostgreSQL server tests create their databases on (DESIGN: 127.0.0.1, trust auth). */
const ADMIN_URL =
  process.env.TOKENWARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  readonly engine: DatabaseEngine;
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * An outage of one PostgreSQL database, as a restart looks to its clients: every backend
 * terminated (idle pool clients too) and new connections refused until `end()`.
 */
export async function postgresOutage(url: string): Promise<{ end(): Promise<void> }> {
  const name = new URL(url).pathname.slice(1);
  await withAdmin(async (client) => {
    await client.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
  });
  return {
    end: () => withAdmin((client) => client.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`)),
  };
}

/** Terminates every backend of one PostgreSQL database and waits until they are gone. */
export async function terminateBackends(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await withAdmin(async (client) => {
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    for (let attempt = 0; attempt < 100; attempt++) {
      const { rows } = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
      if ((rows[0]?.n ?? 0) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
}

async function postgresReachable(): Promise<string | false> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return false;
  } catch (error) {
    const reason = `PostgreSQL is not reachable at ${ADMIN_URL}: ${(error as Error).message}`;
    if (process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
    return reason;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Each engine with why it is skipped (never under CI=true: there a missing one fails). */
export const engines: readonly { engine: DatabaseEngine; skip: string | false }[] = [
  { engine: 'sqlite', skip: false },
  { engine: 'postgres', skip: await postgresReachable() },
];

/** A new, empty database with a random name; `drop` removes it and its files. */
export async function createTestDatabase(engine: DatabaseEngine): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'tokenward-test-'));
    return {
      engine,
      url: `sqlite:${join(dir, 'tokenward.db')}`,
      drop: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const name = `tokenward_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    engine,
    url: url.toString(),
    drop: () =>
      withAdmin(async (client) => {
        // pg's Pool.end() resolves before its sockets have closed; let them go before FORCE
        // would terminate them under a client that then reports an uncaught error.
        for (let attempt = 0; attempt < 50; attempt++) {
          const { rows } = await client.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
            [name],
          );
          if ((rows[0]?.n ?? 0) === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }),
  };
}

async function withAdmin(work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
