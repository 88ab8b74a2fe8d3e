import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import type { RaceClaim } from './race-worker.js';

const WORKER = new URL('./race-worker.ts', import.meta.url).pathname;

export interface RaceResult {
  readonly wins: number;
  readonly attempts: number;
}

/** Processes with their own connections, making the same single-use claim at the same moment. */
export interface Racers {
  /** All processes x connections claim at once; returns the total wins and attempts. */
  race(claim: RaceClaim): Promise<RaceResult>;
  close(): Promise<void>;
}

export async function startRacers(
  url: string,
  processes: number,
  connectionsEach: number,
): Promise<Racers> {
  const workers: ChildProcess[] = Array.from({ length: processes }, () =>
    fork(WORKER, [url, String(connectionsEach)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  await Promise.all(workers.map((worker) => once(worker, 'message')));
  return {
    async race(claim) {
      const replies = workers.map((worker) => once(worker, 'message') as Promise<[RaceResult]>);
      for (const worker of workers) worker.send(claim);
      const totals = { wins: 0, attempts: 0 };
      for (const [reply] of await Promise.all(replies)) {
        totals.wins += reply.wins;
        totals.attempts += reply.attempts;
      }
      return totals;
    },
    async close() {
      const exits = workers.map((worker) =>
        worker.exitCode === null ? once(worker, 'exit') : null,
      );
      for (const worker of workers) if (worker.connected) worker.send('done');
      await Promise.all(exits);
    },
  };
}
