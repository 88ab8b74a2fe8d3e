import { isIP } from 'node:net';
import { Client, DN, EqualityFilter, InvalidCredentialsError, ResultCodeError } from 'ldapts';
import type { Logger } from 'pino';
import { blockedFor } from '../../core/backoff.js';
import { TokenwardError } from '../../core/errors.js';
import type { LdapServer } from '../../store/repositories/ldap-server-repository.js';
import { type DirectoryMember, listGroupMembers } from './group-members.js';

/** An LDAP server as the directory client uses it: the service account's password opened. */
export type LdapServerWithSecret = Omit<LdapServer, 'passwordEnc'> & {
  readonly password: string | null;
};

/** A host that failed is skipped for 5 s, doubling with each failure in a row, at most 5 min. */
const HOST_BACKOFF = { limit: 1, baseBlockMs: 5_000, maxBlockMs: 300_000 } as const;

/** DNs compare without case and without spaces around their separators (RFC 4514 section 2). */
export const normalDn = (dn: string) =>
  dn
    .toLowerCase()
    .replace(/\s*([,=+])\s*/g, '$1')
    .trim();

/** What the directory said of a password. */
export type DirectoryVerdict = 'right' | 'wrong';

/**
 * Passwords checked against LDAP servers (`config user ldap`) by a bind as the user: `simple`
 * binds as `<cnid>=<name>,<dn>`; `regular` first finds the user's DN with the service account,
 * then binds as it. A server's hosts (server, secondary, tertiary) are tried in order; a host
 * that did not answer within the timeout, refused the connection or failed TLS is skipped until
 * its back-off ends, so a dead host costs one timeout now and then, not one per login. When no
 * host answers: TW_DIRECTORY_UNAVAILABLE (never a hang: every operation has the server's
 * timeout). A right password is never taken from a host that could not be asked.
 */
export function createLdapDirectory(deps: { readonly log: Logger; readonly clock: () => number }) {
  const failures = new Map<string, { failures: number; lastAt: number }>();

  /** Runs `work` on the first host that answers; a host that does not is backed off. */
  const onFirstHost = async <T>(
    server: LdapServerWithSecret,
    work: (client: Client, host: string) => Promise<T>,
  ): Promise<T> => {
    const hosts = [server.server, server.secondaryServer, server.tertiaryServer].filter(
      (host): host is string => host !== null,
    );
    let lastError: unknown;
    for (const host of hosts) {
      const key = `${server.name}|${host}`;
      if (blockedFor(failures.get(key), HOST_BACKOFF, deps.clock()) > 0) continue;
      let client: Client | undefined;
      try {
        client = await connect(server, host);
        const result = await work(client, host);
        failures.delete(key);
        return result;
      } catch (error) {
        // The host answered: a refused password, or a service account it refuses.
        if (error instanceof InvalidCredentialsError || error instanceof TokenwardError) {
          failures.delete(key);
          throw error;
        }
        lastError = error;
        const previous = failures.get(key);
        failures.set(key, { failures: (previous?.failures ?? 0) + 1, lastAt: deps.clock() });
        deps.log.warn(
          { ldap_server: server.name, host, err: { message: (error as Error).message } },
          'LDAP host did not answer: trying the next one',
        );
      } finally {
        await client?.unbind().catch(() => undefined);
      }
    }
    throw new TokenwardError('TW_DIRECTORY_UNAVAILABLE', {
      message: `No host of LDAP server "${server.name}" answered (${hosts.join(', ')}). Check that the directory is up and reachable; hosts that failed are retried after a back-off.`,
      data: { field: server.name },
      ...(lastError === undefined ? {} : { cause: lastError }),
    });
  };

  /**
   * Checks the password by a bind as the user; when right, also which of `groupDns` (directory
   * groups some user group matches) they are a member of, on the same connection.
   */
  const authenticate = async (
    server: LdapServerWithSecret,
    username: string,
    password: string,
    groupDns: readonly string[] = [],
  ): Promise<{ verdict: DirectoryVerdict; memberOf: string[] }> => {
    // An empty password would be an unauthenticated bind, which servers answer with success
    // (RFC 4513 section 5.1.2): never a right password.
    if (password === '') return { verdict: 'wrong', memberOf: [] };
    try {
      return await onFirstHost(server, async (client) => {
        const dn = await userDn(client, server, username);
        if (dn === undefined) return { verdict: 'wrong' as const, memberOf: [] };
        await client.bind(dn, password);
        return {
          verdict: 'right' as const,
          memberOf: await memberOf(client, server, dn, groupDns),
        };
      });
    } catch (error) {
      if (error instanceof InvalidCredentialsError) return { verdict: 'wrong', memberOf: [] };
      throw error;
    }
  };
  const checkPassword = async (
    server: LdapServerWithSecret,
    username: string,
    password: string,
  ): Promise<DirectoryVerdict> => (await authenticate(server, username, password)).verdict;

  return {
    authenticate,

    /** Per LDAP server, how many of its hosts are backed off now (for /metrics). */
    hostsDown(): Record<string, number> {
      const down: Record<string, number> = {};
      for (const [key, failure] of failures) {
        const server = key.slice(0, key.indexOf('|'));
        down[server] =
          (down[server] ?? 0) + (blockedFor(failure, HOST_BACKOFF, deps.clock()) > 0 ? 1 : 0);
      }
      return down;
    },
    /** Whether the directory takes `password` for `username` (TW_DIRECTORY_UNAVAILABLE if none answers). */
    checkPassword,

    /**
     * The members of a directory group, read as the service account (anonymously when the
     * server has none and binds `simple`). TW_DIRECTORY_UNAVAILABLE if no host answers.
     */
    members(server: LdapServerWithSecret, groupDn: string): Promise<DirectoryMember[]> {
      return onFirstHost(server, async (client) => {
        if (server.type === 'regular' || server.username !== null) {
          await bindServiceAccount(client, server);
        }
        return listGroupMembers(client, server, groupDn);
      });
    },

    /**
     * Connects (and binds with the service account for `regular`); with a probe, checks that
     * user's password too. Says which host answered; TW_DIRECTORY_UNAVAILABLE if none did.
     */
    async test(
      server: LdapServerWithSecret,
      probe?: { readonly username: string; readonly password: string },
    ): Promise<{ host: string; password?: DirectoryVerdict }> {
      const host = await onFirstHost(server, async (client, answered) => {
        if (server.type === 'regular') {
          await bindServiceAccount(client, server);
          return answered;
        }
        // One request, for the connection to be made: any LDAP answer, even a refusal of an
        // anonymous read of the root DSE, shows the host is up.
        await client
          .search('', { scope: 'base', filter: '(objectClass=*)', attributes: ['namingContexts'] })
          .catch((error: unknown) => {
            if (!(error instanceof ResultCodeError)) throw error;
          });
        return answered;
      });
      if (probe === undefined) return { host };
      return { host, password: await checkPassword(server, probe.username, probe.password) };
    },
  };
}

