import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defaultHasher, type PasswordHasher } from '../../src/gateway/auth/first-factor.js';
import { newRadiusClient } from '../../src/gateway/new-radius-client.js';
import type { RadiusServer } from '../../src/gateway/radius/radius-server.js';
import type { RadiusClient } from '../../src/store/repositories/radius-client-repository.js';
import { type GatewayHarness, startGatewayHarness } from '../helpers/gateway-harness.js';
import { radclient, radclientComponent } from '../helpers/radclient.js';

// Threat: telling which user names exist from how long a RADIUS answer takes. The cost of a
// login is its password hashes; this counts them (never wall time, which a loaded box blurs).
const SECRET = 'radius-shared-secret-enumeration';

describe('RADIUS: user enumeration by timing', { skip: radclientComponent.skip }, () => {
  let g: GatewayHarness;
  let server: RadiusServer;
  let port: number;
  let verifies = 0;
  const counting: PasswordHasher = {
    hash: defaultHasher.hash,
    needsRehash: defaultHasher.needsRehash,
    verify: (password, stored) => {
      verifies++;
      return defaultHasher.verify(password, stored);
    },
  };

  const useMode = async (otpMode: RadiusClient['otpMode']) => {
    await g.store.radiusClients.remove('vpn');
    await g.store.radiusClients.add(
      newRadiusClient(
        { name: 'vpn', address: '127.0.0.1', secret: SECRET, otpMode },
        g.cipher,
        g.clock.now,
      ),
    );
    server.clientsChanged();
  };
  const hashesFor = async (user: string, password: string) => {
    const before = verifies;
    const reply = await radclient(port, SECRET, [
      `User-Name = "${user}"`,
      `User-Password = "${password}"`,
      'Message-Authenticator = 0x00',
    ]);
    assert.equal(reply.type, 'Access-Reject', reply.output);
    return verifies - before;
  };

  before(async () => {
    g = await startGatewayHarness('sqlite', { passwords: counting });
    await g.tokenUser('alice');
    await g.gateway.addUser({ name: 'carol', password: 'battery-staple-9', twoFactor: 'disable' });
    ({ server, port } = await g.radius());
  });
  after(async () => {
    await g?.close();
  });

  for (const mode of ['challenge', 'append', 'both'] as const) {
    it(`costs a known and an unknown user the same hashes (otp-mode ${mode})`, async () => {
      await useMode(mode);
      for (const password of ['wrong-password', 'wrong-password123456']) {
        const counts = {
          token: await hashesFor('alice', password),
          plain: await hashesFor('carol', `x${password}`),
          unknown: await hashesFor('nobody-here', password),
        };
        assert.equal(counts.token, counts.unknown, `${password}: ${JSON.stringify(counts)}`);
        assert.equal(counts.plain, counts.unknown, `${password}: ${JSON.stringify(counts)}`);
        assert.ok(counts.unknown >= 1);
      }
    });
  }
});
