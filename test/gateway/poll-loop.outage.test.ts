import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startPollLoop } from '../../src/gateway/poll-loop.js';
import { engines, postgresOutage } from '../helpers/databases.js';
import { type GatewayHarness, startGatewayHarness } from '../helpers/gateway-harness.js';

const postgres = engines.find((e) => e.engine === 'postgres');

/** A promise the test resolves when something happened; rejects if it does not in time. */
function condition(what: string, timeoutMs = 30_000) {
  let resolve: () => void = () => undefined;
  let timer: NodeJS.Timeout | undefined;
  const met = new Promise<void>((done, fail) => {
    resolve = done;
    timer = setTimeout(() => fail(new Error(`${what}: not within ${timeoutMs} ms`)), timeoutMs);
  });
  return { met: met.finally(() => clearTimeout(timer)), resolve };
}

// Threat: the database away during a poll ended the loop for good, leaving a node that serves
// nothing but keeps its sockets open. The loop must retry and carry on once the database is back.
describe('poll loop: database outage', { skip: postgres?.skip ?? 'no postgres' }, () => {
  let g: GatewayHarness;
  before(async () => {
    g = await startGatewayHarness('postgres');
  });
  after(async () => {
    await g?.close();
  });

  it('reports failed rounds with TW_STORE_UNAVAILABLE and polls again when the database returns', async () => {
    const failures: string[] = [];
    let rounds = 0;
    const failed = condition('a failed round');
    const recovered = condition('a round after the outage');
    let thirtyMore: ReturnType<typeof condition> | undefined;
    let target = Number.POSITIVE_INFINITY;
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    const loop = startPollLoop({
      gateway: g.gateway,
      intervals: { waiting: 5, idle: 5 },
      onRoundFailed: (error) => {
        failures.push(error.code);
        failed.resolve();
      },
      onRoundDone: () => {
        rounds++;
        if (failures.length > 0) recovered.resolve();
        if (rounds >= target) thirtyMore?.resolve();
      },
    });
    try {
      const outage = await postgresOutage(g.databaseUrl);
      await failed.met;
      await outage.end();
      await recovered.met;
      assert.ok(failures.length > 0, 'a round failed during the outage');
      assert.ok(failures.includes('TW_STORE_UNAVAILABLE'), failures.join(','));
      // Many rounds, one pause each: no listener left behind per round.
      thirtyMore = condition('30 more rounds');
      target = rounds + 30;
      await thirtyMore.met;
      assert.deepEqual(
        warnings.filter((name) => name === 'MaxListenersExceededWarning'),
        [],
      );
    } finally {
      process.off('warning', onWarning);
      await loop.stop();
    }
  });
});
