import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  hashPassword,
  passwordNeedsRehash,
  verifyPassword,
} from '../../src/crypto/password-hash.js';
import { assertRejectsCode } from '../helpers/assert-code.js';

// Cheap parameters keep the suite fast; the default's cost is measured in bench/, not here.
const fast = { logN: 10, r: 8, p: 1 };

describe('scrypt password hashing', () => {
  it('records its parameters and verifies the right password only', async () => {
    const hash = await hashPassword('correct horse', fast);
    assert.match(hash, /^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.equal(await verifyPassword('correct horse', hash), true);
    assert.equal(await verifyPassword('correct horse ', hash), false);
    assert.ok(!hash.includes('correct'));
  });

  it('salts: the same password hashes differently', async () => {
    assert.notEqual(await hashPassword('pw', fast), await hashPassword('pw', fast));
  });

  it('treats composed and decomposed Unicode as the same password (NFC)', async () => {
    const hash = await hashPassword('caf\u00e9', fast);
    assert.equal(await verifyPassword('cafe\u0301', hash), true);
  });

  it('flags hashes made with weaker parameters for rehashing', async () => {
    const hash = await hashPassword('pw', fast);
    assert.equal(passwordNeedsRehash(hash), true);
    assert.equal(passwordNeedsRehash(hash, fast), false);
  });

  it('refuses malformed stored hashes with a coded error', async () => {
    for (const bad of [
      '',
      'plain',
      '$scrypt$ln=99,r=8,p=1$AAAA$AAAA',
      '$2b$10$abcdefghijklmnopqrstuv',
    ]) {
      await assertRejectsCode(verifyPassword('pw', bad), 'TW_PASSWORD_HASH_INVALID');
    }
  });
});
