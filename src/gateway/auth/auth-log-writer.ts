import type { AuthLogEntry } from '../../store/repositories/auth-log-repository.js';
import type { GatewayStore } from '../../store/store.js';

/** Entries written in one transaction at most; more wait for the next. */
const MOST_PER_BATCH = 256;

export interface AuthLogWriter {
  /** Resolves once the entry is committed (rejects when its batch could not be). */
  write(entry: Omit<AuthLogEntry, 'id'>): Promise<void>;
}

/**
 * The auth log by group commit: the entries of the decisions made while the previous batch was
 * being written (or during this turn of the event loop) go to the store in one transaction, and
 * each login's answer waits for its batch. So an answered login's entry survives a kill -9, and
 * under load many logins share one commit. No fixed interval: a quiet gateway writes at once
 * rather than adding a timer's length to every login; the batches grow with the load.
 */
export function createAuthLogWriter(
  store: Pick<GatewayStore, 'transaction' | 'authLog'>,
  /** When the next batch is written (the next turn of the event loop). */
  schedule: (write: () => void) => void = setImmediate,
): AuthLogWriter {
  interface Waiting {
    readonly entry: Omit<AuthLogEntry, 'id'>;
    readonly resolve: () => void;
    readonly reject: (error: unknown) => void;
  }
  let waiting: Waiting[] = [];
  let writing = false;

  const writeAll = async () => {
    while (waiting.length > 0) {
      const batch = waiting.slice(0, MOST_PER_BATCH);
      waiting = waiting.slice(batch.length);
      try {
        const entries = batch.map((w) => w.entry);
        // One entry is one INSERT, atomic alone: no BEGIN and COMMIT around it.
        await (entries.length === 1
          ? store.authLog.appendMany(entries)
          : store.transaction((tx) => tx.authLog.appendMany(entries)));
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    writing = false;
  };

  return {
    write(entry) {
      return new Promise((resolve, reject) => {
        waiting.push({ entry, resolve, reject });
        if (!writing) {
          writing = true;
          schedule(() => void writeAll());
        }
      });
    },
  };
}
