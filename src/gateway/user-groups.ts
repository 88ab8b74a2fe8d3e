import { TokenwardError } from '../core/errors.js';
import { parseName } from '../core/names.js';
import { parseReplyAttribute } from '../protocol/radius/reply-dictionary.js';
import type { GroupMatch, UserGroup } from '../store/repositories/user-group-repository.js';
import { notFound } from '../store/unique-violation.js';
import { ADMIN, audit, type GatewayContext } from './context.js';

export interface UserGroupInput {
  readonly name: string;
  /** Local users (FortiOS `set member`). */
  readonly members?: readonly string[];
  /** Directory groups whose members belong (FortiOS `config match`). */
  readonly matches?: readonly GroupMatch[];
  /** `Name=value` reply attributes for every Access-Accept of a member. */
  readonly radiusAttributes?: readonly string[];
  /** The directory sync gives every member of `matches` a local entry and a token. */
  readonly autoEnrol?: boolean;
  /** Where auto-enrolled members' tokens come from (a licence imported here); any when absent. */
  readonly licence?: string;
  /** `disable`: members log in with the first factor alone (break-glass), with a warning. */
  readonly twoFactor?: 'enable' | 'disable';
}

/** Adds a user group, or replaces the one of that name; members and servers must exist. */
export async function saveUserGroup(
  ctx: GatewayContext,
  input: UserGroupInput,
  now: number,
): Promise<UserGroup> {
  const group: UserGroup = {
    name: parseName(input.name, 'group name'),
    members: [...new Set(input.members ?? [])],
    matches: (input.matches ?? []).map((match) => {
      const group = match.group.trim();
      if (group === '' || !group.includes('=') || group.length > 512) {
        throw new TokenwardError('TW_INPUT_INVALID', {
          message: 'A match is SERVER:GROUP-DN, e.g. corp:cn=vpn,ou=groups,dc=example,dc=com.',
          data: { field: '--match' },
        });
      }
      return { server: match.server, group };
    }),
    radiusAttributes: (input.radiusAttributes ?? []).map((text) => {
      const { name, value } = parseReplyAttribute(text, '--radius-attribute');
      return `${name}=${value}`;
    }),
    autoEnrol: input.autoEnrol ?? false,
    licence: input.licence ?? null,
    twoFactor: input.twoFactor ?? 'enable',
    updatedAt: now,
  };
  if (group.autoEnrol && group.matches.length === 0) {
    throw new TokenwardError('TW_INPUT_INVALID', {
      message:
        'An auto-enrol group enrols the members of directory groups: give at least one --match SERVER:GROUP-DN.',
      data: { field: '--auto-enrol' },
    });
  }
  await ctx.store.transaction(async (tx) => {
    for (const member of group.members) {
      if ((await tx.users.find(member)) === undefined) throw notFound(`User "${member}"`);
    }
    for (const match of group.matches) {
      if ((await tx.ldapServers.find(match.server)) === undefined) {
        throw notFound(`LDAP server "${match.server}"`);
      }
    }
    if (
      group.licence !== null &&
      (await tx.fortitokens.list({ licence: group.licence })).length === 0
    ) {
      throw notFound(`Licence "${group.licence}"`);
    }
    const replaced = await tx.userGroups.save(group);
    await ctx.settings.markChanged(tx, now);
    await audit(
      tx,
      { actor: ADMIN, action: replaced ? 'group.replace' : 'group.add', subject: group.name },
      now,
    );
  });
  ctx.settings.invalidate();
  return group;
}

export function listUserGroups(ctx: GatewayContext): Promise<UserGroup[]> {
  return ctx.store.userGroups.list();
}

export async function removeUserGroup(ctx: GatewayContext, name: string, now: number) {
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.userGroups.remove(name))) throw notFound(`Group "${name}"`);
    await ctx.settings.markChanged(tx, now);
    await audit(tx, { actor: ADMIN, action: 'group.remove', subject: name }, now);
  });
  ctx.settings.invalidate();
}
