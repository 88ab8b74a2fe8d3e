import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signGatewayRequest } from '../../src/crypto/gateway-signature.js';
import { generateSealingKeyPair } from '../../src/crypto/x25519.js';
import { createGatewayClient, postSoftToken } from '../../src/protocol/softtoken/gateway-client.js';
import { engines } from '../helpers/databases.js';
import {
  type ProvisionerHarness,
  startProvisionerHarness,
  type TestGateway,
} from '../helpers/provisioner-harness.js';
import { importTrial, provision } from '../helpers/provisioning-flows.js';
import { okEntries } from '../helpers/softtoken-entries.js';

for (const { engine, skip } of engines) {
  describe(`gateway messages [${engine}]`, { skip }, () => {
    let h: ProvisionerHarness;
    let hq: TestGateway;
    let branch: TestGateway;
    let trial: string[];
    before(async () => {
      h = await startProvisionerHarness(engine);
      hq = await h.enrolGateway('FGT60F0000000001', 'hq');
      branch = await h.enrolGateway('FGT60F0000000002', 'branch');
      trial = await importTrial(hq);
    });
    after(() => h?.close());

    it('gives a cluster its 2 trial tokens once', async () => {
      assert.equal(trial.length, 2);
      for (const serial of trial) assert.match(serial, /^TWMOB[0-9A-F]{11}$/);
      const again = await hq.client.send('LicenseImport', { code: '0000 0000 0000 0000 0000' });
      assert.deepEqual(
        [again.status, again.d.result, again.d.error?.code],
        [409, 0, 'TW_LICENCE_ALREADY_IMPORTED'],
      );
    });

    it('redeems a pack once, for one cluster; another cluster gets a clear refusal', async () => {
      const pack = await h.provisioner.admin.createLicence({ tokens: 3 }, h.clock.now);
      const imported = await branch.client.send('LicenseImport', { code: pack.code.toLowerCase() });
      assert.equal(imported.d.result, 2);
      assert.equal(imported.d.license, pack.name);
      assert.equal(imported.d.tokens?.length, 3);
      const twice = await branch.client.send('LicenseImport', { code: pack.code });
      assert.equal(twice.d.error?.code, 'TW_LICENCE_ALREADY_IMPORTED');
      const other = await hq.client.send('LicenseImport', { code: pack.code });
      assert.equal(other.d.error?.code, 'TW_LICENCE_OTHER_CLUSTER');
      const unknown = await hq.client.send('LicenseImport', { code: '1234-5678-9ABC-DEF0-1234' });
      assert.equal(unknown.d.error?.code, 'TW_LICENCE_UNKNOWN');
      const malformed = await hq.client.send('LicenseImport', { code: 'not a code' });
      assert.equal(malformed.d.error?.code, 'TW_LICENCE_CODE_INVALID');
    });

    it("moves a licence between clusters on the operator's word (no lock-in)", async () => {
      const pack = await h.provisioner.admin.createLicence({ tokens: 1 }, h.clock.now);
      await branch.client.send('LicenseImport', { code: pack.code });
      await h.provisioner.admin.moveLicence(pack.code, 'hq', h.clock.now);
      const [serial] = (await h.provisioner.admin.listTokens({ cluster: 'hq' }))
        .filter((t) => t.licenceName === pack.name)
        .map((t) => t.serial);
      assert.ok(serial !== undefined);
      assert.equal((await provision(hq, serial)).serial, serial);
      const fromBranch = await branch.client.send('Polling', { tokens: [{ token: serial }] });
      assert.equal(fromBranch.d.tokens?.[0]?.error?.code, 'TW_TOKEN_UNKNOWN');
    });

    it('echoes cluster members, with an error for a serial outside the cluster', async () => {
      const client = createGatewayClient(
        h.url,
        {
          serial: hq.serial,
          secret: hq.secret,
          clusterSerials: [hq.serial, branch.serial],
        },
        () => h.clock.now,
      );
      const response = await client.send('Polling', { tokens: [] });
      assert.deepEqual(
        (response.d.__clustered_sns ?? []).map((m) => [m.sn, m.error?.code ?? null]),
        [
          [hq.serial, null],
          [branch.serial, 'TW_CLUSTER_MEMBER_UNKNOWN'],
        ],
      );
    });

    it('provisions with a new seed sealed to the gateway and a new code each time', async () => {
      const [serial = ''] = trial;
      const first = await provision(hq, serial, { expire_hours: 1 });
      assert.match(first.code, /^[A-Z2-7]{16}$/);
      assert.equal(first.seed.length, 20);
      assert.equal(first.activationExpire, Math.floor(h.clock.now / 1000) + 3600);
      const second = await provision(hq, serial);
      assert.notEqual(second.code, first.code);
      assert.notDeepEqual(second.seed, first.seed);
      assert.equal(second.seedVersion, first.seedVersion + 1);
      assert.equal(second.activationExpire, Math.floor(h.clock.now / 1000) + 72 * 3600);
      const stored = await h.store.tokens.find(serial);
      assert.equal(stored?.state, 'provisioning');
      assert.ok(!JSON.stringify(stored).includes(second.code), 'the code is stored only as a hash');
    });

    it('polls states, reports unknown tokens per entry, and times out unused codes', async () => {
      const [, serial = ''] = trial;
      await provision(hq, serial, { expire_hours: 1 });
      const polled = await hq.client.send('Polling', {
        tokens: [{ token: serial }, { token: 'TWMOB00000000BAD' }],
      });
      assert.equal(polled.d.result, 1);
      const [known, unknown] = polled.d.tokens ?? [];
      assert.equal(known?.error === null ? known.state : known?.error, 'provisioning');
      assert.equal(unknown?.error?.code, 'TW_TOKEN_UNKNOWN');
      h.clock.advance(3600_000);
      const later = await hq.client.send('Polling', { tokens: [{ token: serial }] });
      assert.equal(okEntries(later.d.tokens)[0]?.state, 'provision timeout');
      h.clock.advance(-3600_000);
    });

    it('revokes a token back to new', async () => {
      const [serial = ''] = trial;
      const revoked = await hq.client.send('Revoke', { tokens: [{ token: serial }] });
      assert.deepEqual(revoked.d.tokens, [{ token: serial, state: 'new', error: null }]);
      assert.equal((await h.store.tokens.find(serial))?.seedEnc, null);
    });

    it('registers a sealing key on first request and refuses a different one later', async () => {
      const added = await h.provisioner.admin.addGateway(
        { serial: 'FGT60F0000000003', cluster: 'hq' },
        h.clock.now,
      );
      const noKey = createGatewayClient(
        h.url,
        { serial: added.serial, secret: added.secret },
        () => h.clock.now,
      );
      const [serial = ''] = trial;
      const refused = await noKey.send('Provision', { tokens: [{ token: serial }] });
      assert.equal(refused.d.error?.code, 'TW_GATEWAY_KEY_MISSING');
      const key = Buffer.from(generateSealingKeyPair().publicKey).toString('base64');
      const withKey = createGatewayClient(
        h.url,
        { ...added, secret: added.secret, sealingKey: key },
        () => h.clock.now,
      );
      assert.equal((await withKey.send('Polling', { tokens: [] })).d.result, 2);
      const other = Buffer.from(generateSealingKeyPair().publicKey).toString('base64');
      const swapped = createGatewayClient(
        h.url,
        { ...added, secret: added.secret, sealingKey: other },
        () => h.clock.now,
      );
      assert.equal(
        (await swapped.send('Polling', { tokens: [] })).d.error?.code,
        'TW_GATEWAY_KEY_MISMATCH',
      );
    });

    it('refuses a forged, stale or unknown gateway signature', async () => {
      const forged = createGatewayClient(
        h.url,
        { serial: hq.serial, secret: 'twgs_guessed' },
        () => h.clock.now,
      );
      const attempt = await forged.send('Polling', { tokens: [] });
      assert.deepEqual([attempt.status, attempt.d.error?.code], [401, 'TW_GATEWAY_AUTH_INVALID']);
      const stale = createGatewayClient(h.url, hq, () => h.clock.now - 301_000);
      assert.equal(
        (await stale.send('Polling', { tokens: [] })).d.error?.code,
        'TW_GATEWAY_AUTH_STALE',
      );
      const stranger = createGatewayClient(
        h.url,
        { serial: 'FGT60F0000000099', secret: hq.secret },
        () => h.clock.now,
      );
      assert.equal(
        (await stranger.send('Polling', { tokens: [] })).d.error?.code,
        'TW_GATEWAY_AUTH_INVALID',
      );
      // A body naming another serial than the signer is refused too.
      const body = JSON.stringify({
        d: {
          __type: 'SoftToken.PollingRequest',
          __version: '4',
          serial_number: branch.serial,
          __device_version: '1',
          __device_build: '1',
          __clustered_sns: [{ sn: branch.serial }],
          tokens: [],
        },
      });
      const authorization = signGatewayRequest({
        serial: hq.serial,
        secret: hq.secret,
        body,
        now: h.clock.now,
      });
      const endpoint = new URL('/SoftToken/Provisioning.asmx/Process', h.url);
      assert.equal(
        (await postSoftToken(endpoint, body, { authorization })).d.error?.code,
        'TW_GATEWAY_AUTH_INVALID',
      );
    });

    it('answers malformed messages with result 0 and a coded 4xx', async () => {
      const endpoint = new URL('/SoftToken/Provisioning.asmx/Process', h.url);
      const signed = async (body: string) =>
        postSoftToken(endpoint, body, {
          authorization: signGatewayRequest({
            serial: hq.serial,
            secret: hq.secret,
            body,
            now: h.clock.now,
          }),
        });
      const cases: [string, string, number][] = [
        ['{', 'TW_PROTOCOL_MALFORMED', 400],
        [
          '{"d":{"__type":"SoftToken.NopeRequest","__version":"4"}}',
          'TW_PROTOCOL_TYPE_UNKNOWN',
          400,
        ],
        [
          '{"d":{"__type":"SoftToken.PollingRequest","__version":"3"}}',
          'TW_PROTOCOL_VERSION_UNSUPPORTED',
          400,
        ],
        ['{"d":{"__type":"SoftToken.PollingRequest","__version":"4"}}', 'TW_MESSAGE_INVALID', 400],
        [
          '{"d":{"__type":"SoftToken.MobilePushPollRequest","__version":"4"}}',
          'TW_PROTOCOL_TYPE_UNKNOWN',
          400,
        ],
      ];
      for (const [body, code, status] of cases) {
        const response = await signed(body);
        assert.deepEqual(
          [response.status, response.d.result, response.d.error?.code],
          [status, 0, code],
          body,
        );
      }
      const huge = await signed(`{"d":${' '.repeat(300 * 1024)}}`);
      assert.deepEqual([huge.status, huge.d.error?.code], [413, 'TW_BODY_TOO_LARGE']);
    });

    it('serves /healthz and /metrics', async () => {
      const health = await fetch(new URL('/healthz', h.url));
      assert.deepEqual(
        [health.status, await health.json()],
        [200, { status: 'ok', database: 'ok' }],
      );
      const metrics = await (await fetch(new URL('/metrics', h.url))).text();
      assert.match(
        metrics,
        /tokenward_softtoken_messages_total\{endpoint="Process",type="Polling",result="2"\} \d+/,
      );
    });
  });
}
