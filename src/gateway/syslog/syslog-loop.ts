import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { isTokenwardError } from '../../core/errors.js';
import type { SyslogForwarder } from './syslog-forwarder.js';

/** How often the forwarder looks for new events (their delay to the syslog server at most). */
export const SYSLOG_ROUND_MS = 1_000;
/** After a round that failed in a row: doubling, at most this long. */
const RETRY_MAX_MS = 30_000;

/**
 * The background forwarding to syslog until stopped. A round that fails (the database or a
 * server away) is logged and retried with backoff; the loop never ends by itself.
 */
export function startSyslogLoop(deps: {
  readonly forwarder: SyslogForwarder;
  readonly log: Logger;
}) {
  const stop = new AbortController();
  const running = (async () => {
    let failures = 0;
    while (!stop.signal.aborted) {
      try {
        await deps.forwarder.round();
        failures = 0;
      } catch (error) {
        failures++;
        deps.log.warn(
          { code: isTokenwardError(error) ? error.code : 'TW_INTERNAL', err: error },
          'syslog forwarding round failed; retrying',
        );
      }
      const pause =
        failures === 0 ? SYSLOG_ROUND_MS : Math.min(SYSLOG_ROUND_MS * 2 ** failures, RETRY_MAX_MS);
      await sleep(pause, undefined, { signal: stop.signal }).catch(() => undefined);
    }
  })();
  return {
    async stop(): Promise<void> {
      stop.abort();
      await running;
      deps.forwarder.close();
    },
  };
}
