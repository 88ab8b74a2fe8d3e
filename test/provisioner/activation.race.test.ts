import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_PROVISIONER_CONFIG } from '../../src/provisioner/config.js';
import { engines } from '../helpers/databases.js';
import {
  type ProvisionerHarness,
  startProvisionerHarness,
} from '../helpers/provisioner-harness.js';
import { importTrial, provision } from '../helpers/provisioning-flows.js';

// Threat: one activation code used on many phones at once. Every attempt here comes from
// 127.0.0.1, so the attempt limits are raised to let all 100 reach the claim.
const config = {
  ...DEFAULT_PROVISIONER_CONFIG,
  activationAttempts: { perAddress: 1000, perCode: 1000, perToken: 1000, windowSeconds: 600 },
};

for (const { engine, skip } of engines) {
  describe(`one activation code, 100 phones at once [${engine}]`, { skip }, () => {
    let h: ProvisionerHarness;
    before(async () => {
      h = await startProvisionerHarness(engine, config);
    });
    after(() => h?.close());

    it('binds the token to exactly one phone; the 99 others learn it is already used', async () => {
      const gateway = await h.enrolGateway('FGT60F0000000001');
      const [serial = ''] = await importTrial(gateway);
      const token = await provision(gateway, serial);
      const phones = Array.from({ length: 100 }, () => h.newPhone());
      const answers = await Promise.all(phones.map((phone) => phone.activate(token.code)));

      const winners = answers.flatMap((answer, index) => (answer.d.result === 2 ? [index] : []));
      assert.equal(winners.length, 1);
      const losers = answers.filter((answer) => answer.d.result !== 2);
      assert.equal(losers.length, 99);
      for (const loser of losers) {
        assert.equal(loser.d.error?.code, 'TW_ACTIVATION_CODE_INVALID');
        assert.equal(loser.d.error?.reason, 'used');
      }

      const winner = phones[winners[0] ?? -1];
      assert.ok(winner !== undefined);
      assert.equal((await h.store.tokens.find(serial))?.deviceRegId, winner.regId);
      const retry = await winner.activate(token.code);
      assert.equal(retry.d.token, serial);
      assert.deepEqual(winner.openSeed(String(retry.d.seed), serial), token.seed);
    });
  });
}
