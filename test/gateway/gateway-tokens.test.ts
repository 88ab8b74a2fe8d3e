import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAtRestCipher } from '../../src/crypto/at-rest-cipher.js';
import { createGateway, type Gateway } from '../../src/gateway/gateway.js';
import { createNotifier } from '../../src/gateway/notifier.js';
import { createLogger } from '../../src/log/create-logger.js';
import { createStore, type Store } from '../../src/store/store.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/databases.js';
import {
  type ProvisionerHarness,
  startProvisionerHarness,
} from '../helpers/provisioner-harness.js';
import { startSmsWebhook } from '../helpers/sms-webhook.js';

for (const { engine, skip } of engines) {
  describe(`gateway tokens: SMS, expiry, re-enabling, lock [${engine}]`, { skip }, () => {
    let h: ProvisionerHarness;
    let database: TestDatabase;
    let store: Store;
    let gateway: Gateway;
    let sms: Awaited<ReturnType<typeof startSmsWebhook>>;
    let root: string;
    const codeOf = (text: string) => /: ([A-Z2-7]{16}) /.exec(text)?.[1] ?? '';

    before(async () => {
      h = await startProvisionerHarness(engine, undefined, { realTime: true });
      sms = await startSmsWebhook();
      database = await createTestDatabase(engine);
      store = await createStore(database.url);
      root = await mkdtemp(join(tmpdir(), 'tokenward-gateway-tokens-'));
      gateway = createGateway({
        store,
        cipher: createAtRestCipher(Buffer.alloc(32, 3)),
        log: createLogger({ level: 'silent' }),
        notifier: createNotifier({ smsWebhook: sms.url }),
        clock: () => h.clock.now,
      });
      const added = await h.provisioner.admin.addGateway(
        { serial: 'FGT60F0000000001' },
        h.clock.now,
      );
      await gateway.enroll({ provisionerUrl: h.url, serial: added.serial, secret: added.secret });
      await gateway.importLicence('0000-0000-0000-0000-0000');
    });
    after(async () => {
      await store?.close();
      await database?.drop();
      await sms?.close();
      await h?.close();
      await rm(root, { recursive: true, force: true });
    });

    it('sends the activation by SMS; an expired code becomes provision timeout and resend sends a new one', async () => {
      const added = await gateway.addUser({
        name: 'carol',
        password: 'horse-staple-battery',
        sms: '+15550100',
        token: 'auto',
      });
      assert.equal(added.delivered, 'SMS to +15550100');
      const first = sms.received.at(-1);
      assert.equal(first?.to, '+15550100');
      const serial = added.token ?? '';
      const firstCode = codeOf(first?.text ?? '');
      assert.match(firstCode, /^[A-Z2-7]{16}$/);

      h.clock.advance(73 * 3600_000);
      await gateway.poll();
      assert.equal((await gateway.showToken(serial)).state, 'provision timeout');
      await gateway.resendActivation(serial);
      const secondCode = codeOf(sms.received.at(-1)?.text ?? '');
      assert.notEqual(secondCode, firstCode);
      assert.equal((await gateway.showToken(serial)).state, 'provisioning');
      h.clock.advance(-73 * 3600_000);

      sms.fail(true);
      await assert.rejects(
        gateway.resendActivation(serial),
        (error: { code?: string }) => error.code === 'TW_DELIVERY_FAILED',
      );
      sms.fail(false);
      await gateway.resendActivation(serial);
      assert.equal(
        codeOf(sms.received.at(-1)?.text ?? ''),
        secondCode,
        'a resend of a live code sends the same code',
      );
    });

    it('shows the same reg-id when a token is re-enabled for the same phone', async () => {
      const serial = (await gateway.showUser('carol')).tokenSerial ?? '';
      const phone = ['--device', join(root, 'phone')];
      const activate = async () => {
        const code = codeOf(sms.received.at(-1)?.text ?? '');
        assert.equal(
          (await runCli(['mobile', 'activate', code, '--server', h.url, ...phone])).code,
          0,
        );
        await gateway.poll();
        return (await gateway.showToken(serial)).regId;
      };
      const first = await activate();
      assert.match(first ?? '', /^[0-9a-f]{64}$/);
      await gateway.revokeToken(serial);
      await gateway.setUser('carol', { token: 'none' });
      await gateway.setUser('carol', { token: serial });
      assert.equal(await activate(), first);
    });

    it('locks and unlocks a token, and refuses what does not exist', async () => {
      const serial = (await gateway.showUser('carol')).tokenSerial ?? '';
      await gateway.setTokenStatus(serial, 'lock');
      assert.equal((await gateway.showToken(serial)).status, 'lock');
      assert.match(await gateway.diagnose(serial), new RegExp(`${serial} +locked`));
      await gateway.setTokenStatus(serial, 'active');
      assert.equal((await gateway.showToken(serial)).status, 'active');
      await assert.rejects(
        gateway.showToken('TWMOB0000000DEAD'),
        (error: { code?: string }) => error.code === 'TW_STORE_NOT_FOUND',
      );
      await assert.rejects(
        gateway.addUser({ name: 'dave', password: 'horse-staple-battery', token: 'auto' }),
        (error: { code?: string }) => error.code === 'TW_DELIVERY_ADDRESS_MISSING',
      );
      await gateway.addUser({
        name: 'erin',
        password: 'horse-staple-battery',
        sms: '+15550101',
        token: 'auto',
      });
      await assert.rejects(
        gateway.addUser({
          name: 'dave',
          password: 'horse-staple-battery',
          sms: '+15550102',
          token: 'auto',
        }),
        (error: { code?: string }) => error.code === 'TW_TOKEN_NO_FREE',
      );
      assert.equal(
        (await gateway.listUsers()).some((u) => u.name === 'dave'),
        false,
        'nothing half-written',
      );
    });
  });
}
