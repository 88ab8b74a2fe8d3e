import { TokenwardError } from '../core/errors.js';
import { isUserLocked } from '../store/repositories/user-repository.js';
import type { FoundUser, UserSearch } from '../store/repositories/user-search.js';
import type { GatewayContext } from './context.js';

export type UserQuery = Omit<UserSearch, 'group'> & { readonly group?: string };

/** One page of the users table; a user group given by name (unknown: a clear error). */
export async function findUsers(ctx: GatewayContext, query: UserQuery, now: number) {
  const { group: groupName, ...rest } = query;
  let search: UserSearch = rest;
  if (groupName !== undefined) {
    const group = (await ctx.store.userGroups.list()).find((g) => g.name === groupName);
    if (group === undefined) {
      throw new TokenwardError('TW_INPUT_INVALID', {
        message: `No user group is named "${groupName}". Choose one of the groups listed.`,
        data: { field: 'group' },
      });
    }
    search = { ...rest, group: { name: group.name, members: group.members } };
  }
  const page = await ctx.store.users.search(search, now);
  return {
    ...page,
    users: page.users.map((user: FoundUser) => ({ ...user, locked: isUserLocked(user, now) })),
  };
}
