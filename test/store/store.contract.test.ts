import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isUserLocked } from '../../src/store/repositories/user-repository.js';
import { createStore, type Store } from '../../src/store/store.js';
import { assertRejectsCode } from '../helpers/assert-code.js';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/databases.js';
import { fortitokenRow, tokenRow, userRow } from '../helpers/rows.js';

const now = 1_700_000_000_000;

for (const { engine, skip } of engines) {
  describe(`store contract [${engine}]`, { skip }, () => {
    let database: TestDatabase;
    let store: Store;
    before(async () => {
      database = await createTestDatabase(engine);
      store = await createStore(database.url);
    });
    after(async () => {
      await store?.close();
      await database?.drop();
    });

    it('runs migrations on every open without harm', async () => {
      const again = await createStore(database.url);
      await again.close();
      assert.equal(store.engine, engine);
    });

    it('claims a cluster trial once, and refuses a duplicate cluster name', async () => {
      const cluster = await store.clusters.create('trial-once', now);
      assert.equal(await store.clusters.claimTrial(cluster.id, now), true);
      assert.equal(await store.clusters.claimTrial(cluster.id, now + 1), false);
      assert.equal((await store.clusters.findByName('trial-once'))?.trialClaimedAt, now);
      await assertRejectsCode(store.clusters.create('trial-once', now), 'TW_STORE_CONFLICT');
    });

    it('enrols gateways, registers a sealing key only once, removes them', async () => {
      const cluster = await store.clusters.create('gw', now);
      const gateway = {
        serial: 'FGT3HD3915801656',
        clusterId: cluster.id,
        secretHashEnc: 'v1.x.y',
        sealingKey: null,
        createdAt: now,
        lastSeenAt: null,
      };
      await store.gateways.enrol(gateway);
      await store.gateways.enrol({ ...gateway, serial: 'FGT3HD3915801685' });
      await assertRejectsCode(store.gateways.enrol(gateway), 'TW_STORE_CONFLICT');
      assert.equal(await store.gateways.registerSealingKey(gateway.serial, 'key-1'), true);
      assert.equal(await store.gateways.registerSealingKey(gateway.serial, 'key-2'), false);
      assert.equal((await store.gateways.find(gateway.serial))?.sealingKey, 'key-1');
      assert.deepEqual(
        (await store.gateways.listByCluster(cluster.id)).map((g) => g.serial),
        ['FGT3HD3915801656', 'FGT3HD3915801685'],
      );
      assert.equal(await store.gateways.remove('FGT3HD3915801685'), true);
      assert.equal(await store.gateways.remove('FGT3HD3915801685'), false);
    });

    it('redeems a licence pack for one cluster only, and moves it on request', async () => {
      const a = await store.clusters.create('lic-a', now);
      const b = await store.clusters.create('lic-b', now);
      await store.licences.create({
        name: 'TWPACK0000000001',
        kind: 'pack',
        tokenCount: 5,
        codeHash: 'hash-1',
        clusterId: null,
        transferPolicy: 'self-service',
        exportPolicy: 'forbidden',
        createdAt: now,
        redeemedAt: null,
      });
      assert.equal(await store.licences.redeem('hash-1', a.id, now), true);
      assert.equal(await store.licences.redeem('hash-1', b.id, now), false);
      assert.equal((await store.licences.findByCodeHash('hash-1'))?.clusterId, a.id);
      assert.equal(await store.licences.move('TWPACK0000000001', b.id, now), true);
      assert.deepEqual(
        (await store.licences.listByCluster(b.id)).map((l) => l.name),
        ['TWPACK0000000001'],
      );
    });

    it('stores 2,500 tokens and finds exactly the ones asked for, in the cluster only', async () => {
      const cluster = await store.clusters.create('tokens', now);
      await store.licences.create({
        name: 'TWPACK0000000002',
        kind: 'pack',
        tokenCount: 2500,
        codeHash: null,
        clusterId: cluster.id,
        transferPolicy: 'self-service',
        exportPolicy: 'forbidden',
        createdAt: now,
        redeemedAt: now,
      });
      const tokens = Array.from({ length: 2500 }, (_, i) =>
        tokenRow(`TWMOB${i.toString(16).toUpperCase().padStart(11, '0')}`, 'TWPACK0000000002', now),
      );
      await store.tokens.createMany(tokens);
      const asked = tokens.filter((_, i) => i % 2 === 0).map((t) => t.serial);
      const found = await store.tokens.findManyInCluster(
        [...asked, 'TWMOBFFFFFFFFFFF'],
        cluster.id,
      );
      assert.deepEqual(found.map((t) => t.serial).sort(), asked.sort());
      assert.equal(typeof found[0]?.updatedAt, 'number', 'BIGINT comes back as a number');
      assert.equal((await store.tokens.findManyInCluster(asked, 'another-cluster')).length, 0);
      assert.equal((await store.tokens.list({ clusterId: cluster.id, state: 'new' })).length, 2500);
      assert.deepEqual(
        await store.tokens.existing(['TWMOB00000000001', 'TWMOBFFFFFFFFFFF']),
        new Set(['TWMOB00000000001']),
      );
    });

    it('changes a token only from the state it was read in, bumping the seed version', async () => {
      const serial = 'TWMOB00000000003';
      const patch = {
        state: 'provisioning' as const,
        activationExpiresAt: now + 1000,
        updatedAt: now,
      };
      const changed = await store.tokens.transition(serial, 'new', patch, true);
      assert.deepEqual([changed?.state, changed?.seedVersion], ['provisioning', 1]);
      assert.equal(await store.tokens.transition(serial, 'new', patch, true), undefined);
      await store.tokens.expireActivations([serial], now + 999);
      assert.equal((await store.tokens.find(serial))?.state, 'provisioning');
      await store.tokens.expireActivations([serial], now + 1000);
      assert.equal((await store.tokens.find(serial))?.state, 'provision timeout');
    });

    it("supersedes a token's open code when a new one is issued, and claims a code once", async () => {
      const serial = 'TWMOB00000000000';
      await store.transaction(async (tx) => {
        await tx.activationCodes.issue(code('old', serial, now));
        await tx.activationCodes.issue(code('new', serial, now + 1000));
      });
      assert.equal((await store.activationCodes.find('old'))?.endReason, 'superseded');
      assert.equal(await store.activationCodes.claim('old', 'reg-a', now + 2000), false);
      assert.equal(await store.activationCodes.claim('new', 'reg-a', now + 2000), true);
      assert.equal(await store.activationCodes.claim('new', 'reg-b', now + 2000), false);
      const used = await store.activationCodes.find('new');
      assert.deepEqual([used?.usedByRegId, used?.usedAt], ['reg-a', now + 2000]);
    });

    it('refuses to claim an expired or revoked code', async () => {
      const serial = 'TWMOB00000000001';
      await store.activationCodes.issue(code('expiring', serial, now));
      assert.equal(
        await store.activationCodes.claim('expiring', 'reg-a', now + 73 * 3600_000),
        false,
      );
      await store.activationCodes.issue(code('revoked', serial, now));
      await store.activationCodes.revokeOpen(serial, now + 1);
      assert.equal((await store.activationCodes.find('revoked'))?.endReason, 'revoked');
      assert.equal(await store.activationCodes.claim('revoked', 'reg-a', now + 2), false);
    });

    it('keeps a device identity and refreshes its os-ver', async () => {
      const device = {
        regId: 'fa0678e8',
        identityKey: 'id',
        sealingKey: 's1',
        osVer: '1.0.0_CLI',
        createdAt: now,
        lastSeenAt: now,
      };
      await store.devices.upsert(device);
      await store.devices.upsert({
        ...device,
        identityKey: 'other',
        osVer: '1.1.0_CLI',
        lastSeenAt: now + 1,
      });
      const stored = await store.devices.find('fa0678e8');
      assert.deepEqual(
        [stored?.identityKey, stored?.osVer, stored?.createdAt],
        ['id', '1.1.0_CLI', now],
      );
    });

    it('answers a push once, before it expires, and expires the rest', async () => {
      const push = {
        id: 'push-1',
        tokenSerial: 'TWMOB00000000002',
        gatewaySerial: 'FGT3HD3915801656',
        sessionId: 's',
        context: '{}',
        number: 42,
        status: 'pending' as const,
        createdAt: now,
        expiresAt: now + 60_000,
        answeredAt: null,
        tokenCode: null,
        hmac: null,
      };
      await store.pushes.create(push);
      await store.pushes.create({ ...push, id: 'push-2' });
      assert.deepEqual(
        (await store.pushes.listPending(['TWMOB00000000002'], now)).map((p) => p.id).sort(),
        ['push-1', 'push-2'],
      );
      const answer = { status: 'approved' as const, tokenCode: '123456', hmac: 'h' };
      assert.equal(await store.pushes.answer('push-1', answer, now + 1), true);
      assert.equal(
        await store.pushes.answer('push-1', { ...answer, status: 'denied' }, now + 2),
        false,
      );
      assert.equal(await store.pushes.answer('push-2', answer, now + 60_000), false);
      assert.equal(await store.pushes.expire(now + 60_000), 1);
      assert.equal((await store.pushes.find('push-2'))?.status, 'expired');
      assert.equal((await store.pushes.find('push-1'))?.status, 'approved');
    });

    it('locks a user at the failure threshold, for the lockout duration or until unlocked', async () => {
      await store.users.create(userRow('alice', now));
      const policy = { threshold: 3, durationSeconds: 300 };
      assert.deepEqual(await store.users.recordFailure('alice', policy, now), {
        failCount: 1,
        locked: false,
        lockedUntil: null,
      });
      await store.users.recordFailure('alice', policy, now);
      const third = await store.users.recordFailure('alice', policy, now);
      assert.deepEqual(third, { failCount: 0, locked: true, lockedUntil: now + 300_000 });
      const alice = await store.users.find('alice');
      assert.ok(alice !== undefined && isUserLocked(alice, now + 299_000));
      assert.equal(isUserLocked(alice, now + 300_000), false);

      await store.users.create(userRow('bob', now));
      const forever = { threshold: 1, durationSeconds: 0 };
      assert.deepEqual(await store.users.recordFailure('bob', forever, now), {
        failCount: 0,
        locked: true,
        lockedUntil: null,
      });
      const bob = await store.users.find('bob');
      assert.ok(bob !== undefined && isUserLocked(bob, now + 10 * 365 * 86_400_000));
      assert.equal(await store.users.unlock('bob', now), true);
      const unlocked = await store.users.find('bob');
      assert.ok(unlocked !== undefined && !isUserLocked(unlocked, now));
      assert.equal(await store.users.recordFailure('nobody', policy, now), undefined);
    });

    it('counts concurrent failures exactly', async () => {
      await store.users.create(userRow('carol', now));
      const policy = { threshold: 1000, durationSeconds: 60 };
      await Promise.all(
        Array.from({ length: 25 }, () => store.users.recordFailure('carol', policy, now)),
      );
      assert.equal((await store.users.find('carol'))?.failCount, 25);
    });

    it('accepts each OTP step once and only moving forward', async () => {
      await store.fortitokens.createMany([fortitokenRow('FTKMOB83712DC7FE', now)]);
      assert.equal(await store.fortitokens.advanceStep('FTKMOB83712DC7FE', 100, 0, now), true);
      assert.equal(await store.fortitokens.advanceStep('FTKMOB83712DC7FE', 100, 0, now), false);
      assert.equal(await store.fortitokens.advanceStep('FTKMOB83712DC7FE', 99, 0, now), false);
      assert.equal(await store.fortitokens.advanceStep('FTKMOB83712DC7FE', 102, 2, now), true);
      const token = await store.fortitokens.find('FTKMOB83712DC7FE');
      assert.deepEqual([token?.lastStep, token?.drift], [102, 2]);
      assert.deepEqual(
        (await store.fortitokens.list({ state: 'provisioned' })).map((t) => t.serial),
        ['FTKMOB83712DC7FE'],
      );
    });

    it('walks the tokens one page at a time in serial order, by state', async () => {
      const serials = Array.from({ length: 7 }, (_, i) => `FTKMOBPAGE00000${i}`);
      await store.fortitokens.createMany(
        serials.map((serial, i) => ({
          ...fortitokenRow(serial, now),
          state: i % 2 === 0 ? ('provisioning' as const) : ('provisioned' as const),
        })),
      );
      const walk = async (state?: 'provisioning') => {
        const seen: string[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await store.fortitokens.listPage({
            ...(state === undefined ? {} : { state }),
            ...(after === undefined ? {} : { after }),
            limit: 2,
          });
          seen.push(...page.map((t) => t.serial).filter((s) => s.startsWith('FTKMOBPAGE')));
          if (page.length < 2) return seen;
          after = page.at(-1)?.serial;
        }
      };
      assert.deepEqual(await walk(), serials);
      assert.deepEqual(
        await walk('provisioning'),
        serials.filter((_, i) => i % 2 === 0),
      );
    });

    it('keeps LDAP servers, replaces one by name, and counts the users it checks', async () => {
      const server = {
        name: 'corp',
        server: 'dc1.example.com',
        secondaryServer: null,
        tertiaryServer: null,
        port: 389,
        secure: 'disable' as const,
        caCert: null,
        cnid: 'uid',
        dn: 'ou=people,dc=example,dc=com',
        type: 'simple' as const,
        username: null,
        passwordEnc: null,
        groupMemberCheck: 'user-attr' as const,
        memberAttr: 'memberOf',
        emailAttr: 'mail',
        phoneAttr: 'mobile',
        timeoutSeconds: 5,
        updatedAt: now,
      };
      assert.equal(await store.ldapServers.save(server), false);
      assert.equal(await store.ldapServers.save({ ...server, port: 636, secure: 'ldaps' }), true);
      assert.deepEqual(await store.ldapServers.find('corp'), {
        ...server,
        port: 636,
        secure: 'ldaps',
      });
      await store.users.create({ ...userRow('ldap-user', now), ldapServer: 'corp' });
      assert.equal(await store.ldapServers.userCount('corp'), 1);
      assert.deepEqual(
        (await store.ldapServers.list()).map((s) => s.name),
        ['corp'],
      );
      await store.users.remove('ldap-user');
      assert.equal(await store.ldapServers.remove('corp'), true);
      assert.equal(await store.ldapServers.find('corp'), undefined);
    });

    it('takes no step for a token locked since the login read it', async () => {
      await store.fortitokens.createMany([fortitokenRow('FTKMOB83712DC7F1', now)]);
      await store.fortitokens.update('FTKMOB83712DC7F1', { status: 'lock' });
      assert.equal(await store.fortitokens.advanceStep('FTKMOB83712DC7F1', 100, 0, now), false);
    });

    it('reads a user with their token in one query, and a user without one', async () => {
      await store.fortitokens.createMany([fortitokenRow('FTKMOB83712DC7F2', now)]);
      await store.users.create({ ...userRow('frank', now), tokenSerial: 'FTKMOB83712DC7F2' });
      await store.users.create({ ...userRow('erin', now), twoFactor: 'disable' });
      const frank = await store.users.findWithToken('frank');
      assert.deepEqual(frank?.user, await store.users.find('frank'));
      assert.deepEqual(frank?.token, await store.fortitokens.find('FTKMOB83712DC7F2'));
      const erin = await store.users.findWithToken('erin');
      assert.deepEqual(erin, { user: await store.users.find('erin'), token: undefined });
      assert.equal(await store.users.findWithToken('nobody'), undefined);
    });

    it('writes a batch of auth log entries of any size, each once', async () => {
      const entry = (i: number) => ({
        at: now + i,
        username: `batch-${i}`,
        sourceIp: null,
        frontEnd: 'radius' as const,
        client: null,
        method: 'fortitoken',
        result: 'accept' as const,
        reason: 'otp',
        latencyMs: 1,
        node: null,
      });
      await store.authLog.appendMany(Array.from({ length: 83 }, (_, i) => entry(i)));
      const written = await store.authLog.list({ since: now, limit: 200 });
      const names = written.map((e) => e.username).filter((name) => name.startsWith('batch-'));
      assert.equal(new Set(names).size, 83);
      assert.equal(names.length, 83);
    });

    it('keeps RADIUS clients, settings and the audit log', async () => {
      await store.radiusClients.add({
        name: 'vpn',
        address: '127.0.0.1/32',
        secretEnc: 'v1.a.b',
        messageAuthenticator: 'require',
        otpMode: 'both',
        createdAt: now,
        allowedGroups: null,
      });
      await assertRejectsCode(
        store.radiusClients.add({
          name: 'vpn',
          address: '10.0.0.1',
          secretEnc: 'v1.a.b',
          messageAuthenticator: 'require',
          otpMode: 'both',
          createdAt: now,
          allowedGroups: null,
        }),
        'TW_STORE_CONFLICT',
      );
      assert.deepEqual(
        (await store.radiusClients.list()).map((c) => c.name),
        ['vpn'],
      );

      await store.settings.set('user.setting.auth-lockout-threshold', 3, now);
      await store.settings.set('user.setting.auth-lockout-threshold', 5, now + 1);
      assert.equal(await store.settings.get('user.setting.auth-lockout-threshold'), 5);
      assert.equal(await store.settings.get('missing'), undefined);

      await store.auditLog.append({
        at: now,
        actor: 'admin',
        action: 'user.add',
        subject: 'alice',
        outcome: 'success',
      });
      await store.auditLog.append({
        at: now + 1,
        actor: 'alice',
        action: 'auth',
        outcome: 'failure',
        detail: { reason: 'otp-mismatch' },
      });
      const entries = await store.auditLog.list({ limit: 10 });
      assert.deepEqual(
        entries.map((e) => e.action),
        ['auth', 'user.add'],
      );
      assert.deepEqual(entries[0]?.detail, { reason: 'otp-mismatch' });
      assert.equal((await store.auditLog.list({ outcome: 'success' })).length, 1);
    });

    it('rolls back every change of a failed transaction', async () => {
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.users.create(userRow('dave', now));
          await tx.users.create(userRow('dave', now));
        }),
      );
      assert.equal(await store.users.find('dave'), undefined);
    });
  });
}

function code(codeHash: string, tokenSerial: string, issuedAt: number) {
  return {
    codeHash,
    tokenSerial,
    kind: 'activation' as const,
    issuedAt,
    expiresAt: issuedAt + 72 * 3600_000,
  };
}
