import { BlockList, isIP } from 'node:net';
import { addToBlockList } from '../../core/client-address.js';
import type { RadiusClientWithSecret } from '../radius-clients.js';

/** A RADIUS client as the server uses it: its secret in memory, its source addresses matched. */
export interface KnownClient {
  readonly name: string;
  readonly secret: Buffer;
  readonly messageAuthenticator: RadiusClientWithSecret['messageAuthenticator'];
  readonly otpMode: RadiusClientWithSecret['otpMode'];
  /** The user groups that may log in through this client; undefined: everyone. */
  readonly allowedGroups: readonly string[] | undefined;
  readonly matches: BlockList;
  /** Prefix length of its address (32 or 128 for one host). */
  readonly prefix: number;
}

/**
 * The configured RADIUS clients, read again when the configuration's version changed (any
 * node's change marks it; a node checks at most once a second), not per datagram.
 */
export function createClientRegistry(deps: {
  /** The clients with their secrets (the gateway's radiusClientsWithSecrets use case). */
  load: () => Promise<RadiusClientWithSecret[]>;
  /** The configuration's version (the gateway's configVersion). */
  version: () => Promise<unknown>;
}) {
  let loaded: { version: unknown; clients: Promise<KnownClient[]> } | undefined;

  const load = async (): Promise<KnownClient[]> => {
    const version = await deps.version();
    if (loaded === undefined || loaded.version !== version) {
      const clients = deps.load().then((all) =>
        all
          .map((client) => {
            const matches = new BlockList();
            addToBlockList(matches, client.address);
            const [ip = '', bits] = client.address.split('/');
            return {
              prefix: bits === undefined ? (isIP(ip) === 6 ? 128 : 32) : Number(bits),
              name: client.name,
              secret: client.secret,
              messageAuthenticator: client.messageAuthenticator,
              otpMode: client.otpMode,
              allowedGroups:
                client.allowedGroups === null
                  ? undefined
                  : (JSON.parse(client.allowedGroups) as string[]),
              matches,
            };
          })
          // Most specific first: a host entry wins over the subnet around it.
          .sort((a, b) => b.prefix - a.prefix),
      );
      loaded = { version, clients };
      // A failed read is not kept: the next datagram tries the store again.
      clients.catch(() => {
        if (loaded?.clients === clients) loaded = undefined;
      });
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
