import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateTotp } from '../../src/core/totp.js';
import { pushReplyHmac } from '../../src/protocol/softtoken/push-proof.js';
import { DEFAULT_PROVISIONER_CONFIG } from '../../src/provisioner/config.js';
import { engines } from '../helpers/databases.js';
import {
  type ProvisionerHarness,
  startProvisionerHarness,
  type TestGateway,
  type TestPhone,
} from '../helpers/provisioner-harness.js';
import { importTrial, provision } from '../helpers/provisioning-flows.js';
import { okEntries } from '../helpers/softtoken-entries.js';

const context = {
  username: 'alice',
  user_ip: '203.0.113.7',
  user_agent: 'OpenVPN',
  realm: 'vpn',
  timestamp: 1_700_000_000,
  log_message: 'VPN login',
};

for (const { engine, skip } of engines) {
  describe(`push relay [${engine}]`, { skip }, () => {
    let h: ProvisionerHarness;
    let gateway: TestGateway;
    let phone: TestPhone;
    let serial: string;
    let seed: Uint8Array;

    const push = async (extra: { number?: number; ttl?: number } = {}) => {
      const sent = await gateway.client.send('Push', {
        token: serial,
        session_id: 's-1',
        context,
        ...extra,
      });
      assert.equal(sent.d.result, 2, JSON.stringify(sent.d));
      return String(sent.d.push_id);
    };
    const reply = (pushId: string, action: 'approve' | 'deny', extra: { number?: number } = {}) =>
      phone.client.send('MobilePushReply', {
        push_id: pushId,
        token: serial,
        action,
        ...(action === 'approve'
          ? {
              token_code: generateTotp({
                seed,
                now: h.clock.now,
                algorithm: 'SHA1',
                digits: 6,
                period: 60,
              }),
            }
          : {}),
        hmac: pushReplyHmac(seed, pushId, action),
        ...extra,
      });
    const status = async (pushId: string, wait = 0) => {
      const answer = await gateway.client.send('PushStatus', { push_ids: [pushId], wait });
      return okEntries(answer.d.pushes)[0];
    };

    before(async () => {
      h = await startProvisionerHarness(engine, {
        ...DEFAULT_PROVISIONER_CONFIG,
        push: { defaultTtlSeconds: 60, maxPending: 3, maxPerMinute: 10 },
      });
      gateway = await h.enrolGateway('FGT60F0000000001');
      [serial = ''] = await importTrial(gateway);
      const token = await provision(gateway, serial);
      seed = token.seed;
      phone = h.newPhone();
      assert.equal((await phone.activate(token.code)).d.result, 2);
    });
    after(() => h?.close());

    it('delivers a push to the phone, whose approval reaches a waiting gateway with code and proof', async () => {
      const pushId = await push({ number: 42 });
      const polled = await phone.client.send('MobilePushPoll', { wait: 0 });
      const [delivered] = polled.d.pushes ?? [];
      assert.deepEqual(delivered, {
        push_id: pushId,
        token: serial,
        context,
        number: 42,
        expires: Math.floor(h.clock.now / 1000) + 60,
      });
      const waiting = status(pushId, 10);
      assert.equal((await reply(pushId, 'approve', { number: 42 })).d.accepted, true);
      const decided = await waiting;
      assert.equal(decided?.status, 'approved');
      assert.equal(
        decided?.token_code,
        generateTotp({ seed, now: h.clock.now, algorithm: 'SHA1', digits: 6, period: 60 }),
      );
      assert.equal(decided?.hmac, pushReplyHmac(seed, pushId, 'approve'));
      assert.equal(
        (await reply(pushId, 'deny')).d.error?.code,
        'TW_PUSH_CLOSED',
        'a push is answered once',
      );
    });

    it('wakes a waiting phone when a push arrives', async () => {
      const waiting = phone.client.send('MobilePushPoll', { wait: 10 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const pushId = await push();
      const polled = await waiting;
      assert.deepEqual(
        (polled.d.pushes ?? []).map((p) => p.push_id),
        [pushId],
      );
      await reply(pushId, 'deny');
      assert.equal((await status(pushId))?.status, 'denied');
    });

    it('denies on a number mismatch', async () => {
      const pushId = await push({ number: 17 });
      const answer = await reply(pushId, 'approve', { number: 71 });
      assert.equal(answer.d.error?.code, 'TW_PUSH_NUMBER_MISMATCH');
      assert.deepEqual(await status(pushId), {
        push_id: pushId,
        status: 'denied',
        token_code: null,
        hmac: null,
        error: null,
      });
    });

    it('expires unanswered pushes', async () => {
      const pushId = await push({ ttl: 10 });
      h.clock.advance(10_000);
      assert.equal((await status(pushId))?.status, 'expired');
      assert.equal((await reply(pushId, 'approve')).d.error?.code, 'TW_PUSH_CLOSED');
      h.clock.advance(60_000);
    });

    it('refuses a reply without proof of the seed, or from another phone', async () => {
      const pushId = await push();
      const forged = await phone.client.send('MobilePushReply', {
        push_id: pushId,
        token: serial,
        action: 'deny',
        hmac: pushReplyHmac(Buffer.alloc(20), pushId, 'deny'),
      });
      assert.equal(forged.d.error?.code, 'TW_SIGNATURE_INVALID');
      const stranger = h.newPhone();
      const unknownDevice = await stranger.client.send('MobilePushPoll', { wait: 0 });
      assert.equal(unknownDevice.d.error?.code, 'TW_DEVICE_UNKNOWN');
      await reply(pushId, 'deny');
      h.clock.advance(60_000);
    });

    it('guards against push fatigue: 3 pending at most, 10 a minute', async () => {
      h.clock.advance(120_000);
      const pending = [await push(), await push(), await push()];
      const fourth = await gateway.client.send('Push', { token: serial, session_id: 's', context });
      assert.deepEqual([fourth.status, fourth.d.error?.code], [429, 'TW_PUSH_RATE_LIMITED']);
      for (const id of pending) await reply(id, 'deny');
      for (let i = 0; i < 7; i++) await reply(await push(), 'deny');
      const eleventh = await gateway.client.send('Push', {
        token: serial,
        session_id: 's',
        context,
      });
      assert.equal(eleventh.d.error?.code, 'TW_PUSH_RATE_LIMITED');
      h.clock.advance(61_000);
      await reply(await push(), 'deny');
    });

    it('refuses a push for a token that is not on a phone', async () => {
      const [other = ''] = (await h.store.tokens.list({ state: 'new' })).map((t) => t.serial);
      const refused = await gateway.client.send('Push', { token: other, session_id: 's', context });
      assert.equal(refused.d.error?.code, 'TW_TOKEN_NOT_PROVISIONED');
    });
  });

  describe(`self-service transfer [${engine}]`, { skip }, () => {
    let h: ProvisionerHarness;
    before(async () => {
      h = await startProvisionerHarness(engine);
    });
    after(() => h?.close());

    it('moves the token to the new phone with a new seed; the gateway learns both at its next poll', async () => {
      const gateway = await h.enrolGateway('FGT60F0000000001');
      const [serial = ''] = await importTrial(gateway);
      const token = await provision(gateway, serial);
      const phoneA = h.newPhone('1.0.0_CLI');
      const phoneC = h.newPhone('2.0.0_CLI');
      await phoneA.activate(token.code);

      const transfer = await phoneA.client.send('MobileTransfer', { token: serial });
      assert.equal(transfer.d.result, 2);
      assert.equal(transfer.d.expires, Math.floor(h.clock.now / 1000) + 24 * 3600);
      const code = String(transfer.d.transfer_code);
      assert.equal(
        (await phoneC.activate(code)).d.error?.code,
        'TW_ACTIVATION_CODE_INVALID',
        'a transfer code is not an activation code',
      );
      const moved = await phoneC.redeemTransfer(code);
      assert.equal(moved.d.result, 2, JSON.stringify(moved.d));
      const newSeed = phoneC.openSeed(String(moved.d.seed), serial);
      assert.notDeepEqual(newSeed, token.seed);

      const polled = await gateway.client.send('Polling', {
        tokens: [{ token: serial, seed_version: token.seedVersion }],
      });
      const [entry] = okEntries(polled.d.tokens);
      assert.equal(entry?.registration_id, phoneC.regId);
      assert.equal(entry?.mobile_device_version, '2.0.0_CLI');
      assert.deepEqual(gateway.openSeed(entry?.seed ?? '', serial), newSeed);
      const current = await gateway.client.send('Polling', {
        tokens: [{ token: serial, seed_version: entry?.seed_version ?? 0 }],
      });
      assert.equal(
        okEntries(current.d.tokens)[0]?.seed,
        undefined,
        'no seed when the gateway has the latest',
      );

      const oldPhone = await phoneA.client.send('MobileTransfer', { token: serial });
      assert.equal(oldPhone.d.error?.code, 'TW_TOKEN_NOT_ON_DEVICE');
      assert.deepEqual(
        (await phoneC.redeemTransfer(code)).d.token,
        serial,
        'the new phone retrying gets it again',
      );
      assert.equal(
        (await h.newPhone().redeemTransfer(code)).d.error?.code,
        'TW_ACTIVATION_CODE_INVALID',
      );
    });

    it('is refused when the licence forbids self-service transfer', async () => {
      const pack = await h.provisioner.admin.createLicence(
        { tokens: 1, transferPolicy: 'admin-only' },
        h.clock.now,
      );
      const gateway = await h.enrolGateway('FGT60F0000000002');
      const imported = await gateway.client.send('LicenseImport', { code: pack.code });
      const [{ token: serial = '' } = { token: '' }] = imported.d.tokens ?? [];
      const phone = h.newPhone();
      await phone.activate((await provision(gateway, serial)).code);
      assert.equal(
        (await phone.client.send('MobileTransfer', { token: serial })).d.error?.code,
        'TW_TRANSFER_FORBIDDEN',
      );
    });
  });
}

for (const { engine, skip } of engines) {
  describe(`audit log [${engine}]`, { skip }, () => {
    let h: ProvisionerHarness;
    before(async () => {
      h = await startProvisionerHarness(engine);
    });
    after(() => h?.close());

    it('records every state change: what, which token, who, from where, when', async () => {
      const gateway = await h.enrolGateway('FGT60F0000000001');
      const [serial = ''] = await importTrial(gateway);
      const phone = h.newPhone();
      const { code } = await provision(gateway, serial);
      await phone.activate(code);
      const transfer = await phone.client.send('MobileTransfer', { token: serial });
      await gateway.client.send('Revoke', { tokens: [{ token: serial }] });

      const entries = (await h.store.auditLog.list({ subject: serial })).reverse();
      assert.deepEqual(
        entries.map((e) => [e.action, e.actor]),
        [
          ['token.provision', `gateway:${gateway.serial}`],
          ['token.activate', `device:${phone.regId}`],
          ['token.transfer-code', `device:${phone.regId}`],
          ['token.revoke', `gateway:${gateway.serial}`],
        ],
      );
      for (const entry of entries) {
        assert.equal(entry.detail?.source_ip, '127.0.0.1');
        assert.equal(entry.at, h.clock.now);
        const text = JSON.stringify(entry);
        assert.ok(
          !text.includes(code) && !text.includes(String(transfer.d.transfer_code)),
          'no code in the audit log',
        );
      }
      assert.equal(
        (await h.store.auditLog.list({ action: 'licence.import' }))[0]?.actor,
        `gateway:${gateway.serial}`,
      );
    });
  });
}
