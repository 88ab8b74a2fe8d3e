import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { createMobileToken } from '../../src/mobile/mobile-token.js';
import { assertRejectsCode } from '../helpers/assert-code.js';
import { engines } from '../helpers/databases.js';
import { type GatewayHarness, startGatewayHarness } from '../helpers/gateway-harness.js';
import { testClock } from '../helpers/provisioner-harness.js';
import {
  type DirectoryPerson,
  GROUPS_DN,
  PEOPLE_DN,
  slapdComponent,
  startSlapd,
  type TestDirectory,
} from '../helpers/slapd.js';

const MEMBERS = 500;
const VPN_DN = `cn=vpn-all,${GROUPS_DN}`;
const uid = (n: number) => `u${String(n).padStart(3, '0')}`;
const HOUR = 3_600_000;
const recipients = (mail: ParsedMail) =>
  (Array.isArray(mail.to) ? mail.to : mail.to === undefined ? [] : [mail.to]).map((a) => a.text);

/** LDIF that takes members out of the vpn-all group. */
const leaveGroup = (uids: readonly string[]) =>
  [
    `dn: ${VPN_DN}`,
    'changetype: modify',
    'delete: member',
    ...uids.map((u) => `member: uid=${u},${PEOPLE_DN}`),
    '',
  ].join('\n');

