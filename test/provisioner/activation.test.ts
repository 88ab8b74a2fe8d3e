import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { generateIdentityKeyPair, signCanonical } from '../../src/crypto/identity-signature.js';
import { postSoftToken } from '../../src/protocol/softtoken/gateway-client.js';
import { engines } from '../helpers/databases.js';
import {
  type ProvisionerHarness,
  startProvisionerHarness,
  type TestGateway,
} from '../helpers/provisioner-harness.js';
import { importTrial, provision } from '../helpers/provisioning-flows.js';
import { okEntries } from '../helpers/softtoken-entries.js';

const reasonOf = (d: { error: { code: string } | null }) => [
  d.error?.code,
  (d.error as { reason?: string } | null)?.reason,
];

for (const { engine, skip } of engines) {
  describe(`activation bound to one phone [${engine}]`, { skip }, () => {
    let h: ProvisionerHarness;
    let gateway: TestGateway;
    let serials: string[];
    before(async () => {
      h = await startProvisionerHarness(engine);
      gateway = await h.enrolGateway('FGT60F0000000001');
      serials = [
        ...(await importTrial(gateway)),
        ...(await importTrial(await h.enrolGateway('FGT60F0000000002'))),
      ];
    });
    after(() => h?.close());

    it('activates on the phone, which gets the seed the gateway holds; polling shows its reg-id and os-ver', async () => {
      const [serial = ''] = serials;
      const token = await provision(gateway, serial, { label: 'alice@vpn.example.com' });
      const phoneA = h.newPhone('1.0.0_CLI');
      const activated = await phoneA.activate(token.code.toLowerCase().replace(/(.{4})/g, '$1-'));
      assert.equal(activated.d.result, 2, JSON.stringify(activated.d));
      assert.equal(activated.d.token, serial);
      assert.equal(activated.d.label, 'alice@vpn.example.com');
      assert.deepEqual(
        [activated.d.algorithm, activated.d.digits, activated.d.period],
        ['SHA1', 6, 60],
      );
      assert.equal(activated.d.server_time, Math.floor(h.clock.now / 1000));
      assert.deepEqual(phoneA.openSeed(String(activated.d.seed), serial), token.seed);

      const polled = await gateway.client.send('Polling', { tokens: [{ token: serial }] });
      assert.deepEqual(polled.d.tokens, [
        {
          token: serial,
          license: (await h.store.tokens.find(serial))?.licenceName,
          state: 'provisioned',
          registration_id: phoneA.regId,
          mobile_device_version: '1.0.0_CLI',
          error: null,
        },
      ]);

      // The same phone retrying (its response was lost) gets the same token and seed again.
      const retry = await phoneA.activate(token.code);
      assert.equal(retry.d.token, serial);
      assert.deepEqual(phoneA.openSeed(String(retry.d.seed), serial), token.seed);

      // Another phone is told why not, and what to do.
      const phoneB = await h.newPhone().activate(token.code);
      assert.deepEqual(
        [phoneB.status, ...reasonOf(phoneB.d)],
        [403, 'TW_ACTIVATION_CODE_INVALID', 'used'],
      );
      assert.match(phoneB.d.error?.message ?? '', /already activated on another device/);
    });

    it('shows one reg-id for two tokens on one phone, and again after revoke and re-provision', async () => {
      const [first = '', second = ''] = serials.slice(2);
      const phone = h.newPhone();
      const other = await h.enrolGateway('FGT60F0000000003', 'FGT60F0000000002');
      for (const serial of [first, second]) {
        assert.equal((await phone.activate((await provision(other, serial)).code)).d.result, 2);
      }
      await other.client.send('Revoke', { tokens: [{ token: first }] });
      assert.equal((await phone.activate((await provision(other, first)).code)).d.result, 2);
      const polled = await other.client.send('Polling', {
        tokens: [{ token: first }, { token: second }],
      });
      const regIds = okEntries(polled.d.tokens).map((t) => t.registration_id);
      assert.deepEqual(regIds, [phone.regId, phone.regId]);
    });

    it('refuses superseded, revoked, expired and unknown codes with their reasons', async () => {
      const [, serial = ''] = serials;
      const old = await provision(gateway, serial);
      const fresh = await provision(gateway, serial, { expire_hours: 1 });
      assert.deepEqual(reasonOf((await h.newPhone().activate(old.code)).d), [
        'TW_ACTIVATION_CODE_INVALID',
        'superseded',
      ]);

      h.clock.advance(3600_000);
      const expired = await h.newPhone().activate(fresh.code);
      assert.deepEqual(reasonOf(expired.d), ['TW_ACTIVATION_CODE_INVALID', 'expired']);
      assert.match(expired.d.error?.message ?? '', /expired at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
      h.clock.advance(-3600_000);

      const revoked = await provision(gateway, serial);
      await gateway.client.send('Revoke', { tokens: [{ token: serial }] });
      assert.deepEqual(reasonOf((await h.newPhone().activate(revoked.code)).d), [
        'TW_ACTIVATION_CODE_INVALID',
        'revoked',
      ]);

      assert.deepEqual(reasonOf((await h.newPhone().activate('AEHQAAAAAAAAAAAA')).d), [
        'TW_ACTIVATION_CODE_INVALID',
        'unknown',
      ]);
      assert.deepEqual(reasonOf((await h.newPhone().activate('not a real code!')).d), [
        'TW_ACTIVATION_CODE_INVALID',
        'unknown',
      ]);
    });

    it("refuses a forged device signature, a reg-id that is not the key's, and a stale request", async () => {
      const [, serial = ''] = serials;
      const { code } = await provision(gateway, serial);
      const phone = h.newPhone();
      const endpoint = new URL('/SoftToken/Provisioning.asmx/Mobile', h.url);
      const unsigned = {
        __type: 'SoftToken.MobileProvisionRequest',
        __version: '4',
        registration_id: phone.regId,
        timestamp: Math.floor(h.clock.now / 1000),
        nonce: randomBytes(16).toString('base64url'),
        activation_code: code,
        identity_key: Buffer.from(phone.identity.publicKey).toString('base64'),
        sealing_key: Buffer.from(phone.sealing.publicKey).toString('base64'),
        mobile_device_version: '1.0.0_CLI',
      };
      const forged = {
        ...unsigned,
        signature: signCanonical(generateIdentityKeyPair().privateKey, unsigned),
      };
      const refused = await postSoftToken(endpoint, JSON.stringify({ d: forged }));
      assert.deepEqual([refused.status, refused.d.error?.code], [401, 'TW_SIGNATURE_INVALID']);

      const impostor = generateIdentityKeyPair();
      const stolenRegId = {
        ...unsigned,
        identity_key: Buffer.from(impostor.publicKey).toString('base64'),
      };
      const signedByImpostor = {
        ...stolenRegId,
        signature: signCanonical(impostor.privateKey, stolenRegId),
      };
      assert.equal(
        (await postSoftToken(endpoint, JSON.stringify({ d: signedByImpostor }))).d.error?.code,
        'TW_SIGNATURE_INVALID',
      );

      h.clock.advance(301_000);
      const stale = { ...unsigned, signature: signCanonical(phone.identity.privateKey, unsigned) };
      assert.equal(
        (await postSoftToken(endpoint, JSON.stringify({ d: stale }))).d.error?.code,
        'TW_DEVICE_REQUEST_STALE',
      );
      h.clock.advance(-301_000);
      assert.equal(
        (await phone.activate(code)).d.result,
        2,
        'the code survived the refused attempts',
      );
    });
  });

  describe(`activation attempts are rate-limited [${engine}]`, { skip }, () => {
    let h: ProvisionerHarness;
    before(async () => {
      h = await startProvisionerHarness(engine);
    });
    after(() => h?.close());

    it('per source address, saying when to retry', async () => {
      const phone = h.newPhone();
      for (let i = 0; i < 30; i++) {
        assert.equal(
          (await phone.activate('AEHQAAAAAAAAAAAA')).d.error?.code,
          'TW_ACTIVATION_CODE_INVALID',
        );
      }
      const limited = await phone.activate('AEHQAAAAAAAAAAAA');
      assert.deepEqual([limited.status, limited.d.error?.code], [429, 'TW_RATE_LIMITED']);
      assert.equal(limited.d.error?.retry_after, 600);
      h.clock.advance(600_000);
      assert.equal(
        (await phone.activate('AEHQAAAAAAAAAAAA')).d.error?.code,
        'TW_ACTIVATION_CODE_INVALID',
      );
    });
  });
}
