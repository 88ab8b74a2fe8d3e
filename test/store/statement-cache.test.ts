import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { withStatementCache } from '../../src/store/statement-cache.js';

describe('SQLite statement cache', () => {
  it('prepares each SQL text once, and gives the statement back with fresh parameters', () => {
    const database = new SQLite(':memory:');
    const cached = withStatementCache(database, 2);
    const first = cached.prepare('select ? as n');
    assert.equal(cached.prepare('select ? as n'), first);
    assert.deepEqual(first.all([1]), [{ n: 1 }]);
    assert.deepEqual(cached.prepare('select ? as n').all([2]), [{ n: 2 }]);
    cached.close();
  });

  it('keeps at most `size` statements, dropping the least recently used', () => {
    const database = new SQLite(':memory:');
    const cached = withStatementCache(database, 2);
    const a = cached.prepare('select 1');
    const b = cached.prepare('select 2');
    assert.equal(cached.prepare('select 1'), a, 'a is now the most recent');
    cached.prepare('select 3');
    assert.equal(cached.prepare('select 1'), a, 'a stayed');
    assert.notEqual(cached.prepare('select 2'), b, 'b was dropped and prepared again');
    cached.close();
  });
});
