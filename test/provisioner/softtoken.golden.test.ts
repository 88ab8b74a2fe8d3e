import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { signGatewayRequest } from '../../src/crypto/gateway-signature.js';
import { postSoftToken } from '../../src/protocol/softtoken/gateway-client.js';
import { engines } from '../helpers/databases.js';
import {
  type ProvisionerHarness,
  startProvisionerHarness,
} from '../helpers/provisioner-harness.js';
import { tokenRow } from '../helpers/rows.js';

const exchange = JSON.parse(
  readFileSync(new URL('../vectors/source-polling-exchange.json', import.meta.url), 'utf8'),
) as { request: string; response: string };

for (const { engine, skip } of engines) {
  describe(`the source document's Polling exchange [${engine}]`, { skip }, () => {
    let h: ProvisionerHarness;
    let secret: string;
    before(async () => {
      h = await startProvisionerHarness(engine);
      // The source's state: two cluster members, a trial token activated on an iPhone.
      secret = (await h.enrolGateway('FGT3HD3915801656', 'source')).secret;
      await h.enrolGateway('FGT3HD3915801685', 'source');
      const cluster = await h.store.clusters.findByName('source');
      const now = h.clock.now;
      await h.store.licences.create({
        name: 'FTMTRIAL02062407',
        kind: 'trial',
        tokenCount: 2,
        codeHash: null,
        clusterId: cluster?.id ?? null,
        transferPolicy: 'self-service',
        exportPolicy: 'forbidden',
        createdAt: now,
        redeemedAt: now,
      });
      const regId = 'fa0678e8f9e35f6a251cea691e4d56ed6fe9169ad03d2d26fe6dede6c8985a90';
      await h.store.tokens.createMany([
        {
          ...tokenRow('FTKMOB83F91CD33B', 'FTMTRIAL02062407', now),
          state: 'provisioned',
          deviceRegId: regId,
        },
        {
          ...tokenRow('FTKMOB83712DC7FE', 'FTMTRIAL02062407', now),
          state: 'provisioned',
          deviceRegId: regId,
        },
      ]);
      await h.store.devices.upsert({
        regId,
        identityKey: 'unused',
        sealingKey: 'unused',
        osVer: '5.4.2_IOS',
        createdAt: now,
        lastSeenAt: now,
      });
    });
    after(() => h?.close());

    it('accepts the logged request byte for byte and answers the logged response, field for field', async () => {
      const authorization = signGatewayRequest({
        serial: 'FGT3HD3915801656',
        secret,
        body: exchange.request,
        now: h.clock.now,
      });
      const response = await postSoftToken(
        new URL('/SoftToken/Provisioning.asmx/Process', h.url),
        exchange.request,
        { authorization },
      );
      assert.equal(response.status, 200);
      // Same fields, same order, same values: the JSON texts are equal once whitespace is gone.
      assert.equal(
        JSON.stringify({ d: response.d }),
        JSON.stringify(JSON.parse(exchange.response)),
      );
    });
  });
}
