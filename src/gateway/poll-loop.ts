import { setTimeout as sleep } from 'node:timers/promises';
import { isTokenwardError, TokenwardError } from '../core/errors.js';
import type { Gateway } from './gateway.js';

/** How often the gateway polls: the tokens waiting for a phone often, all of them now and then. */
export const POLL_INTERVAL_MS = { waiting: 10_000, idle: 60_000 } as const;
/** After a failed round: 1 s, doubling per failure in a row, at most the idle interval. */
const RETRY_MS = { first: 1_000, max: POLL_INTERVAL_MS.idle } as const;

/**
 * The gateway's background work until stopped: poll the token server (DESIGN section 6: the
 * tokens in provisioning every `waiting` interval, all every `idle` interval) and sweep ended
 * login sessions and records past their retention. A round that fails for any reason (token server down, database
 * away) is reported and retried with backoff: the loop never ends by itself, so a node whose
 * dependency comes back carries on without a restart.
 */
export function startPollLoop(deps: {
  gateway: Pick<Gateway, 'poll' | 'sweepRecords'>;
  onRoundFailed: (error: TokenwardError) => void;
  onRoundDone?: () => void;
  /** Overrides POLL_INTERVAL_MS (tests). */
  intervals?: { readonly waiting: number; readonly idle: number };
}) {
  const intervals = deps.intervals ?? POLL_INTERVAL_MS;
  const stop = new AbortController();
  // The signal ends a pause early; its listener goes with the pause (no leak per round).
  const pause = (ms: number) =>
    sleep(ms, undefined, { signal: stop.signal }).catch(() => undefined);

  const running = (async () => {
    let failures = 0;
    let lastAll = Number.NEGATIVE_INFINITY;
    while (!stop.signal.aborted) {
      try {
        await deps.gateway.sweepRecords();
        // Every token now and then; the ones waiting for a phone at every round, so a token
        // provisioned from the CLI or the console is seen within one short interval.
        if (performance.now() - lastAll >= intervals.idle) {
          await deps.gateway.poll({ all: true });
          lastAll = performance.now();
        } else {
          await deps.gateway.poll({ skipWhenNone: true });
        }
        failures = 0;
        deps.onRoundDone?.();
      } catch (error) {
        failures++;
        deps.onRoundFailed(
          isTokenwardError(error) ? error : new TokenwardError('TW_INTERNAL', { cause: error }),
        );
      }
      await pause(
        failures > 0
          ? Math.min(RETRY_MS.first * 2 ** (failures - 1), RETRY_MS.max)
          : intervals.waiting,
      );
    }
  })();

  return {
    /** Ends the loop after the round in progress. */
    async stop(): Promise<void> {
      stop.abort();
      await running;
    },
  };
}
