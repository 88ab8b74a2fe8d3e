import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type GatewayHarness,
  startGatewayHarness,
  type TokenUser,
} from '../helpers/gateway-harness.js';
import { radclient, radclientComponent } from '../helpers/radclient.js';

// A RADIUS client in `otp-mode token`: the NAS checked the password itself and sends the code
// alone. Threat: such a client must never take a password for a code, nor let anyone in without
// a fresh code of their own token.
const SECRET = 'radius-shared-secret-token-only';

describe('RADIUS: token-only clients (otp-mode token)', { skip: radclientComponent.skip }, () => {
  let g: GatewayHarness;
  let alice: TokenUser;
  let port: number;
  const send = (username: string, password: string) =>
    radclient(port, SECRET, [
      `User-Name = "${username}"`,
      `User-Password = "${password}"`,
      'Message-Authenticator = 0x00',
    ]);
  const lastReason = async (username: string) =>
    (await g.store.authLog.list({ username, limit: 1 }))[0]?.reason;

  before(async () => {
    g = await startGatewayHarness('sqlite');
    alice = await g.tokenUser('alice');
    await g.gateway.addUser({ name: 'carol', password: 'battery-staple-9', twoFactor: 'disable' });
    await g.gateway.saveRadiusClient({
      name: 'vpn',
      address: '127.0.0.1',
      secret: SECRET,
      otpMode: 'token',
    });
    ({ port } = await g.radius());
  });
  after(async () => {
    await g?.close();
  });

  it('accepts a fresh code alone, once', async () => {
    g.clock.advance(60_000);
    alice.phoneClock.advance(60_000);
    const code = await alice.code();
    assert.equal((await send('alice', code)).type, 'Access-Accept');
    const [entry] = await g.store.authLog.list({ username: 'alice', limit: 1 });
    assert.deepEqual([entry?.method, entry?.reason], ['fortitoken', 'otp']);
    assert.equal((await send('alice', code)).type, 'Access-Reject', 'the replay');
    assert.equal(await lastReason('alice'), 'otp-replay');
  });

  it('refuses the password, the password with a code, and another user with her code', async () => {
    g.clock.advance(60_000);
    alice.phoneClock.advance(60_000);
    assert.equal((await send('alice', alice.password)).type, 'Access-Reject');
    assert.equal(await lastReason('alice'), 'otp-malformed');
    assert.equal(
      (await send('alice', `${alice.password}${await alice.code()}`)).type,
      'Access-Reject',
    );
    assert.equal((await send('carol', await alice.code())).type, 'Access-Reject');
    assert.equal(await lastReason('carol'), 'token-only-unsupported');
    await g.gateway.unlockUser('alice');
    assert.equal((await send('alice', await alice.code())).type, 'Access-Accept');
  });
});