export type LdapDirectory = ReturnType<typeof createLdapDirectory>;

async function connect(server: LdapServerWithSecret, host: string): Promise<Client> {
  const timeout = server.timeoutSeconds * 1000;
  // The certificate must chain to ca-cert (or the system's CAs) and name the host: a
  // password is never sent to a directory that cannot prove it is the one configured.
  const tlsOptions = {
    host,
    // SNI takes names only (RFC 6066 section 3); an address is checked against the SAN.
    ...(isIP(host) === 0 ? { servername: host } : {}),
    ...(server.caCert === null ? {} : { ca: [server.caCert] }),
  };
  const client = new Client({
    url: `${server.secure === 'ldaps' ? 'ldaps' : 'ldap'}://${host}:${server.port}`,
    timeout,
    connectTimeout: timeout,
    ...(server.secure === 'ldaps' ? { tlsOptions } : {}),
  });
  if (server.secure === 'starttls') await client.startTLS(tlsOptions);
  return client;
}

/** `regular`: the service account's bind; its refusal is a configuration to fix, not a login. */
async function bindServiceAccount(client: Client, server: LdapServerWithSecret) {
  try {
    await client.bind(server.username ?? '', server.password ?? '');
  } catch (error) {
    if (!(error instanceof InvalidCredentialsError)) throw error;
    throw new TokenwardError('TW_LDAP_SERVICE_BIND_FAILED', {
      message: `LDAP server "${server.name}" refused its service account "${server.username ?? ''}". Set the right username and password: tokenward gateway ldap add ${server.name} ... --password-stdin.`,
      data: { field: 'username' },
    });
  }
}

/** The DN to bind as: built (`simple`) or found with the service account (`regular`). */
async function userDn(
  client: Client,
  server: LdapServerWithSecret,
  username: string,
): Promise<string | undefined> {
  if (server.type === 'simple') {
    return `${new DN().addPairRDN(server.cnid, username).toString()},${server.dn}`;
  }
  await bindServiceAccount(client, server);
  const { searchEntries } = await client.search(server.dn, {
    scope: 'sub',
    filter: new EqualityFilter({ attribute: server.cnid, value: username }),
    attributes: ['dn'],
    sizeLimit: 2,
  });
  // Two entries for one name is a directory to fix, not a user to guess between.
  return searchEntries.length === 1 ? searchEntries[0]?.dn : undefined;
}

/** Which of `groupDns` the bound user belongs to, per the server's group-member-check. */
async function memberOf(
  client: Client,
  server: LdapServerWithSecret,
  dn: string,
  groupDns: readonly string[],
): Promise<string[]> {
  if (groupDns.length === 0) return [];
  if (server.groupMemberCheck === 'user-attr') {
    const { searchEntries } = await client.search(dn, {
      scope: 'base',
      attributes: [server.memberAttr],
    });
    const values = searchEntries[0]?.[server.memberAttr] ?? [];
    const listed = new Set(
      (Array.isArray(values) ? values : [values]).map((v) => normalDn(String(v))),
    );
    return groupDns.filter((group) => listed.has(normalDn(group)));
  }
  const found: string[] = [];
  for (const group of groupDns) {
    const { searchEntries } = await client
      .search(group, {
        scope: 'base',
        filter: new EqualityFilter({ attribute: server.memberAttr, value: dn }),
        attributes: ['dn'],
      })
      // A group that does not exist (or is hidden from the user) has no members.
      .catch((error: unknown) => {
        if (error instanceof ResultCodeError) return { searchEntries: [] };
        throw error;
      });
    if (searchEntries.length > 0) found.push(group);
  }
  return found;
}
