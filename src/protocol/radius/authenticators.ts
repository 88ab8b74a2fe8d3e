import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import {
  Attribute,
  encodePacket,
  HEADER_LENGTH,
  type RadiusAttribute,
  type RadiusPacket,
} from './packet.js';

const ZERO_AUTHENTICATOR = Buffer.alloc(16);

/**
 * Message-Authenticator (RFC 3579 section 3.2): HMAC-MD5 keyed with the shared secret over the
 * packet with this attribute's value zeroed; in a response, over the packet carrying the request's
 * authenticator. RADIUS fixes MD5 here; node:crypto computes it.
 */
function messageAuthenticator(packet: RadiusPacket, secret: Buffer): Buffer {
  const zeroed = packet.attributes.map((attribute) =>
    attribute.type === Attribute.MessageAuthenticator
      ? { type: attribute.type, value: ZERO_AUTHENTICATOR }
      : attribute,
  );
  return createHmac('md5', secret)
    .update(encodePacket({ ...packet, attributes: zeroed }))
    .digest();
}

/**
 * Whether a request's Message-Authenticator is present, and if so whether it verifies.
 * `missing`: no such attribute; `invalid`: wrong length, or more than one, or it does not match.
 */
export function checkRequestMessageAuthenticator(
  request: RadiusPacket,
  secret: Buffer,
): 'valid' | 'missing' | 'invalid' {
  const found = request.attributes.filter((a) => a.type === Attribute.MessageAuthenticator);
  if (found.length === 0) return 'missing';
  const [given] = found;
  if (found.length > 1 || given === undefined || given.value.length !== 16) return 'invalid';
  return timingSafeEqual(given.value, messageAuthenticator(request, secret)) ? 'valid' : 'invalid';
}

/**
 * A response to `request`: Message-Authenticator first (the Blast-RADIUS mitigation, CVE-2024-3596:
 * a forger cannot then control a prefix that makes the MD5 response authenticator collide), the
 * given attributes, then the request's Proxy-State attributes in order (RFC 2865 section 5.33).
 * The Response Authenticator is MD5(Code+ID+Length+RequestAuth+Attributes+Secret) (section 3).
 */
export function encodeResponse(
  request: RadiusPacket,
  code: number,
  attributes: readonly RadiusAttribute[],
  secret: Buffer,
): Buffer {
  const proxyStates = request.attributes.filter((a) => a.type === Attribute.ProxyState);
  const unsigned: RadiusPacket = {
    code,
    identifier: request.identifier,
    authenticator: request.authenticator,
    attributes: [
      { type: Attribute.MessageAuthenticator, value: ZERO_AUTHENTICATOR },
      ...attributes,
      ...proxyStates,
    ],
  };
  const signed: RadiusPacket = {
    ...unsigned,
    attributes: [
      { type: Attribute.MessageAuthenticator, value: messageAuthenticator(unsigned, secret) },
      ...unsigned.attributes.slice(1),
    ],
  };
  const bytes = encodePacket(signed);
  createHash('md5').update(bytes).update(secret).digest().copy(bytes, 4);
  return bytes;
}

/** Checks a response's authenticators as a client would (used by tests and the benchmark). */
export function verifyResponse(
  response: Buffer,
  requestAuthenticator: Buffer,
  secret: Buffer,
): boolean {
  const withRequest = Buffer.from(response);
  requestAuthenticator.copy(withRequest, 4);
  const expected = createHash('md5').update(withRequest).update(secret).digest();
  return timingSafeEqual(expected, response.subarray(4, HEADER_LENGTH));
}

/**
 * The Request Authenticator and Message-Authenticator of an Access-Request a client sends
 * (random authenticator, RFC 2865 section 3; Message-Authenticator first).
 */
export function encodeAccessRequest(
  identifier: number,
  authenticator: Buffer,
  attributes: readonly RadiusAttribute[],
  secret: Buffer,
): Buffer {
  const unsigned: RadiusPacket = {
    code: 1,
    identifier,
    authenticator,
    attributes: [
      { type: Attribute.MessageAuthenticator, value: ZERO_AUTHENTICATOR },
      ...attributes,
    ],
  };
  return encodePacket({
    ...unsigned,
    attributes: [
      { type: Attribute.MessageAuthenticator, value: messageAuthenticator(unsigned, secret) },
      ...attributes,
    ],
  });
}
