import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoginContext } from '../../src/gateway/auth/auth-outcome.js';
import { newRadiusClient } from '../../src/gateway/new-radius-client.js';
import { engines } from '../helpers/databases.js';
import { gatewayWithAlice } from '../helpers/gateway-harness.js';
import { radclient, radclientComponent } from '../helpers/radclient.js';

const from = (sourceIp: string): LoginContext => ({ frontEnd: 'http', sourceIp });

// Threat: locking a user out without knowing anything. Three wrong passwords over the login API
// locked the user until an admin came; spoofed RADIUS packets through a client that does not
// require Message-Authenticator counted too.
for (const { engine, skip } of engines) {
  describe(`failed logins block the source first, the user only later [${engine}]`, {
    skip,
  }, () => {
    const f = gatewayWithAlice(engine);
    const login = (password: string, context: LoginContext) =>
      f.g.auth.login({ username: 'alice', password, context });
    const lastReason = async () =>
      (await f.g.store.authLog.list({ username: 'alice', limit: 1 }))[0]?.reason;

    it('blocks a source after 3 wrong passwords; the user still logs in from elsewhere', async () => {
      for (let i = 0; i < 3; i++) await login(`guess-${i}`, from('198.51.100.7'));
      assert.equal(await lastReason(), 'password-mismatch,source-blocked');
      assert.equal((await login(f.alice.password, from('198.51.100.7'))).result, 'reject');
      assert.equal(await lastReason(), 'source-blocked');
      assert.equal((await login(f.alice.password, from('203.0.113.50'))).result, 'challenge');
      assert.equal((await f.g.store.users.find('alice'))?.lockedAt, null);
    });

    it('lets the blocked source try again once the block has passed', async () => {
      f.g.clock.advance(61_000);
      assert.equal((await login(f.alice.password, from('198.51.100.7'))).result, 'challenge');
    });

    it('locks the user after auth-lockout-user-threshold (10) wrong passwords from many sources', async () => {
      await f.g.gateway.unlockUser('alice'); // no failures counted before this test
      try {
        for (let i = 0; i < 9; i++) await login('wrong', from(`192.0.2.${i}`));
        assert.equal(await lastReason(), 'password-mismatch');
        await login('wrong', from('192.0.2.9'));
        assert.equal(await lastReason(), 'password-mismatch,locked-out');
        assert.equal((await login(f.alice.password, from('192.0.2.200'))).result, 'reject');
        assert.equal(await lastReason(), 'user-locked');
      } finally {
        await f.g.gateway.unlockUser('alice');
      }
    });

    it('counts nothing for requests whose authenticity was not proven', async () => {
      const spoofed: LoginContext = {
        frontEnd: 'radius',
        client: 'vpn',
        sourceIp: '10.9.9.9',
        unproven: true,
      };
      for (let i = 0; i < 20; i++) await login('spoofed', spoofed);
      assert.equal((await f.g.store.users.find('alice'))?.failCount, 0);
      assert.equal(
        (await login(f.alice.password, { ...spoofed, unproven: false })).result,
        'challenge',
      );
    });
  });
}

describe('RADIUS packets without Message-Authenticator count for nobody', {
  skip: radclientComponent.skip,
}, () => {
  const f = gatewayWithAlice('sqlite');

  it('leaves the user unlocked after 12 wrong passwords through an `optional` client', async () => {
    const secret = 'radius-shared-secret-optional';
    await f.g.store.radiusClients.add(
      newRadiusClient(
        { name: 'old-nas', address: '127.0.0.1', secret, messageAuthenticator: 'optional' },
        f.g.cipher,
        f.g.clock.now,
      ),
    );
    const { server, port } = await f.g.radius();
    try {
      for (let i = 0; i < 12; i++) {
        const reply = await radclient(port, secret, [
          'User-Name = "alice"',
          `User-Password = "spoofed-${i}"`,
          'Calling-Station-Id = "10.1.1.1"',
        ]);
        assert.equal(reply.type, 'Access-Reject');
      }
      const alice = await f.g.store.users.find('alice');
      assert.deepEqual([alice?.failCount, alice?.lockedAt], [0, null]);
    } finally {
      await server.close();
    }
  });
});
