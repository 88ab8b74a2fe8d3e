import type { DatabaseConnection, Dialect, Driver } from 'kysely';
import { TokenwardError } from '../core/errors.js';

/**
 * PostgreSQL SQLSTATE classes and codes that mean "the database is away or cannot write", not
 * "this statement is wrong": 08 connection exception, 53 insufficient resources (disk full),
 * 57P01-57P03 shutdown or restart, 55000 a database not taking connections, 25006 read-only.
 */
const POSTGRES_UNAVAILABLE = /^(08...|53...|57P0[123]|55000|25006)$/;
/** SQLite result codes of the same kind: disk full, I/O error, read-only file, lock timed out. */
const SQLITE_UNAVAILABLE = /^SQLITE_(FULL|IOERR.*|READONLY.*|CANTOPEN.*|BUSY.*|NOMEM)$/;
const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
]);
/** What pg says when a client's socket went away under it (it sets no code). */
const PG_CONNECTION_LOST =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect/;

/** True when `error` says the database is unreachable or cannot write, rather than a bad query. */
export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    return (
      POSTGRES_UNAVAILABLE.test(code) || SQLITE_UNAVAILABLE.test(code) || NETWORK_ERRORS.has(code)
    );
  }
  return PG_CONNECTION_LOST.test(error.message);
}

function unavailable(error: unknown): unknown {
  if (!isStoreUnavailable(error)) return error;
  const code = (error as { code?: unknown }).code;
  return new TokenwardError('TW_STORE_UNAVAILABLE', {
    detail: `${typeof code === 'string' ? code : 'connection'}: ${(error as Error).message}`,
    cause: error,
  });
}

async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw unavailable(error);
  }
}

/**
 * The dialect with its driver's failures sorted: a database that is away or cannot write becomes
 * TW_STORE_UNAVAILABLE (HTTP 503, retried by the caller), whatever the engine; every other error
 * (a unique violation, say) passes unchanged. The one place where both engines' outages meet.
 */
export function withOutagesCoded(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver: () => guardedDriver(dialect.createDriver()),
  };
}

function guardedDriver(driver: Driver): Driver {
  return {
    init: () => guard(() => driver.init()),
    acquireConnection: async () => guardedConnection(await guard(() => driver.acquireConnection())),
    beginTransaction: (connection, settings) =>
      guard(() => driver.beginTransaction(connection, settings)),
    commitTransaction: (connection) => guard(() => driver.commitTransaction(connection)),
    rollbackTransaction: (connection) => guard(() => driver.rollbackTransaction(connection)),
    releaseConnection: (connection) => driver.releaseConnection(connection),
    destroy: () => driver.destroy(),
  };
}

/** The driver's own connection (its methods bound to it, for its private fields), queries guarded. */
function guardedConnection(connection: DatabaseConnection): DatabaseConnection {
  return new Proxy(connection, {
    get(target, property) {
      if (property === 'executeQuery') {
        return (query: Parameters<DatabaseConnection['executeQuery']>[0]) =>
          guard(() => target.executeQuery(query));
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
