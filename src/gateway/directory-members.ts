import { isTokenwardError } from '../core/errors.js';
import type { UserGroup } from '../store/repositories/user-group-repository.js';
import type { GatewayContext } from './context.js';
import type { DirectoryMember } from './directory/group-members.js';
import { ldapServerWithSecret } from './ldap-servers.js';

/** A directory member an auto-enrol group should give a token. */
export interface WantedMember {
  readonly member: DirectoryMember;
  /** The LDAP server that will check their password. */
  readonly server: string;
  /** The first auto-enrol group found listing them. */
  readonly group: string;
}

/** Why a member, a directory group or a user was not synced. */
export interface SyncFailure {
  /** A user name, or `SERVER:GROUP-DN` when a whole directory group could not be read. */
  readonly subject: string;
  readonly code: string;
  readonly reason: string;
}

export interface DirectoryListing {
  /** Enabled members by name. */
  readonly wanted: Map<string, WantedMember>;
  /** Members the directory lists as disabled (AD userAccountControl), by name. */
  readonly disabled: Set<string>;
  /** LDAP servers that could not be read: nobody enrolled from them counts as gone. */
  readonly unread: Set<string>;
  readonly failures: SyncFailure[];
}

/**
 * Reads the members of every directory group the auto-enrol groups match. A name listed on two
 * LDAP servers is the first server's; the other is a failure (one name, one password source).
 */
export async function readDirectoryMembers(
  ctx: GatewayContext,
  groups: readonly UserGroup[],
): Promise<DirectoryListing> {
  const listing: DirectoryListing = {
    wanted: new Map(),
    disabled: new Set(),
    unread: new Set(),
    failures: [],
  };
  for (const group of groups) {
    for (const match of group.matches) {
      const server = await ldapServerWithSecret(ctx, match.server);
      if (server === undefined) continue;
      let members: DirectoryMember[];
      try {
        members = await ctx.directory.members(server, match.group);
      } catch (error) {
        const refused =
          isTokenwardError(error, 'TW_DIRECTORY_UNAVAILABLE') ||
          isTokenwardError(error, 'TW_LDAP_SERVICE_BIND_FAILED');
        if (!refused) throw error;
        listing.unread.add(server.name);
        listing.failures.push({
          subject: `${server.name}:${match.group}`,
          code: error.code,
          reason: error.message,
        });
        continue;
      }
      for (const member of members) addMember(listing, member, server.name, group.name);
    }
  }
  for (const name of listing.disabled) listing.wanted.delete(name);
  return listing;
}

function addMember(
  listing: DirectoryListing,
  member: DirectoryMember,
  server: string,
  group: string,
): void {
  if (member.disabled) {
    listing.disabled.add(member.name);
    return;
  }
  const known = listing.wanted.get(member.name);
  if (known === undefined) {
    listing.wanted.set(member.name, { member, server, group });
  } else if (known.server !== server) {
    listing.failures.push({
      subject: member.name,
      code: 'TW_STORE_CONFLICT',
      reason: `"${member.name}" is a member on LDAP servers ${known.server} and ${server}; it is enrolled from ${known.server} only.`,
    });
  }
}
