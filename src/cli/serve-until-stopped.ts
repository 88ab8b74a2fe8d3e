import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Output } from './command.js';

/** Work in flight gets this long after SIGTERM; then the process ends anyway (within 5 s). */
const GRACE_MS = 4_000;

/**
 * Serves until SIGINT or SIGTERM, then stops taking work and lets what is in flight finish for
 * at most GRACE_MS. A service manager's stop must never hang on a database that is away.
 */
export async function serveUntilStopped(output: Output, close: () => Promise<void>): Promise<void> {
  await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  output.out('Stopping: finishing requests in flight.');
  const closed = close().then(
    () => true,
    (error: unknown) => {
      output.err(`Stopping: ${error instanceof Error ? error.message : String(error)}`);
      return true;
    },
  );
  const graceful = await Promise.race([closed, sleep(GRACE_MS, false, { ref: false })]);
  if (!graceful) {
    output.err(`Stopped with work still in flight after ${GRACE_MS / 1000} s.`);
    process.exit(1);
  }
  output.out('Stopped.');
}
