import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import argon2 from 'argon2';
import {
  hashPassword,
  passwordNeedsRehash,
  verifyPassword,
} from '../../src/crypto/password-hash.js';
import { assertRejectsCode } from '../helpers/assert-code.js';

// Cheap parameters keep the suite fast; the default's cost is measured in bench/, not here.
const fastScrypt = { logN: 10, r: 8, p: 1 };
const fastArgon2 = { memoryKiB: 8_192, timeCost: 1, parallelism: 1 };
const vector = JSON.parse(
  readFileSync(new URL('../vectors/rfc9106-argon2id.json', import.meta.url), 'utf8'),
) as Record<string, string | number>;
const hex = (name: string) => Buffer.from(String(vector[name]), 'hex');

describe('argon2id password hashing', () => {
  it('uses a binding that computes RFC 9106 section 5.3 exactly', async () => {
    const tag = await argon2.hash(hex('passwordHex'), {
      type: argon2.argon2id,
      raw: true,
      salt: hex('saltHex'),
      secret: hex('secretHex'),
      associatedData: hex('associatedDataHex'),
      hashLength: 32,
      memoryCost: Number(vector.memoryKiB),
      timeCost: Number(vector.timeCost),
      parallelism: Number(vector.parallelism),
    });
    assert.equal(tag.toString('hex'), vector.tagHex);
  });

  it('is the default, at OWASP parameters, and verifies the right password only', async () => {
    const hash = await hashPassword('correct horse');
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.equal(await verifyPassword('correct horse', hash), true);
    assert.equal(await verifyPassword('correct horse ', hash), false);
    assert.equal(passwordNeedsRehash(hash), false);
  });

  it('flags weaker argon2id and every scrypt hash for rehashing', async () => {
    assert.equal(passwordNeedsRehash(await hashPassword('pw', fastArgon2)), true);
    assert.equal(passwordNeedsRehash(await hashPassword('pw', fastScrypt)), true);
  });

  it('refuses stored argon2id hashes that ask for too much or too little', async () => {
    const salt = 'A'.repeat(22);
    const digest = 'A'.repeat(43);
    for (const bad of [
      `$argon2id$v=19$m=4000000,t=2,p=1$${salt}$${digest}`,
      `$argon2id$v=19$m=19456,t=99,p=1$${salt}$${digest}`,
      `$argon2id$v=19$m=19456,t=2,p=1$${salt}$AAAA`,
      `$argon2i$v=19$m=19456,t=2,p=1$${salt}$${digest}`,
    ]) {
      await assertRejectsCode(verifyPassword('pw', bad), 'TW_PASSWORD_HASH_INVALID');
    }
  });
});

describe('scrypt password hashes (made before argon2id)', () => {
  it('records its parameters and verifies the right password only', async () => {
    const hash = await hashPassword('correct horse', fastScrypt);
    assert.match(hash, /^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.equal(await verifyPassword('correct horse', hash), true);
    assert.equal(await verifyPassword('correct horse ', hash), false);
    assert.ok(!hash.includes('correct'));
  });

  it('salts: the same password hashes differently', async () => {
    assert.notEqual(await hashPassword('pw', fastScrypt), await hashPassword('pw', fastScrypt));
  });

  it('treats composed and decomposed Unicode as the same password (NFC)', async () => {
    for (const parameters of [fastScrypt, fastArgon2]) {
      const hash = await hashPassword('caf\u00e9', parameters);
      assert.equal(await verifyPassword('cafe\u0301', hash), true);
    }
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
