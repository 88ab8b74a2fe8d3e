import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TOKENS_PER_MESSAGE } from '../../src/core/limits.js';
import { engines } from '../helpers/databases.js';
import { type GatewayHarness, startGatewayHarness } from '../helpers/gateway-harness.js';

// A gateway with more tokens than one Polling message carries reads and sends them one page at
// a time: every token polled once, none held back, one message per page.
for (const { engine, skip } of engines) {
  describe(`poll of more tokens than one message holds [${engine}]`, { skip }, () => {
    let g: GatewayHarness;
    before(async () => {
      g = await startGatewayHarness(engine);
      // Two licences: one import answers at most TOKENS_PER_MESSAGE tokens too.
      for (const tokens of [TOKENS_PER_MESSAGE / 2, TOKENS_PER_MESSAGE / 2 + 200]) {
        const pack = await g.provisioner.provisioner.admin.createLicence(
          { tokens },
          g.provisioner.clock.now,
        );
        await g.gateway.importLicence(pack.code);
      }
    });
    after(() => g?.close());

    const pollingMessages = async () => {
      const metrics = await (await fetch(new URL('/metrics', g.provisioner.url))).text();
      const line =
        /^tokenward_softtoken_messages_total\{[^}]*type="Polling"[^}]*result="2"[^}]*\} (\d+)$/m;
      return Number(line.exec(metrics)?.[1] ?? 0);
    };

    it('polls every token once, one Polling message per page of tokens', async () => {
      const stored = (await g.gateway.listTokens()).length;
      assert.ok(stored > TOKENS_PER_MESSAGE, `${stored} tokens stored`);
      const before = await pollingMessages();
      const round = await g.gateway.poll({ all: true });
      assert.equal(round.polled, stored);
      assert.equal((await pollingMessages()) - before, Math.ceil(stored / TOKENS_PER_MESSAGE));
    });
  });
}
