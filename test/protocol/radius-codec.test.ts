import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  checkRequestMessageAuthenticator,
  encodeAccessRequest,
  encodeResponse,
  verifyResponse,
} from '../../src/protocol/radius/authenticators.js';
import {
  Attribute,
  decodePacket,
  encodePacket,
  RadiusFormatError,
} from '../../src/protocol/radius/packet.js';
import { hideUserPassword, revealUserPassword } from '../../src/protocol/radius/user-password.js';

const vector = JSON.parse(
  await readFile(new URL('../vectors/rfc2865-section-7.1.json', import.meta.url), 'utf8'),
) as Record<string, string>;

const attribute = fc.record({
  type: fc.integer({ min: 1, max: 255 }),
  value: fc.uint8Array({ maxLength: 253 }).map((bytes) => Buffer.from(bytes)),
});
const packet = fc.record({
  code: fc.integer({ min: 1, max: 255 }),
  identifier: fc.integer({ min: 0, max: 255 }),
  authenticator: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b)),
  attributes: fc.array(attribute, { maxLength: 12 }),
});

describe('RADIUS packets (RFC 2865 section 3)', () => {
  it('decode(encode(packet)) is the packet, for any packet that fits', () => {
    fc.assert(
      fc.property(packet, (p) => {
        const decoded = decodePacket(encodePacket(p));
        assert.deepEqual(
          { ...decoded, attributes: [...decoded.attributes] },
          { ...p, attributes: p.attributes.map((a) => ({ ...a })) },
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('ignores bytes past Length (padding) and refuses lengths that lie', () => {
    const bytes = encodePacket({
      code: 1,
      identifier: 7,
      authenticator: Buffer.alloc(16, 1),
      attributes: [{ type: Attribute.UserName, value: Buffer.from('alice') }],
    });
    assert.equal(decodePacket(Buffer.concat([bytes, Buffer.alloc(9)])).attributes.length, 1);
    const lies = (mutate: (b: Buffer) => void) => {
      const copy = Buffer.from(bytes);
      mutate(copy);
      return copy;
    };
    for (const broken of [
      bytes.subarray(0, 19),
      lies((b) => b.writeUInt16BE(bytes.length + 1, 2)),
      lies((b) => b.writeUInt16BE(19, 2)),
      lies((b) => b.writeUInt8(1, 21)),
      lies((b) => b.writeUInt8(200, 21)),
      lies((b) => b.writeUInt16BE(21, 2)),
    ]) {
      assert.throws(() => decodePacket(broken), RadiusFormatError);
    }
  });

  it('refuses to encode what RADIUS cannot carry', () => {
    const base = { code: 2, identifier: 1, authenticator: Buffer.alloc(16) };
    assert.throws(
      () => encodePacket({ ...base, attributes: [{ type: 18, value: Buffer.alloc(254) }] }),
      RadiusFormatError,
    );
    assert.throws(
      () =>
        encodePacket({
          ...base,
          attributes: Array.from({ length: 20 }, () => ({ type: 18, value: Buffer.alloc(253) })),
        }),
      RadiusFormatError,
    );
  });
});

describe('User-Password hiding (RFC 2865 section 5.2)', () => {
  it('matches the example of RFC 2865 section 7.1', () => {
    const secret = Buffer.from(vector.secret ?? '');
    const authenticator = Buffer.from(vector.requestAuthenticator ?? '', 'hex');
    const hidden = hideUserPassword(Buffer.from(vector.password ?? ''), secret, authenticator);
    assert.equal(hidden.toString('hex'), vector.hiddenPassword);
    assert.equal(revealUserPassword(hidden, secret, authenticator).toString(), vector.password);
  });

  it('round-trips any password of 1 to 128 bytes without zero bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 128 }).filter((b) => !b.includes(0)),
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (password, secret, authenticator) => {
          const [p, s, a] = [password, secret, authenticator].map((b) => Buffer.from(b)) as [
            Buffer,
            Buffer,
            Buffer,
          ];
          assert.deepEqual(revealUserPassword(hideUserPassword(p, s, a), s, a), p);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses a hidden password that is not whole 16-byte blocks, or over 128 bytes', () => {
    for (const length of [0, 15, 17, 144]) {
      assert.throws(
        () => revealUserPassword(Buffer.alloc(length), Buffer.from('s'), Buffer.alloc(16)),
        RadiusFormatError,
      );
    }
  });
});

describe('authenticators (RFC 2865 section 3, RFC 3579 section 3.2)', () => {
  const secret = Buffer.from('testing123');
  const request = decodePacket(
    encodeAccessRequest(
      42,
      Buffer.alloc(16, 5),
      [{ type: Attribute.UserName, value: Buffer.from('alice') }],
      secret,
    ),
  );

  it('verifies a request Message-Authenticator, and refuses a wrong secret or a change', () => {
    assert.equal(checkRequestMessageAuthenticator(request, secret), 'valid');
    assert.equal(checkRequestMessageAuthenticator(request, Buffer.from('other')), 'invalid');
    const changed = { ...request, identifier: 43 };
    assert.equal(checkRequestMessageAuthenticator(changed, secret), 'invalid');
    const without = { ...request, attributes: request.attributes.slice(1) };
    assert.equal(checkRequestMessageAuthenticator(without, secret), 'missing');
  });

  it('puts Message-Authenticator first in responses, then the rest, then Proxy-State', () => {
    const proxied = {
      ...request,
      attributes: [...request.attributes, { type: Attribute.ProxyState, value: Buffer.from('p1') }],
    };
    const bytes = encodeResponse(
      proxied,
      2,
      [{ type: Attribute.ReplyMessage, value: Buffer.from('hi') }],
      secret,
    );
    const response = decodePacket(bytes);
    assert.deepEqual(
      response.attributes.map((a) => a.type),
      [Attribute.MessageAuthenticator, Attribute.ReplyMessage, Attribute.ProxyState],
    );
    assert.ok(verifyResponse(bytes, request.authenticator, secret));
    assert.ok(!verifyResponse(bytes, request.authenticator, Buffer.from('other')));

    // Recomputed independently: HMAC-MD5 over the response with the request authenticator and
    // the Message-Authenticator zeroed; MD5 over the response with the request authenticator.
    const zeroed = Buffer.from(bytes);
    request.authenticator.copy(zeroed, 4);
    zeroed.fill(0, 22, 38);
    const mac = createHmac('md5', secret).update(zeroed).digest();
    assert.deepEqual(response.attributes[0]?.value, mac);
    const signed = Buffer.from(bytes);
    request.authenticator.copy(signed, 4);
    const expected = createHash('md5').update(signed).update(secret).digest();
    assert.deepEqual(response.authenticator, expected);
  });
});