// Group-driven enrolment: an auto-enrol group gives each of its 500 directory members a token
// and the activation e-mail; members who leave or are disabled lose it after the grace period.
// Threat: a broken group or filter emptying the gateway (the removal limit), and a directory
// that cannot be read taken for an empty one.
for (const { engine, skip } of engines) {
  describe(`directory sync of an auto-enrol group [${engine}]`, {
    skip: skip || slapdComponent.skip,
  }, () => {
    let g: GatewayHarness;
    let directory: TestDirectory;
    let licence: string;
    let phones: string;
    // The gateway and the provisioner move together (their requests are checked for skew).
    const advance = (ms: number) => {
      g.clock.advance(ms);
      g.provisioner.clock.advance(ms);
    };
    const enrolled = async () =>
      (await g.store.users.list()).filter((user) => user.enrolledBy === 'vpn');

    before(async () => {
      const people: DirectoryPerson[] = [
        ...Array.from({ length: MEMBERS }, (_, n) => ({
          uid: uid(n),
          password: `pw-${uid(n)}`,
          mail: `${uid(n)}@example.com`,
        })),
        { uid: 'ghost', password: 'pw-ghost', mail: 'ghost@example.com', disabled: true },
        { uid: 'nomail', password: 'pw-nomail' },
        { uid: 'texted', password: 'pw-texted', mobile: '+15550100' },
      ];
      phones = await mkdtemp(join(tmpdir(), 'tokenward-sync-phones-'));
      directory = await startSlapd(people, {
        groups: [{ cn: 'vpn-all', members: people.map((p) => p.uid) }],
      });
      g = await startGatewayHarness(engine);
      const pack = await g.provisioner.provisioner.admin.createLicence(
        { tokens: MEMBERS + 10 },
        g.provisioner.clock.now,
      );
      ({ licence } = await g.gateway.importLicence(pack.code));
      await g.gateway.saveLdapServer({
        name: 'corp',
        server: '127.0.0.1',
        port: directory.port,
        cnid: 'uid',
        dn: PEOPLE_DN,
      });
      await g.gateway.saveUserGroup({
        name: 'vpn',
        matches: [{ server: 'corp', group: VPN_DN }],
        autoEnrol: true,
        licence,
        radiusAttributes: ['Filter-Id=vpn'],
      });
    });
    after(async () => {
      await g?.close();
      await directory?.close();
      if (phones !== undefined) await rm(phones, { recursive: true, force: true });
    });

    it('gives every enabled member a token of the licence and the activation e-mail', async () => {
      const report = await g.gateway.syncDirectory();
      assert.equal(report.added.length, MEMBERS + 1, 'the 500, and the member with a mobile only');
      assert.deepEqual(
        report.failed.map((f) => [f.subject, f.code]),
        [['nomail', 'TW_DELIVERY_ADDRESS_MISSING']],
      );
      assert.ok(!report.added.includes('ghost'), 'a disabled member is not enrolled');
      const users = await enrolled();
      assert.equal(users.length, MEMBERS + 1);
      const tokens = await g.store.fortitokens.list({ licence });
      const held = new Set(users.map((user) => user.tokenSerial));
      assert.equal(tokens.filter((t) => held.has(t.serial)).length, MEMBERS + 1);
      assert.ok(tokens.filter((t) => held.has(t.serial)).every((t) => t.state === 'provisioning'));
      const mailedTo = new Set(g.smtp.received.flatMap(recipients));
      for (let n = 0; n < MEMBERS; n++) assert.ok(mailedTo.has(`${uid(n)}@example.com`), uid(n));
      assert.equal(g.smtp.received.length, MEMBERS);
      assert.equal(g.sms.received.length, 1, 'the member with a mobile only got an SMS');
      const user = users.find((u) => u.name === uid(42));
      assert.equal(user?.ldapServer, 'corp');
      assert.equal(user?.passwordHash, '', 'no local password: the directory checks it');
    });

    it('is idempotent: a second sync adds nothing and sends nothing', async () => {
      const mails = g.smtp.received.length;
      const report = await g.gateway.syncDirectory();
      assert.deepEqual(
        [report.added.length, report.kept, report.leaving.length, report.removed.length],
        [0, MEMBERS + 1, 0, 0],
      );
      assert.equal(g.smtp.received.length, mails);
    });

    it('an enrolled member activates the mailed token and logs in with the group attributes', async () => {
      const name = uid(7);
      const mail = g.smtp.received.find((m) => recipients(m).includes(`${name}@example.com`));
      const code = /^ {4}([A-Z2-7]{16})$/m.exec(mail?.text ?? '')?.[1] ?? '';
      const phoneClock = testClock(true);
      const phone = createMobileToken({
        dir: join(phones, name),
        version: '1.0.0',
        clock: () => phoneClock.now,
      });
      await phone.activate({ code, server: g.provisioner.url });
      await g.gateway.poll();
      const user = await g.store.users.find(name);
      const outcome = await g.auth.login({
        username: name,
        password: `pw-${name}`,
        code: (await phone.code(user?.tokenSerial ?? '')).code,
        context: { frontEnd: 'http', sourceIp: '203.0.113.9' },
      });
      assert.equal(outcome.result, 'accept', JSON.stringify(outcome));
      assert.deepEqual(outcome.result === 'accept' ? outcome.groups : [], ['vpn']);
    });

    it('revokes the token of a member who left, after the grace period, and returns the seat', async () => {
      const name = uid(7);
      const serial = (await g.store.users.find(name))?.tokenSerial ?? '';
      await directory.modify(leaveGroup([name]));
      const first = await g.gateway.syncDirectory();
      assert.deepEqual(first.leaving, [name]);
      assert.deepEqual(first.removed, []);
      assert.ok((await g.store.users.find(name))?.directoryGoneAt, 'the grace period began');
      assert.equal(
        (await g.store.fortitokens.find(serial))?.state,
        'provisioned',
        'kept meanwhile',
      );

      advance(23 * HOUR);
      assert.deepEqual((await g.gateway.syncDirectory()).removed, [], 'within the 24 h grace');
      advance(2 * HOUR);
      const late = await g.gateway.syncDirectory();
      assert.deepEqual(late.removed, [name]);
      assert.equal(await g.store.users.find(name), undefined);
      const token = await g.store.fortitokens.find(serial);
      assert.equal(token?.state, 'new', 'revoked at the provisioner: the phone stops working');
      assert.equal(token?.regId, null);
      assert.equal(await g.store.users.findByToken(serial), undefined, 'the seat is free again');
      const removal = await g.store.auditLog.list({ action: 'user.delete', subject: name });
      assert.equal(removal[0]?.actor, 'admin');
      assert.ok((await g.store.auditLog.list({ action: 'directory.sync' })).length >= 4);
    });

    it('treats a member disabled in the directory (userAccountControl bit 2) as gone', async () => {
      const name = uid(8);
      await directory.modify(
        [
          `dn: uid=${name},${PEOPLE_DN}`,
          'changetype: modify',
          'replace: userAccountControl',
          'userAccountControl: 514',
          '',
        ].join('\n'),
      );
      const report = await g.gateway.syncDirectory();
      assert.deepEqual(report.leaving, [name]);
    });

    it('removes nobody when the directory cannot be read', async () => {
      await directory.stop();
      try {
        const report = await g.gateway.syncDirectory();
        assert.deepEqual(
          report.failed.map((f) => [f.subject, f.code]),
          [[`corp:${VPN_DN}`, 'TW_DIRECTORY_UNAVAILABLE']],
        );
        assert.deepEqual([report.leaving, report.removed], [[], []]);
      } finally {
        await directory.start();
      }
      advance(6 * 60_000); // past the LDAP host's back-off
    });

    it('stops and asks when more enrolled users are gone than directory-removal-limit allows', async () => {
      const leavers = Array.from({ length: 100 }, (_, n) => uid(100 + n));
      await directory.modify(leaveGroup(leavers));
      const held = await g.gateway.syncDirectory();
      assert.deepEqual(held.held, { gone: 100, enrolled: MEMBERS, limitPercent: 10 });
      assert.deepEqual([held.leaving, held.removed], [[], []]);
      const marked = (await enrolled()).filter((user) => user.directoryGoneAt !== null);
      assert.deepEqual(
        marked.map((u) => u.name),
        [uid(8)],
        'nobody new was marked',
      );

      const confirmed = await g.gateway.syncDirectory({ confirmRemovals: true });
      assert.equal(confirmed.held, undefined);
      assert.deepEqual(confirmed.leaving, leavers);
    });

    it('refuses an auto-enrol group without a directory group to enrol from', async () => {
      await assertRejectsCode(
        g.gateway.saveUserGroup({ name: 'broken', members: ['u001'], autoEnrol: true }),
        'TW_INPUT_INVALID',
      );
    });
  });
}
