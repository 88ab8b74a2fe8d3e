/**
 * Wakes long polls (PushStatus, MobilePushPoll) on this node as soon as something they wait for
 * changes. The store stays the truth: waiters also re-check it every interval, which is how a
 * change made by another provisioner node reaches them.
 */
export interface ChangeNotifier {
  notify(): void;
  /** Resolves on the next notify(), after `maxMs`, or when `signal` aborts. */
  wait(maxMs: number, signal?: AbortSignal): Promise<void>;
}

export function createChangeNotifier(): ChangeNotifier {
  const waiters = new Set<() => void>();
  return {
    notify() {
      for (const wake of [...waiters]) wake();
    },
    wait(maxMs, signal) {
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, maxMs);
        signal?.addEventListener('abort', done, { once: true });
        waiters.add(done);
      });
    },
  };
}
