import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { engines } from '../helpers/databases.js';
import {
  type ProvisionerHarness,
  startProvisionerHarness,
  type TestGateway,
} from '../helpers/provisioner-harness.js';
import { importTrial, provision } from '../helpers/provisioning-flows.js';

// Threats: (1) a person whose office address was blocked by someone else's guesses could not
// activate with the right code; (2) limits were per address only (and per node, in memory), so
// guesses at one token from many addresses or nodes were not limited at all.
for (const { engine, skip } of engines) {
  describe(`activation limiter in the store [${engine}]`, { skip }, () => {
    let h: ProvisionerHarness;
    let gateway: TestGateway;
    let serials: string[];
    before(async () => {
      h = await startProvisionerHarness(engine);
      gateway = await h.enrolGateway('FGT60F0000000001');
      serials = await importTrial(gateway);
    });
    after(() => h?.close());

    it('lets the right code through from a blocked address, once', async () => {
      const { code } = await provision(gateway, serials[0] ?? '');
      const guesser = h.newPhone();
      for (let i = 0; i < 30; i++) await guesser.activate('AEHQAAAAAAAAAAAA');
      assert.equal((await guesser.activate('AEHQAAAAAAAAAAAA')).d.error?.code, 'TW_RATE_LIMITED');
      const owner = h.newPhone();
      assert.equal((await owner.activate(code)).d.result, 2, 'the right code works');
      assert.equal(
        (await h.newPhone().activate(code)).d.error?.code,
        'TW_RATE_LIMITED',
        'a used code from the blocked address does not',
      );
      h.clock.advance(600_000);
    });

    it('limits failed attempts per token, whatever code of it is tried', async () => {
      const serial = serials[1] ?? '';
      const superseded: string[] = [];
      for (let i = 0; i < 21; i++) superseded.push((await provision(gateway, serial)).code);
      const current = (await provision(gateway, serial)).code;
      for (const [i, code] of superseded.entries()) {
        const refused = await h.newPhone().activate(code);
        assert.equal(
          refused.d.error?.code,
          i < 20 ? 'TW_ACTIVATION_CODE_INVALID' : 'TW_RATE_LIMITED',
          `attempt ${i}`,
        );
      }
      assert.equal(
        (await h.newPhone().activate(current)).d.result,
        2,
        'the current code still works',
      );
    });
  });
}
