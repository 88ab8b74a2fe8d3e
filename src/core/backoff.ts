/**
 * How long a key (a source address, an account) must wait after repeated failures: nothing
 * below `limit` failures, then `baseBlockMs`, doubling with each further failure, at most
 * `maxBlockMs`, counted from the last failure.
 */
export interface BackoffPolicy {
  readonly limit: number;
  readonly baseBlockMs: number;
  readonly maxBlockMs: number;
}

/** Milliseconds until the next attempt is allowed; 0 when it is allowed now. */
export function blockedFor(
  count: { readonly failures: number; readonly lastAt: number } | undefined,
  policy: BackoffPolicy,
  now: number,
): number {
  if (count === undefined || count.failures < policy.limit) return 0;
  const block = Math.min(
    policy.maxBlockMs,
    policy.baseBlockMs * 2 ** Math.min(30, count.failures - policy.limit),
  );
  return Math.max(0, count.lastAt + block - now);
}
