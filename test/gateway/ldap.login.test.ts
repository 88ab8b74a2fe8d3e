import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/log/create-logger.js';
import { assertRejectsCode } from '../helpers/assert-code.js';
import { engines } from '../helpers/databases.js';
import {
  type GatewayHarness,
  startGatewayHarness,
  type TokenUser,
} from '../helpers/gateway-harness.js';
import { radclient, radclientComponent } from '../helpers/radclient.js';
import {
  freeTcpPort,
  PEOPLE_DN,
  SERVICE_DN,
  SERVICE_PASSWORD,
  slapdComponent,
  startSlapd,
  type TestDirectory,
} from '../helpers/slapd.js';

const SECRET = 'radius-secret-for-directory-users';
const PEOPLE = [
  { uid: 'dana', password: 'dana-directory-pw', mail: 'dana@example.com' },
  { uid: 'eve', password: 'eve-directory-pw' },
];

// Directory users: the password is checked by a bind as the user on a real slapd, the token
// stays local. Threats: a wrong or empty password taken (an empty one is an unauthenticated
// bind, which LDAP answers with success), a login hanging on a dead directory.
for (const { engine, skip } of engines) {
  describe(`directory users over RADIUS [${engine}]`, {
    skip: skip || slapdComponent.skip || radclientComponent.skip,
  }, () => {
    let g: GatewayHarness;
    let primary: TestDirectory;
    let secondary: TestDirectory;
    let dana: TokenUser;
    let port: number;
    /** Every line the node and its RADIUS listener log, down to debug. */
    const logged: string[] = [];
    const send = (username: string, password: string) =>
      radclient(port, SECRET, [
        `User-Name = "${username}"`,
        `User-Password = "${password}"`,
        'Message-Authenticator = 0x00',
      ]);
    const lastReason = async (username: string) =>
      (await g.store.authLog.list({ username, limit: 1 }))[0]?.reason;
    const freshCode = async (user: TokenUser) => {
      g.clock.advance(60_000);
      user.phoneClock.advance(60_000);
      return user.code();
    };

    before(async () => {
      // The same directory twice, on one port of two loopback addresses: server and secondary.
      const ldapPort = await freeTcpPort();
      primary = await startSlapd(PEOPLE, { host: '127.0.0.1', port: ldapPort });
      secondary = await startSlapd(PEOPLE, { host: '127.0.0.2', port: ldapPort });
      g = await startGatewayHarness(engine, {
        log: createLogger({ level: 'debug', destination: { write: (line) => logged.push(line) } }),
      });
      await g.gateway.saveLdapServer({
        name: 'corp',
        server: '127.0.0.1',
        secondaryServer: '127.0.0.2',
        port: ldapPort,
        cnid: 'uid',
        dn: PEOPLE_DN,
        timeoutSeconds: 2,
      });
      await g.gateway.saveLdapServer({
        name: 'corp-search',
        server: '127.0.0.1',
        port: ldapPort,
        cnid: 'uid',
        dn: PEOPLE_DN,
        type: 'regular',
        username: SERVICE_DN,
        password: SERVICE_PASSWORD,
      });
      dana = await g.tokenUser('dana', { ldapServer: 'corp', password: 'dana-directory-pw' });
      await g.gateway.addUser({ name: 'eve', ldapServer: 'corp-search', twoFactor: 'disable' });
      await g.gateway.saveRadiusClient({
        name: 'vpn',
        address: '127.0.0.1',
        secret: SECRET,
        otpMode: 'append',
      });
      ({ port } = await g.radius());
    });
    after(async () => {
      await g?.close();
      await primary?.close();
      await secondary?.close();
    });

    it('accepts the directory password with a fresh code, and refuses a wrong password', async () => {
      const code = await freshCode(dana);
      assert.equal((await send('dana', `dana-directory-pw${code}`)).type, 'Access-Accept');
      assert.equal(await lastReason('dana'), 'otp');
      const next = await freshCode(dana);
      assert.equal((await send('dana', `not-her-password${next}`)).type, 'Access-Reject');
      assert.equal(await lastReason('dana'), 'password-mismatch');
    });

    it('never takes an empty password (an unauthenticated bind, which LDAP answers with success)', async () => {
      const empty = await g.auth.login({
        username: 'eve',
        password: '',
        context: { frontEnd: 'http', sourceIp: '198.51.100.7' },
      });
      assert.equal(empty.result, 'reject');
      assert.equal(await lastReason('eve'), 'password-mismatch');
    });

    it('finds the user with the service account first (type regular)', async () => {
      assert.equal((await send('eve', 'eve-directory-pw')).type, 'Access-Accept');
      assert.equal(await lastReason('eve'), 'password');
      assert.equal((await send('eve', 'dana-directory-pw')).type, 'Access-Reject');
      assert.deepEqual(await g.gateway.testLdapServer('corp-search'), { host: '127.0.0.1' });
    });

    it('refuses a service account the directory refuses, with a coded reason', async () => {
      await g.gateway.saveLdapServer({
        name: 'corp-search',
        server: '127.0.0.1',
        port: primary.port,
        cnid: 'uid',
        dn: PEOPLE_DN,
        type: 'regular',
        username: SERVICE_DN,
        password: 'not-the-service-password',
      });
      await assertRejectsCode(
        g.gateway.testLdapServer('corp-search'),
        'TW_LDAP_SERVICE_BIND_FAILED',
      );
      assert.equal((await send('eve', 'eve-directory-pw')).type, 'Access-Reject');
      assert.equal(await lastReason('eve'), 'directory-unavailable:TW_LDAP_SERVICE_BIND_FAILED');
    });

    it('fails over to the secondary when the server is down, and answers at once when both are', async () => {
      await primary.stop();
      try {
        const code = await freshCode(dana);
        assert.equal((await send('dana', `dana-directory-pw${code}`)).type, 'Access-Accept');
        assert.deepEqual(await g.gateway.testLdapServer('corp'), { host: '127.0.0.2' });
        await secondary.stop();
        const later = await freshCode(dana);
        const refused = await send('dana', `dana-directory-pw${later}`);
        assert.equal(refused.type, 'Access-Reject');
        assert.equal(await lastReason('dana'), 'directory-unavailable:TW_DIRECTORY_UNAVAILABLE');
        await assertRejectsCode(g.gateway.testLdapServer('corp'), 'TW_DIRECTORY_UNAVAILABLE');

        await g.gateway.changeSettings([
          { path: 'user setting', name: 'directory-down', value: 'no-answer' },
        ]);
        const silent = await radclient(
          port,
          SECRET,
          [
            'User-Name = "dana"',
            `User-Password = "dana-directory-pw${await freshCode(dana)}"`,
            'Message-Authenticator = 0x00',
          ],
          { timeoutSeconds: 1, retries: 1 },
        );
        assert.equal(silent.type, undefined, 'no answer: the NAS fails over');
        assert.equal(await lastReason('dana'), 'directory-unavailable:TW_DIRECTORY_UNAVAILABLE');
      } finally {
        await g.gateway.changeSettings([
          { path: 'user setting', name: 'directory-down', value: 'reject' },
        ]);
        await primary.start();
        await secondary.start();
      }
    });

    it('refuses a directory user without a directory, and a local user without a password', async () => {
      await assertRejectsCode(
        g.gateway.addUser({ name: 'frank', ldapServer: 'nowhere', twoFactor: 'disable' }),
        'TW_STORE_NOT_FOUND',
      );
      await assertRejectsCode(
        g.gateway.addUser({ name: 'frank', twoFactor: 'disable' }),
        'TW_INPUT_INVALID',
      );
      await assertRejectsCode(g.gateway.removeLdapServer('corp'), 'TW_LDAP_SERVER_IN_USE');
    });

    // Last: by now the logins, the failover and the outage above have logged what they log.
    it('logs no directory password, service password or RADIUS secret', async () => {
      assert.equal((await send('dana', 'a-wrong-directory-pw')).type, 'Access-Reject');
      assert.ok(logged.length > 0, 'the node logged');
      const secrets = [...PEOPLE.map((person) => person.password), SERVICE_PASSWORD, SECRET];
      for (const line of logged) {
        for (const secret of secrets) assert.ok(!line.includes(secret), `a secret in: ${line}`);
      }
      assert.ok(!logged.some((line) => line.includes('a-wrong-directory-pw')));
    });
  });
}
