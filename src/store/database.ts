import { closeSync, existsSync, openSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { CamelCasePlugin, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { TokenwardError } from '../core/errors.js';
import { redactUrl } from '../core/redact-url.js';
import { withNamedStatements } from './named-statements.js';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';
import { withOutagesCoded } from './store-unavailable.js';

export type DatabaseEngine = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  readonly engine: DatabaseEngine;
  readonly db: Kysely<Database>;
}

export interface OpenDatabaseOptions {
  /** Connections in the PostgreSQL pool (SQLite always uses one). */
  readonly poolSize?: number;
  /** An SQLite file that is not there is TW_DATABASE_URL_INVALID instead of a new database. */
  readonly mustExist?: boolean;
}

/**
 * Opens the database a URL names: `sqlite:<path>` (or `sqlite::memory:`) with better-sqlite3 in
 * WAL mode, or `postgres://...` with a pg pool. The engine is chosen here and nowhere else.
 */
export function openDatabase(url: string, options: OpenDatabaseOptions = {}): DatabaseHandle {
  const plugins = [new CamelCasePlugin()];
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new TokenwardError('TW_DATABASE_URL_INVALID', { detail: 'empty path' });
    // Created 0600 (SQLite gives its -wal and -shm files the database file's mode): it holds
    // password hashes and sealed secrets.
    if (options.mustExist === true && path !== ':memory:' && !existsSync(path)) {
      throw new TokenwardError('TW_DATABASE_URL_INVALID', {
        message: `There is no database at ${path}. Check --data and --db.`,
        detail: 'no such file',
        data: { field: '--db' },
      });
    }
    if (path !== ':memory:') closeSync(openSync(path, 'a', 0o600));
    const database = new SQLite(path);
    database.pragma('journal_mode = WAL');
    // Other processes on the same file (several CLI commands, a second node) wait for the lock.
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    database.pragma('synchronous = NORMAL');
    return {
      engine: 'sqlite',
      db: new Kysely({
        dialect: withOutagesCoded(new SqliteDialect({ database: withStatementCache(database) })),
        plugins,
      }),
    };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      types: pgTypes,
      // During an outage a request fails within this instead of queueing for a connection.
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
    });
    // A client's socket closed (PostgreSQL restarted, or its backend was terminated): pg drops
    // that client and the next query opens a new one. Unheard, the error ends the process: on
    // the pool for idle clients, on the client itself while it is checked out between queries.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    return {
      engine: 'postgres',
      db: new Kysely({
        dialect: withOutagesCoded(new PostgresDialect({ pool: withNamedStatements(pool) })),
        plugins,
      }),
    };
  }
  throw new TokenwardError('TW_DATABASE_URL_INVALID', { detail: `scheme of ${redactUrl(url)}` });
}

/** BIGINT (OID 20) as a JS number: our BIGINTs are epoch milliseconds and steps, far below 2^53. */
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};
