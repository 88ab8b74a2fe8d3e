import type { ReplyAttributeName } from '../../protocol/radius/reply-dictionary.js';
import type { UserGroup } from '../../store/repositories/user-group-repository.js';
import type { User } from '../../store/repositories/user-repository.js';
import type { GatewayStore } from '../../store/store.js';
import { normalDn } from '../directory/ldap-directory.js';
import type { GatewaySettings } from '../gateway-settings.js';

/** The user groups, kept in memory and read again when the configuration version changes. */
export function createGroupConfig(
  store: Pick<GatewayStore, 'userGroups'>,
  settings: Pick<GatewaySettings, 'version'>,
) {
  let cached: { version: unknown; groups: Promise<UserGroup[]> } | undefined;
  return {
    async all(): Promise<UserGroup[]> {
      const version = await settings.version();
      if (cached === undefined || cached.version !== version) {
        const groups = store.userGroups.list();
        cached = { version, groups };
        groups.catch(() => {
          if (cached?.groups === groups) cached = undefined;
        });
      }
      return cached.groups;
    },
  };
}

export type GroupConfig = ReturnType<typeof createGroupConfig>;

/** The directory groups to ask the user's LDAP server about: those some user group matches. */
export function directoryGroupsToCheck(groups: readonly UserGroup[], server: string): string[] {
  return [
    ...new Set(
      groups.flatMap((g) => g.matches.filter((m) => m.server === server).map((m) => m.group)),
    ),
  ];
}

/**
 * The user groups a user belongs to: as a local member, or as a member of a matched directory
 * group on their own LDAP server (`memberOf`: the DNs the directory confirmed).
 */
export function groupsOf(
  groups: readonly UserGroup[],
  user: User,
  memberOf: readonly string[],
): string[] {
  const confirmed = new Set(memberOf.map(normalDn));
  return groups
    .filter(
      (group) =>
        group.members.includes(user.name) ||
        group.matches.some(
          (match) => match.server === user.ldapServer && confirmed.has(normalDn(match.group)),
        ),
    )
    .map((group) => group.name);
}

/** Whether a login context that admits only some groups (a RADIUS client's) admits these. */
export function groupsAdmitted(
  context: { readonly allowedGroups?: readonly string[] },
  groups: readonly string[],
): boolean {
  return (
    context.allowedGroups === undefined ||
    groups.some((group) => context.allowedGroups?.includes(group))
  );
}

/** Whether one of the user's groups lets its members in without a second factor (break-glass). */
export function secondFactorWaived(
  groups: readonly UserGroup[],
  names: readonly string[],
): boolean {
  return groups.some((group) => group.twoFactor === 'disable' && names.includes(group.name));
}

/** The reply attributes of these groups, in the groups' order. */
export function replyAttributesOf(
  groups: readonly UserGroup[],
  names: readonly string[],
): { name: ReplyAttributeName; value: string }[] {
  return groups
    .filter((group) => names.includes(group.name))
    .flatMap((group) =>
      group.radiusAttributes.map((text) => {
        const at = text.indexOf('=');
        return { name: text.slice(0, at) as ReplyAttributeName, value: text.slice(at + 1) };
      }),
    );
}
