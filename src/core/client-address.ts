import { type BlockList, isIP } from 'node:net';
import { TokenwardError } from './errors.js';

/**
 * A RADIUS client's source: one address or a CIDR block, IPv4 or IPv6. Returns the canonical
 * text; an address that is neither is a TW_ADDRESS_INVALID naming it.
 */
export function parseClientAddress(text: string): string {
  const [address = '', prefix, ...rest] = text.trim().split('/');
  const family = isIP(address);
  const bits = prefix === undefined ? undefined : Number(prefix);
  const maxBits = family === 6 ? 128 : 32;
  if (
    family === 0 ||
    rest.length > 0 ||
    (prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || (bits ?? 0) > maxBits))
  ) {
    throw new TokenwardError('TW_ADDRESS_INVALID', {
      message: `"${text}" is not an IP address or CIDR block (e.g. 10.0.0.1 or 10.0.0.0/24).`,
      data: { field: 'address' },
    });
  }
  return bits === undefined ? address : `${address}/${bits}`;
}

/** Adds a parsed client address to a BlockList (node:net), which then matches sources. */
export function addToBlockList(list: BlockList, address: string): void {
  const [ip = '', prefix] = address.split('/');
  const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  if (prefix === undefined) list.addAddress(ip, type);
  else list.addSubnet(ip, Number(prefix), type);
}
