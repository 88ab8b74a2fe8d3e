import assert from 'node:assert/strict';
import { type ErrorCode, isTokenwardError } from '../../src/core/errors.js';

/** Asserts that `run` throws a TokenwardError with `code` (tests assert codes, not messages). */
export function assertThrowsCode(run: () => unknown, code: ErrorCode): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(isTokenwardError(error), `expected a TokenwardError, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  });
}

export async function assertRejectsCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isTokenwardError(error), `expected a TokenwardError, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  });
}

/** For property tests: `run` either returns or throws a TokenwardError with `code`, nothing else. */
export function returnsOrThrowsCode(run: () => unknown, code: ErrorCode): void {
  try {
    run();
  } catch (error) {
    assert.ok(isTokenwardError(error, code), `expected ${code}, got ${String(error)}`);
  }
}
