import { TokenwardError } from '../../core/errors.js';
import type { RadiusAttribute } from './packet.js';

/**
 * The reply attributes a user group may send in its members' Access-Accept, by the names
 * FreeRADIUS's dictionaries give them: standard ones (RFC 2865 section 5) and vendor-specific
 * ones (section 5.26, vendor id from IANA's enterprise numbers). Another vendor's attribute is
 * one more line here.
 */
export const REPLY_DICTIONARY = {
  'Filter-Id': { type: 11 },
  Class: { type: 25 },
  'Fortinet-Group-Name': { vendor: 12356, type: 1 },
  'Fortinet-Access-Profile': { vendor: 12356, type: 6 },
  'Fortinet-Vdom-Name': { vendor: 12356, type: 3 },
} as const satisfies Record<string, { readonly type: number; readonly vendor?: number }>;

export type ReplyAttributeName = keyof typeof REPLY_DICTIONARY;

/** Text values only; a vendor attribute's header (6 bytes) leaves 247 of the 253. */
const MAX_VALUE = 247;

/** `Name=value` checked against the dictionary (TW_INPUT_INVALID names the field otherwise). */
export function parseReplyAttribute(
  text: string,
  field: string,
): { readonly name: ReplyAttributeName; readonly value: string } {
  const at = text.indexOf('=');
  const name = at < 0 ? text : text.slice(0, at);
  const value = at < 0 ? '' : text.slice(at + 1);
  if (!Object.hasOwn(REPLY_DICTIONARY, name)) {
    throw new TokenwardError('TW_INPUT_INVALID', {
      message: `"${name}" is not a reply attribute Tokenward knows. Known: ${Object.keys(REPLY_DICTIONARY).join(', ')}.`,
      data: { field },
    });
  }
  if (value === '' || Buffer.byteLength(value) > MAX_VALUE) {
    throw new TokenwardError('TW_INPUT_INVALID', {
      message: `A reply attribute is Name=value, the value 1 to ${MAX_VALUE} bytes (e.g. Filter-Id=vpn-users).`,
      data: { field },
    });
  }
  return { name: name as ReplyAttributeName, value };
}

/** The attribute as it goes on the wire (a Vendor-Specific one wrapped per RFC 2865 section 5.26). */
export function replyAttribute(name: ReplyAttributeName, value: string): RadiusAttribute {
  const spec: { readonly type: number; readonly vendor?: number } = REPLY_DICTIONARY[name];
  const data = Buffer.from(value, 'utf8');
  if (spec.vendor === undefined) return { type: spec.type, value: data };
  const header = Buffer.alloc(6);
  header.writeUInt32BE(spec.vendor, 0);
  header.writeUInt8(spec.type, 4);
  header.writeUInt8(data.length + 2, 5);
  return { type: 26, value: Buffer.concat([header, data]) };
}
