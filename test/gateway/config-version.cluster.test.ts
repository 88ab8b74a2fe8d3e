import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createGateway, type Gateway } from '../../src/gateway/gateway.js';
import { createNotifier } from '../../src/gateway/notifier.js';
import { createLogger } from '../../src/log/create-logger.js';
import { engines } from '../helpers/databases.js';
import { type GatewayHarness, startGatewayHarness } from '../helpers/gateway-harness.js';
import { radclient, radclientComponent } from '../helpers/radclient.js';

/** Retries `check` until it holds, for at most `ms` (a condition with a deadline, not a sleep). */
async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`not so within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Each node keeps the policy and the RADIUS clients in memory; a change made on another node
// (or by the CLI beside a running server) must still reach it, through the version row.
for (const { engine, skip } of engines) {
  describe(`configuration changed on another node [${engine}]`, {
    skip: skip ?? radclientComponent.skip,
  }, () => {
    let g: GatewayHarness;
    let otherNode: Gateway;
    let port: number;
    const ask = (secret: string) =>
      radclient(
        port,
        secret,
        ['User-Name = "nobody"', 'User-Password = "x"', 'Message-Authenticator = 0x00'],
        {
          timeoutSeconds: 1,
          retries: 1,
        },
      );

    before(async () => {
      g = await startGatewayHarness(engine);
      await g.gateway.saveRadiusClient({
        name: 'vpn',
        address: '127.0.0.1',
        secret: 'first-secret',
      });
      ({ port } = await g.radius());
      otherNode = createGateway({
        store: g.store,
        cipher: g.cipher,
        log: createLogger({ level: 'silent' }),
        notifier: createNotifier({}),
      });
    });
    after(() => g?.close());

    it("answers with the RADIUS secret another node set, and drops the old one's requests", async () => {
      assert.equal((await ask('first-secret')).type, 'Access-Reject');
      await otherNode.saveRadiusClient({
        name: 'vpn',
        address: '127.0.0.1',
        secret: 'second-secret',
      });
      await eventually(async () => (await ask('second-secret')).type === 'Access-Reject');
      assert.equal((await ask('first-secret')).type, undefined, 'dropped: no answer');
    });

    it('applies a policy another node changed', async () => {
      assert.equal((await g.gateway.policy()).push.enabled, true);
      await otherNode.changeSettings([
        { path: 'system ftm-push', name: 'status', value: 'disable' },
      ]);
      await eventually(async () => !(await g.gateway.policy()).push.enabled);
    });
  });
}
