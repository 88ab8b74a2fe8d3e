import { randomInt } from 'node:crypto';
import type { Token } from '../src/store/repositories/token-repository.js';
import {
  type ProvisionerHarness,
  startProvisionerHarness,
} from '../test/helpers/provisioner-harness.js';
import { tokenRow } from '../test/helpers/rows.js';

const ASKED = 1000;
const ROUNDS = 60;

/**
 * A 1,000-token Polling request (over HTTP, signed, on SQLite) against a store of 10,000 tokens
 * and one of 1,000,000: p50 latency of each and their ratio. A poll's cost should follow the
 * tokens asked, not the tokens stored, so the ratio should stay near 1 (aim: at most 1.5).
 */
export async function benchPoll(): Promise<void> {
  const small = await pollP50(10_000);
  const large = await pollP50(1_000_000);
  console.log(
    `poll: 1,000-token Polling p50 with 1,000,000 stored ${large.toFixed(1)} ms | baseline with 10,000 stored ${small.toFixed(1)} ms | ratio ${(large / small).toFixed(2)}`,
  );
}

async function pollP50(stored: number): Promise<number> {
  const h = await startProvisionerHarness('sqlite');
  try {
    const gateway = await h.enrolGateway('FGT60F0000000001', 'bench');
    const serials = await fill(h, stored);
    const times: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const tokens = Array.from({ length: ASKED }, () => ({
        token: serials[randomInt(serials.length)] ?? '',
      }));
      const started = performance.now();
      const response = await gateway.client.send('Polling', { tokens });
      if (response.d.result === 0) throw new Error(JSON.stringify(response.d.error));
      if (round >= 10) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)] ?? Number.NaN;
  } finally {
    await h.close();
  }
}

/** Stores `count` tokens in one licence of the bench cluster, half of them on phones. */
async function fill(h: ProvisionerHarness, count: number): Promise<string[]> {
  const cluster = await h.store.clusters.findByName('bench');
  const now = h.clock.now;
  await h.store.licences.create({
    name: 'TWPACK0000000001',
    kind: 'pack',
    tokenCount: count,
    codeHash: null,
    clusterId: cluster?.id ?? null,
    transferPolicy: 'self-service',
    exportPolicy: 'forbidden',
    createdAt: now,
    redeemedAt: now,
  });
  const serials: string[] = [];
  const batch: Token[] = [];
  for (let i = 0; i < count; i++) {
    const serial = `TWMOB${i.toString(16).toUpperCase().padStart(11, '0')}`;
    serials.push(serial);
    const row = tokenRow(serial, 'TWPACK0000000001', now);
    batch.push(i % 2 === 0 ? { ...row, state: 'provisioned', deviceRegId: 'a'.repeat(64) } : row);
    if (batch.length === 50_000 || i === count - 1) {
      await h.store.transaction((tx) => tx.tokens.createMany(batch.splice(0)));
    }
  }
  return serials;
}
