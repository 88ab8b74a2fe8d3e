import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateSealingKeyPair } from '../../src/crypto/x25519.js';
import { createLogger } from '../../src/log/create-logger.js';
import { createGatewayClient } from '../../src/protocol/softtoken/gateway-client.js';
import { type RunningProvisioner, startProvisionerService } from '../../src/provisioner/service.js';
import { runCli, spawnCli, waitForOutput } from '../helpers/cli.js';
import { okEntries } from '../helpers/softtoken-entries.js';

// Threat: a provisioner restart (deploy, crash) silently ends the phone's push listener, and
// logins by push stop working until someone notices.
describe('mobile push listen across a provisioner restart', () => {
  let dir: string;
  let running: RunningProvisioner;
  const start = (port: number) =>
    startProvisionerService({
      dataDir: dir,
      databaseUrl: `sqlite:${join(dir, 'tokenward.db')}`,
      host: '127.0.0.1',
      port,
      log: createLogger({ level: 'silent' }),
    });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tokenward-restart-'));
    running = await start(0);
  });
  after(async () => {
    await running?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reconnects with backoff and answers the next push', async () => {
    const sealing = generateSealingKeyPair();
    const added = await running.provisioner.admin.addGateway(
      { serial: 'FGT60F0000000001', sealingKey: Buffer.from(sealing.publicKey).toString('base64') },
      Date.now(),
    );
    const gatewayAt = (url: string) =>
      createGatewayClient(url, { serial: added.serial, secret: added.secret });
    let gateway = gatewayAt(running.url);
    const imported = await gateway.send('LicenseImport', { code: '0000-0000-0000-0000-0000' });
    const serial = (imported.d.tokens ?? [])[0]?.token ?? '';
    const provisioned = await gateway.send('Provision', { tokens: [{ token: serial }] });
    const code = okEntries(provisioned.d.tokens)[0]?.activation_code ?? '';
    const device = ['--device', join(dir, 'phone')];
    assert.equal(
      (await runCli(['mobile', 'activate', code, '--server', running.url, ...device])).code,
      0,
    );

    const listener = spawnCli(['mobile', 'push', 'listen', '--approve', '--max', '1', ...device]);
    try {
      const port = Number(new URL(running.url).port);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await running.close();
      await waitForOutput(
        listener,
        /Provisioner unreachable; retrying in \d+ s\./,
        20_000,
        'stderr',
      );
      running = await start(port);
      gateway = gatewayAt(running.url);
      const context = {
        username: 'alice',
        user_ip: '203.0.113.7',
        user_agent: 'VPN',
        realm: 'vpn',
        timestamp: 1,
        log_message: 'login',
      };
      const pushed = await gateway.send('Push', { token: serial, session_id: 's', context });
      const pushId = String(pushed.d.push_id);
      const decided = await gateway.send('PushStatus', { push_ids: [pushId], wait: 30 });
      assert.equal(okEntries(decided.d.pushes)[0]?.status, 'approved');
      const [exitCode] = await once(listener, 'exit');
      assert.equal(exitCode, 0);
    } finally {
      listener.kill('SIGKILL');
    }
  });
});
