import { TokenwardError } from '../core/errors.js';
import type { AuthEngine } from './auth/auth-engine.js';
import type { Gateway } from './gateway.js';

/** How often the gateway polls: often while a phone may be activating, else now and then. */
export const POLL_INTERVAL_MS = { waiting: 10_000, idle: 60_000 } as const;

/**
 * The gateway's background work until stopped: poll the token server (DESIGN section 6) and
 * sweep ended login sessions. A round that fails (the token server is down) is reported and
 * retried at the next one; anything unexpected ends the loop with its error.
 */
export function startPollLoop(deps: {
  gateway: Gateway;
  auth: AuthEngine;
  onRoundFailed: (error: TokenwardError) => void;
}) {
  const stop = new AbortController();
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      stop.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });

  const running = (async () => {
    while (!stop.signal.aborted) {
      let waiting = false;
      try {
        await deps.auth.sweepSessions();
        await deps.gateway.poll({ all: true });
        waiting = (await deps.gateway.listTokens('provisioning')).length > 0;
      } catch (error) {
        if (!(error instanceof TokenwardError)) throw error;
        deps.onRoundFailed(error);
      }
      await pause(waiting ? POLL_INTERVAL_MS.waiting : POLL_INTERVAL_MS.idle);
    }
  })();

  return {
    /** Ends the loop after the round in progress. */
    async stop(): Promise<void> {
      stop.abort();
      await running;
    },
    /** Settles if the loop ends by itself (an unexpected error). */
    done: running,
  };
}
