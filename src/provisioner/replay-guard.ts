import { TokenwardError } from '../core/errors.js';
import type { Store } from '../store/store.js';

/** How often a node forgets nonces whose window has passed. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Takes each signed request once: its nonce is kept in the store (shared by every provisioner
 * node) until the request's timestamp leaves the clock-skew window, after which the timestamp
 * check refuses it anyway. A second use of a nonce is TW_REQUEST_REPLAYED.
 */
export function createReplayGuard(store: Pick<Store, 'requestNonces'>) {
  let nextSweep = 0;
  return async (request: {
    /** Who signed (`gateway:<serial>`, `device:<reg-id>`): nonces are unique per signer. */
    readonly signer: string;
    readonly nonce: string;
    /** Unix seconds the request was signed at, and how far from now it may be. */
    readonly signedAt: number;
    readonly windowSeconds: number;
    readonly now: number;
  }): Promise<void> => {
    if (request.now >= nextSweep) {
      nextSweep = request.now + SWEEP_EVERY_MS;
      await store.requestNonces.deleteExpired(request.now);
    }
    const expiresAt = (request.signedAt + request.windowSeconds + 1) * 1000;
    if (!(await store.requestNonces.take(`${request.signer}:${request.nonce}`, expiresAt))) {
      throw new TokenwardError('TW_REQUEST_REPLAYED', { detail: `${request.signer} nonce reused` });
    }
  };
}

export type ReplayGuard = ReturnType<typeof createReplayGuard>;
