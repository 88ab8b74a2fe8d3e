import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { buildOtpauthUri, type OtpauthToken, parseOtpauthUri } from '../../src/core/otpauth-uri.js';
import { assertThrowsCode, returnsOrThrowsCode } from '../helpers/assert-code.js';

const tokens: fc.Arbitrary<OtpauthToken> = fc
  .record({
    seed: fc.uint8Array({ minLength: 10, maxLength: 64 }),
    account: fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }),
    issuer: fc.option(
      fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }).filter((s) => !s.includes(':')),
      { nil: undefined },
    ),
    algorithm: fc.constantFrom('SHA1' as const, 'SHA256' as const, 'SHA512' as const),
    digits: fc.constantFrom(6 as const, 8 as const),
    period: fc.constantFrom(30 as const, 60 as const),
  })
  .filter((t) => t.issuer !== undefined || !t.account.includes(':'))
  .map(({ issuer, ...rest }) => (issuer === undefined ? rest : { ...rest, issuer }));

describe('otpauth:// URIs', () => {
  it('build the Key Uri Format shape', () => {
    const uri = buildOtpauthUri({
      seed: Buffer.from('12345678901234567890'),
      account: 'alice@vpn.example.com',
      issuer: 'Tokenward',
      algorithm: 'SHA1',
      digits: 6,
      period: 60,
    });
    assert.equal(
      uri,
      'otpauth://totp/Tokenward:alice%40vpn.example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Tokenward&algorithm=SHA1&digits=6&period=60',
    );
  });

  it('round-trip any token', () => {
    fc.assert(
      fc.property(tokens, (token) => {
        const parsed = parseOtpauthUri(buildOtpauthUri(token));
        assert.deepEqual(
          { ...parsed, seed: Buffer.from(parsed.seed) },
          { ...token, seed: Buffer.from(token.seed) },
        );
      }),
    );
  });

  it('default to SHA1, 6 digits, 60 s when the URI leaves them out', () => {
    const parsed = parseOtpauthUri('otpauth://totp/bob?secret=GEZDGNBV');
    assert.equal(parsed.account, 'bob');
    assert.deepEqual([parsed.algorithm, parsed.digits, parsed.period], ['SHA1', 6, 60]);
  });

  it('refuse what is not a TOTP URI', () => {
    for (const uri of [
      'https://example.com',
      'otpauth://hotp/a?secret=GEZDGNBV&counter=1',
      'otpauth://totp/a',
      'otpauth://totp/a?secret=GEZ1',
      'otpauth://totp/a?secret=GEZDGNBV&digits=7',
      'otpauth://totp/X:a?secret=GEZDGNBV&issuer=Y',
      'otpauth://totp/%E0%A4%A?secret=GEZDGNBV',
      'not a uri',
    ]) {
      assertThrowsCode(() => parseOtpauthUri(uri), 'TW_OTPAUTH_URI_INVALID');
    }
  });

  it('give only TW_OTPAUTH_URI_INVALID for garbage', () => {
    const garbage = fc.oneof(
      fc.string(),
      fc.webUrl(),
      fc.string().map((s) => `otpauth://totp/${s}`),
      fc.string().map((s) => `otpauth://totp/a?secret=${encodeURIComponent(s)}&period=${s}`),
    );
    fc.assert(
      fc.property(garbage, (uri) =>
        returnsOrThrowsCode(() => parseOtpauthUri(uri), 'TW_OTPAUTH_URI_INVALID'),
      ),
    );
  });
});
