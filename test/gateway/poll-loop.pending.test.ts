import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startPollLoop } from '../../src/gateway/poll-loop.js';
import { createMobileToken } from '../../src/mobile/mobile-token.js';
import { gatewayWithAlice } from '../helpers/gateway-harness.js';

// Threat (to the person activating): a token provisioned from the CLI or the console while
// `serve` idled was seen only at the next 60 s round, so the console showed it waiting long after
// the phone had it.
describe('poll loop: a token provisioned between rounds', () => {
  const f = gatewayWithAlice('sqlite');

  it('is polled at the next short interval, not at the next full round', async () => {
    const lines: string[] = [];
    let rounds = 0;
    const loop = startPollLoop({
      gateway: f.g.gateway,
      // A full round only every 10 minutes: the change must be seen by a short one.
      intervals: { waiting: 20, idle: 600_000 },
      onRoundFailed: (error) => lines.push(error.code),
      onRoundDone: () => {
        rounds++;
      },
    });
    try {
      const { serial, code } = await f.g.mailedUser('bob');
      const phone = createMobileToken({ dir: join(f.alice.dir, '..', 'bob'), version: '1.0.0' });
      await phone.activate({ code, server: f.g.provisioner.url });
      const deadline = Date.now() + 20_000;
      for (;;) {
        const token = await f.g.store.fortitokens.find(serial);
        if (token?.state === 'provisioned') break;
        assert.ok(Date.now() < deadline, `still ${token?.state} after ${rounds} rounds`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.deepEqual(lines, []);
    } finally {
      await loop.stop();
    }
  });
});
