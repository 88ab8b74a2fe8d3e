import { isUserLocked } from '../store/repositories/user-repository.js';
import type { GatewayContext } from './context.js';
import { showToken } from './token-admin.js';
import { showUser } from './users.js';

/**
 * A user's page: the user, their token, the user groups they are in (as a local member or
 * enrolled by the group's directory sync), and their last logins.
 */
export async function userDetail(ctx: GatewayContext, name: string, now: number) {
  const user = await showUser(ctx, name);
  const [token, groups, recentLogins] = await Promise.all([
    user.tokenSerial === null ? null : showToken(ctx, user.tokenSerial),
    ctx.store.userGroups.list(),
    ctx.store.authLog.list({ username: user.name, limit: 10 }),
  ]);
  return {
    user: {
      ...user,
      tokenState: token?.state ?? null,
      tokenStatus: token?.status ?? null,
      locked: isUserLocked(user, now),
    },
    token,
    groups: groups
      .filter((group) => group.members.includes(user.name) || user.enrolledBy === group.name)
      .map((group) => group.name),
    recentLogins,
  };
}
