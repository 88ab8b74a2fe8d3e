import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertRejectsCode } from '../helpers/assert-code.js';
import { engines } from '../helpers/databases.js';
import {
  type GatewayHarness,
  startGatewayHarness,
  type TokenUser,
} from '../helpers/gateway-harness.js';
import { radclient, radclientComponent, unquoted } from '../helpers/radclient.js';
import {
  GROUPS_DN,
  PEOPLE_DN,
  slapdComponent,
  startSlapd,
  type TestDirectory,
} from '../helpers/slapd.js';

const SECRET = 'radius-secret-for-group-replies';
const STAFF_DN = `cn=vpn-staff,${GROUPS_DN}`;

// User groups: members by name or by a directory group, and what their Access-Accept carries
// (Filter-Id, Fortinet-Group-Name), also the Accept that ends a challenge, where NPS loses
// them. Threat: a user outside the directory group given the group's network access.
for (const { engine, skip } of engines) {
  describe(`user groups and their RADIUS replies [${engine}]`, {
    skip: skip || slapdComponent.skip || radclientComponent.skip,
  }, () => {
    let g: GatewayHarness;
    let directory: TestDirectory;
    let dana: TokenUser;
    let eve: TokenUser;
    let port: number;
    const send = (attributes: string[]) =>
      radclient(port, SECRET, [...attributes, 'Message-Authenticator = 0x00']);
    // A new step for everyone: the gateway's clock and every phone's move together.
    const freshCode = async (user: TokenUser) => {
      g.clock.advance(60_000);
      for (const phone of [dana, eve]) phone.phoneClock.advance(60_000);
      return user.code();
    };

    before(async () => {
      directory = await startSlapd(
        [
          { uid: 'dana', password: 'dana-directory-pw' },
          { uid: 'eve', password: 'eve-directory-pw' },
        ],
        { groups: [{ cn: 'vpn-staff', members: ['dana'] }] },
      );
      g = await startGatewayHarness(engine);
      await g.gateway.saveLdapServer({
        name: 'corp',
        server: '127.0.0.1',
        port: directory.port,
        cnid: 'uid',
        dn: PEOPLE_DN,
        groupMemberCheck: 'group-object',
        memberAttr: 'member',
      });
      dana = await g.tokenUser('dana', { ldapServer: 'corp', password: 'dana-directory-pw' });
      eve = await g.tokenUser('eve', { ldapServer: 'corp', password: 'eve-directory-pw' });
      await g.gateway.addUser({
        name: 'carol',
        password: 'battery-staple-9',
        twoFactor: 'disable',
      });
      await g.gateway.saveUserGroup({
        name: 'staff',
        matches: [{ server: 'corp', group: STAFF_DN.toUpperCase() }],
        radiusAttributes: ['Filter-Id=vpn-staff', 'Fortinet-Group-Name=staff'],
      });
      await g.gateway.saveUserGroup({
        name: 'helpdesk',
        members: ['carol'],
        radiusAttributes: ['Filter-Id=helpdesk'],
      });
      await g.gateway.saveRadiusClient({ name: 'vpn', address: '127.0.0.1', secret: SECRET });
      ({ port } = await g.radius());
    });
    after(async () => {
      await g?.close();
      await directory?.close();
    });

    it("puts the directory group's attributes in the Accept, in append mode", async () => {
      const code = await freshCode(dana);
      const accepted = await send([
        'User-Name = "dana"',
        `User-Password = "dana-directory-pw${code}"`,
      ]);
      assert.equal(accepted.type, 'Access-Accept');
      assert.equal(unquoted(accepted.attributes.get('Filter-Id')), 'vpn-staff');
      assert.equal(unquoted(accepted.attributes.get('Fortinet-Group-Name')), 'staff');
    });

    it('and in the Accept that ends a challenge', async () => {
      const challenge = await send(['User-Name = "dana"', 'User-Password = "dana-directory-pw"']);
      assert.equal(challenge.type, 'Access-Challenge');
      const accepted = await send([
        'User-Name = "dana"',
        `User-Password = "${await freshCode(dana)}"`,
        `State = ${challenge.attributes.get('State') ?? ''}`,
      ]);
      assert.equal(accepted.type, 'Access-Accept');
      assert.equal(unquoted(accepted.attributes.get('Fortinet-Group-Name')), 'staff');
    });

    it('gives a user outside the directory group none of it, and a local member its own', async () => {
      const code = await freshCode(eve);
      const outside = await send([
        'User-Name = "eve"',
        `User-Password = "eve-directory-pw${code}"`,
      ]);
      assert.equal(outside.type, 'Access-Accept');
      assert.equal(outside.attributes.get('Filter-Id'), undefined);
      assert.equal(outside.attributes.get('Fortinet-Group-Name'), undefined);
      const local = await send(['User-Name = "carol"', 'User-Password = "battery-staple-9"']);
      assert.equal(unquoted(local.attributes.get('Filter-Id')), 'helpdesk');
    });

    it("admits through a RADIUS client with allowed-groups only that group's members", async () => {
      await g.gateway.saveRadiusClient({
        name: 'vpn',
        address: '127.0.0.1',
        secret: SECRET,
        allowedGroups: ['staff'],
      });
      try {
        const outside = await send([
          'User-Name = "eve"',
          `User-Password = "eve-directory-pw${await freshCode(eve)}"`,
        ]);
        assert.equal(outside.type, 'Access-Reject');
        const [entry] = await g.store.authLog.list({ username: 'eve', limit: 1 });
        assert.equal(entry?.reason, 'group-not-allowed');
        const inside = await send([
          'User-Name = "dana"',
          `User-Password = "dana-directory-pw${await freshCode(dana)}"`,
        ]);
        assert.equal(inside.type, 'Access-Accept');
      } finally {
        await g.gateway.saveRadiusClient({ name: 'vpn', address: '127.0.0.1', secret: SECRET });
      }
    });

    it('lets a break-glass group (two-factor disable) in with the password alone, logged', async () => {
      await g.gateway.saveUserGroup({
        name: 'break-glass',
        members: ['eve'],
        twoFactor: 'disable',
      });
      try {
        const waived = await send(['User-Name = "eve"', 'User-Password = "eve-directory-pw"']);
        assert.equal(waived.type, 'Access-Accept');
        const [entry] = await g.store.authLog.list({ username: 'eve', limit: 1 });
        assert.equal(entry?.reason, 'two-factor-waived');
        const member = await send(['User-Name = "dana"', 'User-Password = "dana-directory-pw"']);
        assert.equal(member.type, 'Access-Challenge', 'other groups still need the code');
        const wrong = await send(['User-Name = "eve"', 'User-Password = "not-eve-pw"']);
        assert.equal(wrong.type, 'Access-Reject', 'the first factor is still checked');
      } finally {
        await g.gateway.removeUserGroup('break-glass');
      }
      const again = await send(['User-Name = "eve"', 'User-Password = "eve-directory-pw"']);
      assert.equal(again.type, 'Access-Challenge', 'out of the group, the token is needed again');
    });

    it('refuses an attribute it does not know, a member or server that does not exist', async () => {
      await assertRejectsCode(
        g.gateway.saveUserGroup({ name: 'x', radiusAttributes: ['Tunnel-Nonsense=1'] }),
        'TW_INPUT_INVALID',
      );
      await assertRejectsCode(
        g.gateway.saveUserGroup({ name: 'x', members: ['nobody'] }),
        'TW_STORE_NOT_FOUND',
      );
      await assertRejectsCode(
        g.gateway.saveUserGroup({ name: 'x', matches: [{ server: 'nowhere', group: STAFF_DN }] }),
        'TW_STORE_NOT_FOUND',
      );
      assert.deepEqual(
        (await g.gateway.listUserGroups()).map((group) => group.name),
        ['helpdesk', 'staff'],
      );
    });
  });
}
