import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAtRestCipher } from '../../src/crypto/at-rest-cipher.js';
import { assertThrowsCode } from '../helpers/assert-code.js';

// Threat: a value whose GCM tag is cut short. GCM accepts 4..16-byte tags unless the length is
// fixed, and a 4-byte tag is forged in about 2^32 tries (NIST SP 800-38D appendix C).
describe('at-rest cipher: truncated authentication tag', () => {
  const cipher = createAtRestCipher(Buffer.alloc(32, 7));

  it('refuses a value whose tag is the first 4 bytes of the real one', () => {
    const whole = cipher.encrypt(new Uint8Array(0), 'row:1');
    const [version, nonce, body] = whole.split('.');
    const tag = Buffer.from(body ?? '', 'base64url');
    assert.equal(tag.length, 16);
    const truncated = `${version}.${nonce}.${tag.subarray(0, 4).toString('base64url')}`;
    assertThrowsCode(() => cipher.decrypt(truncated, 'row:1'), 'TW_SEALED_DATA_INVALID');
  });

  it('still opens what it sealed', () => {
    const sealed = cipher.encrypt(Buffer.from('seed'), 'row:1');
    assert.equal(Buffer.from(cipher.decrypt(sealed, 'row:1')).toString(), 'seed');
  });
});
