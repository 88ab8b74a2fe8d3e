import { type BackoffPolicy, blockedFor } from '../core/backoff.js';
import { TokenwardError } from '../core/errors.js';
import type { Store } from '../store/store.js';

/**
 * Counts failed attempts per key (a source address, a code, a token) in the store, so every
 * provisioner node counts the same failures, and tells when a key has reached its limit: it
 * then waits until `windowSeconds` after its last failure.
 */
export interface AttemptLimiter {
  /** Seconds until all of `keys` may try again; 0 when they may now. */
  retryAfter(keys: readonly string[], now: number): Promise<number>;
  recordFailure(keys: readonly string[], now: number): Promise<void>;
}

export function createAttemptLimiter(
  store: Pick<Store, 'attempts'>,
  limitFor: (key: string) => number,
  windowSeconds: number,
): AttemptLimiter {
  const windowMs = windowSeconds * 1000;
  const policy = (key: string): BackoffPolicy => ({
    limit: limitFor(key),
    baseBlockMs: windowMs,
    maxBlockMs: windowMs,
  });
  return {
    async retryAfter(keys, now) {
      const counts = await Promise.all(keys.map((key) => store.attempts.find(key)));
      const waits = counts.map((count, i) => blockedFor(count, policy(keys[i] ?? ''), now));
      return Math.ceil(Math.max(0, ...waits) / 1000);
    },
    async recordFailure(keys, now) {
      for (const key of keys) await store.attempts.fail(key, now, windowMs);
    },
  };
}

/** TW_RATE_LIMITED, saying when to retry. */
export function rateLimited(retryAfter: number): TokenwardError {
  return new TokenwardError('TW_RATE_LIMITED', {
    message: `Too many failed attempts. Try again in ${retryAfter} seconds.`,
    data: { retry_after: retryAfter },
  });
}
