import { TokenwardError } from '../core/errors.js';

/**
 * True for a unique or primary-key violation: SQLite reports SQLITE_CONSTRAINT_UNIQUE or
 * _PRIMARYKEY, PostgreSQL SQLSTATE 23505 (unique_violation).
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/** Runs an insert, turning a duplicate key into TW_STORE_CONFLICT naming what already exists. */
export async function insertOrConflict<T>(what: string, insert: () => Promise<T>): Promise<T> {
  try {
    return await insert();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new TokenwardError('TW_STORE_CONFLICT', {
        message: `${what} already exists. Use another name or serial, or change the existing one.`,
        cause: error,
      });
    }
    throw error;
  }
}

export function notFound(what: string): TokenwardError {
  return new TokenwardError('TW_STORE_NOT_FOUND', {
    message: `${what} does not exist. Check the name or serial; the list command shows what exists.`,
  });
}
