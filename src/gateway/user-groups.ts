import type { UserGroup } from '../store/repositories/user-group-repository.js';
import { notFound } from '../store/unique-violation.js';
import { audit, type GatewayContext } from './context.js';
import { newUserGroup, type UserGroupInput } from './new-user-group.js';

export type { UserGroupInput } from './new-user-group.js';

/** Adds a user group, or replaces the one of that name; members and servers must exist. */
export async function saveUserGroup(
  ctx: GatewayContext,
  input: UserGroupInput,
  now: number,
): Promise<UserGroup> {
  const group = newUserGroup(input, now);
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
      { actor: ctx.actor, action: replaced ? 'group.replace' : 'group.add', subject: group.name },
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
    await audit(tx, { actor: ctx.actor, action: 'group.remove', subject: name }, now);
  });
  ctx.settings.invalidate();
}
