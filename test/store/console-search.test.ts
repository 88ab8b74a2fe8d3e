import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { UserSearch } from '../../src/store/repositories/user-search.js';
import { COUNT_CAP } from '../../src/store/search-terms.js';
import { createStore, type Store } from '../../src/store/store.js';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/databases.js';
import { fortitokenRow, userRow } from '../helpers/rows.js';

const now = 1_700_000_000_000;
const page: UserSearch = { sort: 'name', descending: false, offset: 0, limit: 50 };

for (const { engine, skip } of engines) {
  describe(`console user and token search [${engine}]`, { skip }, () => {
    let database: TestDatabase;
    let store: Store;
    before(async () => {
      database = await createTestDatabase(engine);
      store = await createStore(database.url);
      // 120 users u000..u119; every third has a token (provisioned, the 6th also locked);
      // every fifth uses e-mail codes; u007 is locked out; e-mails are mail-<n>@example.com.
      const tokens = [];
      const users = [];
      for (let i = 0; i < 120; i++) {
        const name = `u${String(i).padStart(3, '0')}`;
        const serial = `FTKMOB${String(i).padStart(10, '0')}`;
        const token = i % 3 === 0;
        if (token)
          tokens.push({
            ...fortitokenRow(serial, now),
            status: i % 6 === 0 ? 'lock' : 'active',
          } as const);
        users.push({
          ...userRow(name, now + i),
          email: `mail-${i}@example.com`,
          twoFactor: i % 5 === 0 ? ('email' as const) : ('fortitoken' as const),
          tokenSerial: token ? serial : null,
          ...(i === 7 ? { lockedAt: now, lockedUntil: null } : {}),
        });
      }
      await store.fortitokens.createMany(tokens);
      for (const user of users) await store.users.create(user);
    });
    after(async () => {
      await store?.close();
      await database?.drop();
    });

    it('pages through every user in name order, counting them', async () => {
      const first = await store.users.search(page, now);
      assert.equal(first.total, 120);
      assert.equal(first.totalCapped, false);
      assert.deepEqual(
        first.users.slice(0, 2).map((u) => u.name),
        ['u000', 'u001'],
      );
      const third = await store.users.search({ ...page, offset: 100 }, now);
      assert.deepEqual(
        third.users.map((u) => u.name),
        Array.from({ length: 20 }, (_, i) => `u${100 + i}`),
      );
      const backwards = await store.users.search({ ...page, descending: true, limit: 1 }, now);
      assert.equal(backwards.users[0]?.name, 'u119');
      assert.equal('passwordHash' in (first.users[0] ?? {}), false, 'no password hash');
    });

    it('finds by the start of the name or the e-mail, and nothing in the middle', async () => {
      const byName = await store.users.search({ ...page, text: 'u11' }, now);
      assert.deepEqual(
        byName.users.map((u) => u.name),
        ['u110', 'u111', 'u112', 'u113', 'u114', 'u115', 'u116', 'u117', 'u118', 'u119'],
      );
      const byMail = await store.users.search({ ...page, text: 'mail-42@' }, now);
      assert.deepEqual(
        byMail.users.map((u) => u.name),
        ['u042'],
      );
      assert.equal((await store.users.search({ ...page, text: '11' }, now)).total, 0);
      assert.equal((await store.users.search({ ...page, text: "u0'; --" }, now)).total, 0);
    });

    it('filters by two-factor, token state, lockout and a list of names', async () => {
      const email = await store.users.search({ ...page, twoFactor: 'email', limit: 100 }, now);
      assert.equal(email.total, 24);
      assert.ok(email.users.every((u) => u.twoFactor === 'email'));
      const none = await store.users.search({ ...page, tokenState: 'none' }, now);
      assert.equal(none.total, 80);
      const provisioned = await store.users.search({ ...page, tokenState: 'provisioned' }, now);
      assert.equal(provisioned.total, 40);
      assert.equal(provisioned.users[0]?.tokenState, 'provisioned');
      const locked = await store.users.search({ ...page, locked: true }, now);
      assert.deepEqual(
        locked.users.map((u) => u.name),
        ['u007'],
      );
      assert.equal((await store.users.search({ ...page, locked: false }, now)).total, 119);
      await store.users.update('u009', { enrolledBy: 'staff' });
      const group = { name: 'staff', members: ['u001', 'u005', 'nobody'] };
      const some = await store.users.search({ ...page, group }, now);
      assert.deepEqual(
        some.users.map((u) => u.name),
        ['u001', 'u005', 'u009'],
      );
      const empty = { name: 'empty', members: [] };
      assert.equal((await store.users.search({ ...page, group: empty }, now)).total, 0);
    });

    it('sorts by another column with the name breaking ties', async () => {
      const sorted = await store.users.search(
        { ...page, sort: 'createdAt', descending: true },
        now,
      );
      assert.equal(sorted.users[0]?.name, 'u119');
      const byMethod = await store.users.search({ ...page, sort: 'twoFactor', limit: 2 }, now);
      assert.deepEqual(
        byMethod.users.map((u) => [u.twoFactor, u.name]),
        [
          ['email', 'u000'],
          ['email', 'u005'],
        ],
      );
    });

    it('searches tokens by serial or holder, by state and lock status', async () => {
      const tokenPage = { sort: 'serial', descending: false, offset: 0, limit: 50 } as const;
      const all = await store.fortitokens.search(tokenPage);
      assert.equal(all.total, 40);
      assert.equal(all.tokens[0]?.user, 'u000');
      assert.equal('seedEnc' in (all.tokens[0] ?? {}), false, 'no sealed seed');
      const held = await store.fortitokens.search({ ...tokenPage, text: 'u009' });
      assert.deepEqual(
        held.tokens.map((t) => t.serial),
        ['FTKMOB0000000009'],
      );
      const locked = await store.fortitokens.search({ ...tokenPage, status: 'lock' });
      assert.equal(locked.total, 20);
      const byUser = await store.fortitokens.search({
        ...tokenPage,
        sort: 'user',
        descending: true,
      });
      assert.equal(byUser.tokens[0]?.user, 'u117');
    });

    it('pages, searches and counts the auth log; logins per hour; the most rejected', async () => {
      const hour = 3_600_000;
      const base = now - (now % hour);
      const entry = (
        at: number,
        username: string,
        result: 'accept' | 'reject',
        sourceIp: string,
      ) => ({
        at,
        username,
        sourceIp,
        frontEnd: 'radius' as const,
        client: 'vpn',
        method: 'fortitoken',
        result,
        reason: result === 'accept' ? 'ok' : 'wrong-code',
        latencyMs: 3,
        node: null,
      });
      await store.authLog.appendMany([
        entry(base + 1, 'u001', 'accept', '10.0.0.1'),
        entry(base + 2, 'u001', 'reject', '10.0.0.1'),
        entry(base + 3, 'u002', 'reject', '10.0.0.2'),
        entry(base + hour + 1, 'u002', 'reject', '10.0.0.2'),
        entry(base + hour + 2, 'u002', 'reject', '10.9.0.2'),
      ]);
      const since = base;
      assert.deepEqual(
        (await store.authLog.perHour(since, base + 2 * hour)).sort(
          (a, b) => a.hour - b.hour || a.result.localeCompare(b.result),
        ),
        [
          { hour: base, result: 'accept', count: 1 },
          { hour: base, result: 'reject', count: 2 },
          { hour: base + hour, result: 'reject', count: 2 },
        ],
      );
      assert.deepEqual(await store.authLog.topRejected('username', since, 5), [
        { key: 'u002', count: 3 },
        { key: 'u001', count: 1 },
      ]);
      assert.deepEqual((await store.authLog.topRejected('sourceIp', since, 1))[0], {
        key: '10.0.0.2',
        count: 2,
      });
      assert.equal(await store.authLog.count({ text: '10.0.' }), 4);
      assert.equal(await store.authLog.count({ text: 'u002', until: base + hour }), 1);
      const second = await store.authLog.list({ since, limit: 2, offset: 2 });
      assert.deepEqual(
        second.map((e) => e.at),
        [base + 3, base + 2],
      );
    });

    it(`counts up to ${COUNT_CAP} and then says there are more`, async () => {
      const many = Array.from({ length: COUNT_CAP }, (_, i) => userRow(`v${i}`, now));
      for (let i = 0; i < many.length; i += 500) {
        await store.transaction(async (tx) => {
          for (const user of many.slice(i, i + 500)) await tx.users.create(user);
        });
      }
      const broad = await store.users.search(page, now);
      assert.equal(broad.total, COUNT_CAP);
      assert.equal(broad.totalCapped, true);
      const narrow = await store.users.search({ ...page, text: 'v999' }, now);
      assert.deepEqual([narrow.total, narrow.totalCapped], [11, false]);
    });
  });
}
