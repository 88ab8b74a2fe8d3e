import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createAtRestCipher } from '../../src/crypto/at-rest-cipher.js';
import { signGatewayRequest } from '../../src/crypto/gateway-signature.js';
import { createLogger } from '../../src/log/create-logger.js';
import { postSoftToken } from '../../src/protocol/softtoken/gateway-client.js';
import { signMobileRequest } from '../../src/protocol/softtoken/mobile-signature.js';
import { buildProvisionerServer } from '../../src/provisioner/http/server.js';
import { createProvisioner } from '../../src/provisioner/provisioner.js';
import { createStore, type Store } from '../../src/store/store.js';
import { engines } from '../helpers/databases.js';
import {
  type ProvisionerHarness,
  startProvisionerHarness,
  type TestGateway,
} from '../helpers/provisioner-harness.js';
import { importTrial, provision } from '../helpers/provisioning-flows.js';

// Threat: a signed request recorded on the wire (or in a proxy log) and sent again within the
// 300 s window. A replayed Provision re-issued the token with a fresh activation code (token
// takeover); a replayed MobileTransfer minted a second transfer code.
for (const { engine, skip } of engines) {
  describe(`replayed signed requests are refused [${engine}]`, { skip }, () => {
    let h: ProvisionerHarness;
    let gateway: TestGateway;
    let serials: string[];
    // A second provisioner node on the same database.
    let secondStore: Store;
    let second: ReturnType<typeof buildProvisionerServer>;
    let secondUrl: string;
    before(async () => {
      h = await startProvisionerHarness(engine);
      gateway = await h.enrolGateway('FGT60F0000000001');
      serials = await importTrial(gateway);
      secondStore = await createStore(h.database.url);
      const log = createLogger({ level: 'silent' });
      second = buildProvisionerServer({
        provisioner: createProvisioner({
          store: secondStore,
          cipher: createAtRestCipher(Buffer.alloc(32, 7)),
          log,
          clock: () => h.clock.now,
        }),
        log,
      });
      await second.listen({ host: '127.0.0.1', port: 0 });
      secondUrl = `http://127.0.0.1:${(second.server.address() as AddressInfo).port}`;
    });
    after(async () => {
      await second?.close();
      await secondStore?.close();
      await h?.close();
    });

    const endpoint = (base: string, name: 'Process' | 'Mobile') =>
      new URL(`/SoftToken/Provisioning.asmx/${name}`, base);
    const gatewayBody = (name: string, fields: Record<string, unknown>) =>
      JSON.stringify({
        d: {
          __type: `SoftToken.${name}Request`,
          __version: '4',
          serial_number: gateway.serial,
          __device_version: '1.0',
          __device_build: '1',
          __clustered_sns: [{ sn: gateway.serial }],
          ...fields,
        },
      });

    it('refuses the same signed Provision twice, on the same node and on another', async () => {
      const body = gatewayBody('Provision', { tokens: [{ token: serials[0] }] });
      const authorization = signGatewayRequest({
        serial: gateway.serial,
        secret: gateway.secret,
        body,
        now: h.clock.now,
      });
      const first = await postSoftToken(endpoint(h.url, 'Process'), body, { authorization });
      assert.equal(first.d.result, 2, JSON.stringify(first.d));
      const issued = await h.store.tokens.find(serials[0] ?? '');
      for (const base of [h.url, secondUrl]) {
        const again = await postSoftToken(endpoint(base, 'Process'), body, { authorization });
        assert.equal(again.status, 401);
        assert.equal(again.d.error?.code, 'TW_REQUEST_REPLAYED');
      }
      assert.deepEqual(
        await h.store.tokens.find(serials[0] ?? ''),
        issued,
        'the token is not re-issued by a replay',
      );
    });

    it('takes each fresh request: a gateway signs every one with a new nonce', async () => {
      for (let i = 0; i < 3; i++) {
        assert.equal((await gateway.client.send('Polling', { tokens: [] })).d.result, 2);
      }
    });

    it('refuses a replayed MobileTransfer, on the same node and on another', async () => {
      const phone = h.newPhone();
      const serial = serials[1] ?? '';
      assert.equal((await phone.activate((await provision(gateway, serial)).code)).d.result, 2);
      const message = signMobileRequest(phone.identity.privateKey, {
        __type: 'SoftToken.MobileTransferRequest',
        __version: '4',
        registration_id: phone.regId,
        timestamp: Math.floor(h.clock.now / 1000),
        nonce: randomBytes(16).toString('base64url'),
        token: serial,
      });
      const body = JSON.stringify({ d: message });
      const first = await postSoftToken(endpoint(h.url, 'Mobile'), body);
      assert.equal(first.d.result, 2, JSON.stringify(first.d));
      for (const base of [h.url, secondUrl]) {
        const again = await postSoftToken(endpoint(base, 'Mobile'), body);
        assert.equal(again.d.error?.code, 'TW_REQUEST_REPLAYED');
      }
    });

    it('refuses a gateway request signed without a nonce, saying to upgrade', async () => {
      const body = gatewayBody('Polling', { tokens: [] });
      const signed = signGatewayRequest({
        serial: gateway.serial,
        secret: gateway.secret,
        body,
        now: h.clock.now,
      });
      const legacy = signed.replace(/,nonce=[^,]+/, '');
      const refused = await postSoftToken(endpoint(h.url, 'Process'), body, {
        authorization: legacy,
      });
      assert.equal(refused.d.error?.code, 'TW_GATEWAY_AUTH_MALFORMED');
      assert.match(refused.d.error?.message ?? '', /Upgrade the gateway/);
    });
  });
}
