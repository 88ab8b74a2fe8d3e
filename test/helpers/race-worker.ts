/**
 * A separate process that opens its own connections and, for each claim the parent sends, makes
 * that single-use claim on every connection at once; it reports how many it won. Several of
 * these are several gateway or provisioner nodes racing on one database.
 */
import { createStore, type Store } from '../../src/store/store.js';

export type RaceClaim =
  | { kind: 'activation'; codeHash: string; now: number }
  | { kind: 'otp-step'; serial: string; step: number; now: number };

const [url = '', connectionsText = '1'] = process.argv.slice(2);

const stores: Store[] = [];
for (let i = 0; i < Number(connectionsText); i++) {
  stores.push(await createStore(url, { migrate: false, poolSize: 1 }));
}

const attempt = (claim: RaceClaim, store: Store, index: number): Promise<boolean> =>
  claim.kind === 'activation'
    ? store.activationCodes.claim(claim.codeHash, `reg-${process.pid}-${index}`, claim.now)
    : store.fortitokens.advanceStep(claim.serial, claim.step, 0, claim.now);

process.on('message', async (claim: RaceClaim | 'done') => {
  if (claim === 'done') {
    await Promise.all(stores.map((store) => store.close()));
    process.disconnect();
    return;
  }
  const results = await Promise.all(stores.map((store, index) => attempt(claim, store, index)));
  process.send?.({ wins: results.filter(Boolean).length, attempts: results.length });
});
process.send?.('ready');
