import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalJson } from '../../src/crypto/canonical-json.js';
import {
  gatewaySecretHash,
  mintGatewaySecret,
  parseGatewayAuthorization,
  signGatewayRequest,
  verifyGatewayRequest,
} from '../../src/crypto/gateway-signature.js';
import {
  generateIdentityKeyPair,
  signCanonical,
  verifyCanonical,
} from '../../src/crypto/identity-signature.js';
import { assertThrowsCode } from '../helpers/assert-code.js';

describe('canonical JSON (RFC 8785)', () => {
  it('sorts keys, drops whitespace and undefined members', () => {
    assert.equal(
      canonicalJson({ b: [1, 'x', null], a: { d: true, c: 1.5 }, e: undefined }),
      '{"a":{"c":1.5,"d":true},"b":[1,"x",null]}',
    );
  });

  it('is the same for any key order and parses back to the value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        assert.equal(canonicalJson(JSON.parse(text)), text);
      }),
    );
  });

  it('refuses what JSON cannot carry', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, new Date(0), () => 1, 1n]) {
      assertThrowsCode(() => canonicalJson({ bad }), 'TW_CANONICAL_JSON_INVALID');
    }
  });
});

describe('Ed25519 signatures over canonical JSON', () => {
  const { publicKey, privateKey } = generateIdentityKeyPair();
  const request = { __type: 'SoftToken.MobileProvisionRequest', registration_id: 'ab', n: 1 };

  it('verify whatever the field order', () => {
    const signature = signCanonical(privateKey, request);
    assert.equal(
      verifyCanonical(
        publicKey,
        { n: 1, registration_id: 'ab', __type: request.__type },
        signature,
      ),
      true,
    );
  });

  it('fail for a changed field, another key, or a mangled signature', () => {
    const signature = signCanonical(privateKey, request);
    assert.equal(verifyCanonical(publicKey, { ...request, n: 2 }, signature), false);
    assert.equal(verifyCanonical(generateIdentityKeyPair().publicKey, request, signature), false);
    assert.equal(verifyCanonical(publicKey, request, 'AAAA'), false);
  });
});

describe('gateway request signature (DESIGN section 5)', () => {
  const serial = 'FGT3HD3915801656';
  const secret = 'gateway-enrolment-secret';
  const body = '{"d":{"__type":"SoftToken.PollingRequest"}}';
  const now = 1_700_000_000_000;
  const header = signGatewayRequest({ serial, secret, body, now });

  it('has the documented shape and verifies', () => {
    assert.match(
      header,
      /^TW1-HMAC-SHA256 sn=FGT3HD3915801656,ts=1700000000,nonce=[\w-]{22},sig=[A-Za-z0-9+/]{43}=$/,
    );
    const authorization = parseGatewayAuthorization(header);
    assert.equal(authorization.serial, serial);
    verifyGatewayRequest({ authorization, key: secret, body, now: now + 299_000 });
    assert.notEqual(
      signGatewayRequest({ serial, secret, body, now }),
      header,
      'a fresh nonce each',
    );
  });

  it('refuses a signature moved to another nonce', () => {
    const other = header.replace(/nonce=[\w-]{22}/, `nonce=${'A'.repeat(22)}`);
    assertThrowsCode(
      () =>
        verifyGatewayRequest({
          authorization: parseGatewayAuthorization(other),
          key: secret,
          body,
          now,
        }),
      'TW_GATEWAY_AUTH_INVALID',
    );
  });

  it('refuses a forged signature, another body, or another secret', () => {
    const authorization = parseGatewayAuthorization(header);
    assertThrowsCode(
      () => verifyGatewayRequest({ authorization, key: 'guess', body, now }),
      'TW_GATEWAY_AUTH_INVALID',
    );
    assertThrowsCode(
      () => verifyGatewayRequest({ authorization, key: secret, body: `${body} `, now }),
      'TW_GATEWAY_AUTH_INVALID',
    );
  });

  it('refuses a stale or future timestamp beyond 300 s', () => {
    const authorization = parseGatewayAuthorization(header);
    for (const skew of [301_000, -301_000]) {
      assertThrowsCode(
        () => verifyGatewayRequest({ authorization, key: secret, body, now: now + skew }),
        'TW_GATEWAY_AUTH_STALE',
      );
    }
  });

  it("verifies a minted secret's signature with only the stored hash (RFC 2104 section 2)", () => {
    const minted = mintGatewaySecret();
    assert.ok(Buffer.byteLength(minted) > 64);
    const signed = signGatewayRequest({ serial, secret: minted, body, now });
    const authorization = parseGatewayAuthorization(signed);
    verifyGatewayRequest({ authorization, key: gatewaySecretHash(minted), body, now });
    assertThrowsCode(
      () => verifyGatewayRequest({ authorization, key: gatewaySecretHash(secret), body, now }),
      'TW_GATEWAY_AUTH_INVALID',
    );
  });

  it('refuses a malformed header', () => {
    for (const bad of [undefined, '', 'Bearer x', header.replace('sn=', 'serial='), `${header}x`]) {
      assertThrowsCode(() => parseGatewayAuthorization(bad), 'TW_GATEWAY_AUTH_MALFORMED');
    }
  });
});
