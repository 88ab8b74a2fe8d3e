import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeBase32, encodeBase32 } from '../../src/core/base32.js';
import { assertThrowsCode, returnsOrThrowsCode } from '../helpers/assert-code.js';

// RFC 4648 section 10, without the padding our encoder leaves out.
const RFC4648_VECTORS: [string, string][] = [
  ['', ''],
  ['f', 'MY'],
  ['fo', 'MZXQ'],
  ['foo', 'MZXW6'],
  ['foob', 'MZXW6YQ'],
  ['fooba', 'MZXW6YTB'],
  ['foobar', 'MZXW6YTBOI'],
];

describe('base32 (RFC 4648)', () => {
  for (const [plain, encoded] of RFC4648_VECTORS) {
    it(`encodes "${plain}" as "${encoded}" and back`, () => {
      assert.equal(encodeBase32(Buffer.from(plain)), encoded);
      assert.equal(Buffer.from(decodeBase32(encoded)).toString(), plain);
    });
  }

  it('accepts lower case and padding', () => {
    assert.equal(Buffer.from(decodeBase32('mzxw6ytboi======')).toString(), 'foobar');
  });

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        assert.deepEqual(Buffer.from(decodeBase32(encodeBase32(bytes))), Buffer.from(bytes));
      }),
    );
  });

  it('refuses characters outside the alphabet, impossible lengths and stray bits', () => {
    assertThrowsCode(() => decodeBase32('MZXW1'), 'TW_BASE32_INVALID');
    assertThrowsCode(() => decodeBase32('MZX'), 'TW_BASE32_INVALID');
    assertThrowsCode(() => decodeBase32('MZ=XW6'), 'TW_BASE32_INVALID');
    // "MB" is 01100 00001: one byte and two spare bits that must be zero (RFC 4648 section 3.5).
    assertThrowsCode(() => decodeBase32('MB'), 'TW_BASE32_INVALID');
  });

  it('gives only TW_BASE32_INVALID for garbage, and a canonical value when it decodes', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        returnsOrThrowsCode(() => {
          const bytes = decodeBase32(text);
          assert.equal(encodeBase32(bytes), text.toUpperCase().replace(/=+$/, ''));
        }, 'TW_BASE32_INVALID');
      }),
    );
  });
});
