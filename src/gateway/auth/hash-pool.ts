import { availableParallelism } from 'node:os';
import { TokenwardError } from '../../core/errors.js';
import type { PasswordHasher } from './first-factor.js';

export interface HashPoolLimits {
  /** Hashes at once: one per core (each argon2id lane keeps a core busy). */
  readonly workers: number;
  /** Hashes waiting for a worker; one more is refused at once (TW_AUTH_BUSY). */
  readonly queue: number;
}

export const DEFAULT_HASH_POOL_LIMITS: HashPoolLimits = {
  workers: availableParallelism(),
  queue: 64,
};

/**
 * Password hashing behind a bounded queue: at most `workers` hashes run (on libuv's thread pool),
 * at most `queue` wait; beyond that a login is refused at once with TW_AUTH_BUSY (HTTP 503 with
 * Retry-After, RADIUS no answer so the NAS retries or fails over), never an unbounded backlog
 * whose every login times out anyway.
 */
export function createHashPool(
  hasher: PasswordHasher,
  limits: HashPoolLimits = DEFAULT_HASH_POOL_LIMITS,
): PasswordHasher {
  let running = 0;
  const waiting: (() => void)[] = [];
  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    if (running < limits.workers) {
      running++;
    } else if (waiting.length < limits.queue) {
      // The finishing hash hands its worker over: `running` stays as it is.
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      throw new TokenwardError('TW_AUTH_BUSY', { data: { retry_after: 1 } });
    }
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next === undefined) running--;
      else next();
    }
  };
  return {
    hash: (password) => run(() => hasher.hash(password)),
    verify: (password, stored) => run(() => hasher.verify(password, stored)),
    needsRehash: (stored) => hasher.needsRehash(stored),
  };
}
