import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  hashActivationCode,
  mintActivationCode,
  parseActivationCode,
} from '../../src/core/activation-code.js';
import { decodeBase32 } from '../../src/core/base32.js';
import { assertThrowsCode, returnsOrThrowsCode } from '../helpers/assert-code.js';

const kinds = fc.constantFrom('activation' as const, 'transfer' as const);
const periods = fc.constantFrom(30 as const, 60 as const);

describe('activation codes', () => {
  it('are 16 base32 characters carrying a 2-byte header and 8 random bytes', () => {
    const minted = mintActivationCode('activation', 60, () => new Uint8Array(8).fill(0xab));
    assert.match(minted.code, /^[A-Z2-7]{16}$/);
    assert.deepEqual([...decodeBase32(minted.code)], [0x01, 60, ...new Array(8).fill(0xab)]);
  });

  it('parse back whatever case, spaces and dashes a person adds', () => {
    fc.assert(
      fc.property(
        kinds,
        periods,
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        fc.nat(),
        (kind, period, random, seed) => {
          const minted = mintActivationCode(kind, period, () => random);
          const noisy = [...minted.code]
            .map((char, index) => {
              const lower = (seed >> (index % 16)) & 1 ? char.toLowerCase() : char;
              return index % 4 === 3 ? `${lower}${seed & 1 ? '-' : ' '}` : lower;
            })
            .join('');
          assert.deepEqual(parseActivationCode(noisy), minted);
        },
      ),
    );
  });

  it('refuses wrong lengths, non-base32 characters and unknown headers', () => {
    assertThrowsCode(() => parseActivationCode('EEIOHIDHBXN5QLX'), 'TW_ACTIVATION_CODE_MALFORMED');
    assertThrowsCode(() => parseActivationCode('EEIOHIDHBXN5QLX1'), 'TW_ACTIVATION_CODE_MALFORMED');
    // The source document's codes were minted by another issuer: a header we do not know.
    assertThrowsCode(() => parseActivationCode('EEIOHIDHBXN5QLXV'), 'TW_ACTIVATION_CODE_MALFORMED');
  });

  it('give only TW_ACTIVATION_CODE_MALFORMED for garbage', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) =>
        returnsOrThrowsCode(() => parseActivationCode(text), 'TW_ACTIVATION_CODE_MALFORMED'),
      ),
    );
  });

  it('hash to the same digest however they were typed, and never contain the code', () => {
    const minted = mintActivationCode('activation', 30);
    const hash = hashActivationCode(minted);
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.equal(hashActivationCode(parseActivationCode(minted.code.toLowerCase())), hash);
    assert.ok(!hash.includes(minted.code));
  });
});
