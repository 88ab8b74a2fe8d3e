import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { errorCatalog, TokenwardError } from '../../src/core/errors.js';
import { warningCatalog } from '../../src/core/warnings.js';

const table = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const documented = [...table.matchAll(/^\| `(TW_[A-Z0-9_]+)` +\|([^|]+)\|([^|]+)\|$/gm)];

describe('docs/errors.md', () => {
  it('has one row, with a meaning and a fix, for every code, and no row for a code that is gone', () => {
    const codes = documented.map(([, code]) => code);
    assert.deepEqual(
      [...codes].sort(),
      [...Object.keys(errorCatalog), ...Object.keys(warningCatalog)].sort(),
    );
    assert.equal(new Set(codes).size, codes.length, 'a code is documented twice');
    for (const [, code, meaning, fix] of documented) {
      assert.ok(
        (meaning?.trim().length ?? 0) > 10 && (fix?.trim().length ?? 0) > 10,
        `${code} row is empty`,
      );
    }
  });
});

describe('TokenwardError', () => {
  it('exposes its public message, and hides unexposed ones behind TW_INTERNAL', () => {
    const exposed = new TokenwardError('TW_SERIAL_INVALID', { detail: 'length 3' });
    assert.deepEqual(exposed.toPublic(), { code: 'TW_SERIAL_INVALID', message: exposed.message });
    const hidden = new TokenwardError('TW_MASTER_KEY_INVALID', { detail: '/secret/path' });
    assert.equal(hidden.toPublic().code, 'TW_INTERNAL');
    assert.ok(!JSON.stringify(hidden.toPublic()).includes('/secret/path'));
  });
});
