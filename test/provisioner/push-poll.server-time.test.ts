import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type ProvisionerHarness,
  startProvisionerHarness,
  type TestGateway,
} from '../helpers/provisioner-harness.js';
import { importTrial, provision } from '../helpers/provisioning-flows.js';

// Threat (to every code the phone shows): `server_time` stamped when a 30 s long poll arrived,
// not when it was answered. The phone learned a clock offset up to 30 s wrong, and its codes
// turned over at the wrong moment.
describe('server_time of a long poll is the time of the answer', () => {
  let h: ProvisionerHarness;
  let gateway: TestGateway;
  before(async () => {
    h = await startProvisionerHarness('sqlite');
    gateway = await h.enrolGateway('FGT60F0000000001');
  });
  after(() => h?.close());

  it('stamps the answer of a 30 s MobilePushPoll with the time it was answered', async () => {
    const [serial = ''] = await importTrial(gateway);
    const phone = h.newPhone();
    assert.equal((await phone.activate((await provision(gateway, serial)).code)).d.result, 2);
    const sentAt = Math.floor(h.clock.now / 1000);
    let answered = false;
    const polled = phone.client.send('MobilePushPoll', { wait: 30 }).finally(() => {
      answered = true;
    });
    // The provisioner's clock runs on by a second every 50 ms until the poll is answered.
    for (let step = 0; step < 400 && !answered; step++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      h.clock.advance(1_000);
    }
    const response = await polled;
    assert.equal(response.d.result, 2, JSON.stringify(response.d));
    const serverTime = Number(response.d.server_time);
    assert.ok(serverTime >= sentAt + 30, `server_time ${serverTime - sentAt} s after sending`);
    assert.ok(serverTime <= Math.floor(h.clock.now / 1000), 'not later than the answer');
  });
});
