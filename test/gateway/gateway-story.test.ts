import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { parseActivationUri } from '../../src/core/activation-uri.js';
import { createAtRestCipher } from '../../src/crypto/at-rest-cipher.js';
import { createGateway, type Gateway } from '../../src/gateway/gateway.js';
import { createNotifier } from '../../src/gateway/notifier.js';
import { createLogger } from '../../src/log/create-logger.js';
import { formatConfig, parseConfig } from '../../src/protocol/fortios/config-document.js';
import { decodeQrPng } from '../../src/protocol/qr.js';
import { createStore, type Store } from '../../src/store/store.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/databases.js';
import {
  type ProvisionerHarness,
  startProvisionerHarness,
} from '../helpers/provisioner-harness.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';

for (const { engine, skip } of engines) {
  describe(`gateway: the source document's story, fixed [${engine}]`, { skip }, () => {
    let h: ProvisionerHarness;
    let database: TestDatabase;
    let store: Store;
    let gateway: Gateway;
    let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
    let root: string;
    const logLines: string[] = [];

    before(async () => {
      h = await startProvisionerHarness(engine, undefined, { realTime: true });
      smtp = await startSmtpSink();
      database = await createTestDatabase(engine);
      store = await createStore(database.url);
      root = await mkdtemp(join(tmpdir(), 'tokenward-gateway-'));
      const destination = new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(
            ...chunk
              .toString()
              .split('\n')
              .filter(Boolean)
              .map((line) => String(JSON.parse(line).msg)),
          );
          done();
        },
      });
      gateway = createGateway({
        store,
        cipher: createAtRestCipher(Buffer.alloc(32, 9)),
        log: createLogger({ level: 'info', destination }),
        notifier: createNotifier({
          smtp: {
            host: '127.0.0.1',
            port: smtp.port,
            tls: 'none',
            from: 'tokenward@vpn.example.com',
          },
        }),
      });
      const added = await h.provisioner.admin.addGateway(
        { serial: 'FGT3HD3915801656' },
        h.clock.now,
      );
      await gateway.enroll({ provisionerUrl: h.url, serial: added.serial, secret: added.secret });
    });
    after(async () => {
      await store?.close();
      await database?.drop();
      await smtp?.close();
      await h?.close();
      await rm(root, { recursive: true, force: true });
    });

    it('adds a user, mails the activation with a QR code, and learns the phone at the next poll', async () => {
      const { serials } = await gateway.importLicence('0000-0000-0000-0000-0000');
      assert.equal(serials.length, 2);
      const added = await gateway.addUser({
        name: 'alice',
        password: 'horse-staple-battery',
        email: 'alice@example.com',
        token: 'auto',
      });
      assert.equal(added.delivered, 'e-mail to alice@example.com');

      const [mail] = smtp.received;
      assert.equal(mail?.subject, 'Your Tokenward activation code');
      const code = /^ {4}([A-Z2-7]{16})$/m.exec(mail?.text ?? '')?.[1] ?? '';
      const png = mail?.attachments.find((a) => a.contentType === 'image/png');
      assert.ok(png !== undefined, 'an inline QR image');
      const qrFile = join(root, 'qr.png');
      await writeFile(qrFile, png.content);
      const scanned = parseActivationUri(await decodeQrPng(qrFile));
      assert.deepEqual([scanned.code.code, scanned.server], [code, h.url]);

      const phone = ['--device', join(root, 'phone-a')];
      assert.equal((await runCli(['mobile', 'activate', '--qr', qrFile, ...phone])).code, 0);
      const regId = /reg-id: +([0-9a-f]{64})/.exec(
        (await runCli(['mobile', 'info', ...phone])).out,
      )?.[1];

      const polled = await gateway.poll();
      assert.deepEqual([polled.polled, polled.updated], [1, 1]);
      assert.ok(logLines.includes('ftm_cfg_poll_token_states: Poll token status!'));
      assert.ok(
        logLines.includes(
          `ftm_cfg_update_token_state: Update REGID for ${added.token} regid:${regId} os_ver:0.1.0_CLI`,
        ),
      );

      const shown = formatConfig(
        (await gateway.configSections()).filter((s) => s.path === 'user fortitoken'),
      );
      assert.match(
        shown,
        new RegExp(
          `edit "${added.token}"\\n {8}set license "TWTRIAL\\d{9}"\\n {8}set activation-code "${code}"\\n {8}set activation-expire \\d+\\n {8}set reg-id "${regId}"\\n {8}set os-ver "0.1.0_CLI"\\n {4}next`,
        ),
      );
      assert.equal(formatConfig(parseConfig(shown)), shown, 'show -> parse -> show');

      const refused = await runCli([
        'mobile',
        'activate',
        code,
        '--server',
        h.url,
        '--device',
        join(root, 'phone-b'),
      ]);
      assert.match(refused.err, /already activated on another device/);
    });

    it('shows a refused mail to the admin, and resends it later', async () => {
      smtp.refuse(true);
      await assert.rejects(
        gateway.addUser({
          name: 'bob',
          password: 'horse-staple-battery',
          email: 'bob@example.com',
          token: 'auto',
        }),
        (error: { code?: string }) => error.code === 'TW_DELIVERY_FAILED',
      );
      const bob = (await gateway.listUsers()).find((u) => u.name === 'bob');
      assert.equal(
        (await store.fortitokens.find(bob?.tokenSerial ?? ''))?.state,
        'provisioning',
        'nothing is lost',
      );
      smtp.refuse(false);
      const before = smtp.received.length;
      assert.equal(
        (await gateway.resendActivation(bob?.tokenSerial ?? '')).delivered,
        'e-mail to bob@example.com',
      );
      assert.equal(smtp.received.length, before + 1);
    });

    it('prints diagnose fortitoken info with the token server up, then down', async () => {
      await gateway.poll({ all: true });
      const up = await gateway.diagnose();
      assert.match(up, /^FORTITOKEN DRIFT STATUS\nSERIAL-NO +STATUS +DRIFT\n/);
      assert.match(up, /\nTotal activated token: 1\nToken server status: reachable$/);
      await h.close();
      await assert.rejects(
        gateway.poll(),
        (error: { code?: string }) => error.code === 'TW_PROVISIONER_UNREACHABLE',
      );
      assert.match(await gateway.diagnose(), /Token server status: unreachable$/);
      h = await startProvisionerHarness(engine);
    });
  });
}
