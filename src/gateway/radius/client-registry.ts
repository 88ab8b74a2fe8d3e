import { BlockList, isIP } from 'node:net';
import { addToBlockList } from '../../core/client-address.js';
import type { RadiusClientWithSecret } from '../radius-clients.js';

/** A RADIUS client as the server uses it: its secret in memory, its source addresses matched. */
export interface KnownClient {
  readonly name: string;
  readonly secret: Buffer;
  readonly messageAuthenticator: RadiusClientWithSecret['messageAuthenticator'];
  readonly otpMode: RadiusClientWithSecret['otpMode'];
  readonly matches: BlockList;
  /** Prefix length of its address (32 or 128 for one host). */
  readonly prefix: number;
}

/**
 * The configured RADIUS clients, re-read from the store at most every `refreshMs` so that a
 * client added on any node is known within seconds without a query per datagram.
 */
export function createClientRegistry(deps: {
  /** The clients with their secrets (the gateway's radiusClientsWithSecrets use case). */
  load: () => Promise<RadiusClientWithSecret[]>;
  clock: () => number;
  refreshMs?: number;
}) {
  const refreshMs = deps.refreshMs ?? 5000;
  let loaded: { at: number; clients: KnownClient[] } | undefined;

  const load = async (): Promise<KnownClient[]> => {
    const now = deps.clock();
    if (loaded === undefined || now - loaded.at >= refreshMs) {
      const clients = (await deps.load()).map((client) => {
        const matches = new BlockList();
        addToBlockList(matches, client.address);
        const [ip = '', bits] = client.address.split('/');
        return {
          prefix: bits === undefined ? (isIP(ip) === 6 ? 128 : 32) : Number(bits),
          name: client.name,
          secret: client.secret,
          messageAuthenticator: client.messageAuthenticator,
          otpMode: client.otpMode,
          matches,
        };
      });
      // Most specific first: a host entry wins over the subnet around it.
      loaded = { at: now, clients: clients.sort((a, b) => b.prefix - a.prefix) };
    }
    return loaded.clients;
  };

  return {
    /** The client a datagram from `address` belongs to (the most specific entry wins). */
    async match(address: string): Promise<KnownClient | undefined> {
      const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      return (await load()).find((client) => client.matches.check(address, type));
    },
    /** Forget the cache (after a change made by this process). */
    invalidate() {
      loaded = undefined;
    },
  };
}
