import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AUTH_REASONS } from '../../src/gateway/auth/auth-reason.js';

const doc = readFileSync(new URL('../../docs/auth.md', import.meta.url), 'utf8');
const rows = [...doc.matchAll(/^\| `([a-z -]+)` +\| (accept|reject|challenge) +\| ([^|]+)\|$/gm)];

describe('docs/auth.md reasons', () => {
  it('has one row, with its result and meaning, for every AuthReason, and none for a reason that is gone', () => {
    const reasons = rows.map(([, reason]) => reason);
    assert.deepEqual([...reasons].sort(), Object.keys(AUTH_REASONS).sort());
    assert.equal(new Set(reasons).size, reasons.length, 'a reason is documented twice');
    for (const [, reason, , meaning] of rows) {
      assert.ok((meaning?.trim().length ?? 0) > 10, `${reason} row is empty`);
    }
  });
});
