import { TokenwardError } from '../core/errors.js';

/**
 * Counts failed attempts per key (a source address, a code) in fixed windows and refuses further
 * attempts once a key reaches its limit, telling when to retry. In memory, per node: a guesser
 * spread over several nodes gets each node's allowance, which still makes guessing an 80-bit code
 * hopeless while keeping the hot path free of writes.
 */
export interface AttemptLimiter {
  /** Throws TW_RATE_LIMITED if any key is at its limit at `now`. */
  assertAllowed(keys: readonly string[], now: number): void;
  recordFailure(keys: readonly string[], now: number): void;
}

export function createAttemptLimiter(
  limitFor: (key: string) => number,
  windowSeconds: number,
): AttemptLimiter {
  const windowMs = windowSeconds * 1000;
  const windows = new Map<string, { start: number; failures: number }>();

  const current = (key: string, now: number) => {
    const window = windows.get(key);
    return window !== undefined && now - window.start < windowMs ? window : undefined;
  };

  return {
    assertAllowed(keys, now) {
      for (const key of keys) {
        const window = current(key, now);
        if (window !== undefined && window.failures >= limitFor(key)) {
          const retryAfter = Math.ceil((window.start + windowMs - now) / 1000);
          throw new TokenwardError('TW_RATE_LIMITED', {
            message: `Too many failed attempts. Try again in ${retryAfter} seconds.`,
            data: { retry_after: retryAfter },
          });
        }
      }
    },
    recordFailure(keys, now) {
      if (windows.size > 100_000) {
        for (const [key, window] of windows)
          if (now - window.start >= windowMs) windows.delete(key);
      }
      for (const key of keys) {
        const window = current(key, now);
        if (window === undefined) windows.set(key, { start: now, failures: 1 });
        else window.failures++;
      }
    },
  };
}
