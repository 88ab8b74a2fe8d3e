import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engines } from '../helpers/databases.js';
import { gatewayWithAlice } from '../helpers/gateway-harness.js';

const DAY = 86_400_000;

// Threat (to the disk, and to privacy): auth and audit logs that grow for ever, holding who logged
// in from where long past any use. Kept for `log setting retention-days` (default 90).
for (const { engine, skip } of engines) {
  describe(`auth and audit log retention [${engine}]`, { skip }, () => {
    const f = gatewayWithAlice(engine);
    const entry = (at: number) => ({
      at,
      username: 'alice',
      sourceIp: null,
      frontEnd: 'http' as const,
      client: null,
      method: 'password',
      result: 'reject' as const,
      reason: 'password-mismatch',
      latencyMs: 1,
      node: null,
    });

    it('forgets entries older than 90 days by default, and keeps the rest', async () => {
      const now = f.g.clock.now;
      await f.g.store.authLog.append(entry(now - 91 * DAY));
      await f.g.store.authLog.append(entry(now - 89 * DAY));
      await f.g.store.auditLog.append({
        at: now - 91 * DAY,
        actor: 'admin',
        action: 'old',
        outcome: 'success',
      });
      const swept = await f.g.gateway.sweepRecords();
      assert.deepEqual([swept.authLog, swept.auditLog], [1, 1]);
      const kept = await f.g.store.authLog.list({ username: 'alice', limit: 1000 });
      assert.ok(kept.every((e) => e.at >= now - 90 * DAY));
      assert.ok(kept.some((e) => e.at === now - 89 * DAY));
    });

    it('follows retention-days', async () => {
      const now = f.g.clock.now;
      await f.g.gateway.changeSettings([
        { path: 'log setting', name: 'retention-days', value: 30 },
      ]);
      await f.g.store.authLog.append(entry(now - 31 * DAY));
      assert.equal(
        (await f.g.gateway.sweepRecords()).authLog,
        2,
        'the 89-day entry and the 31-day one',
      );
    });
  });
}
