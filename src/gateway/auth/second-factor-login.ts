import type { AuthContext } from './auth-context.js';
import type { AuthOutcome, LoginContext } from './auth-outcome.js';
import { groupsOf } from './group-membership.js';
import { concludeLogin } from './login-decision.js';
import { userBarred } from './login-session.js';
import { startLogin } from './login-start.js';
import { challengeSecondFactor } from './second-factor.js';

/**
 * A login whose first factor was checked elsewhere (the console checked its admin's own
 * password): straight to the FortiToken challenge, whose session the caller answers with a
 * code or a push. Only FortiToken users; a refusal is logged like any login's.
 */
export async function secondFactorLogin(
  ctx: AuthContext,
  input: { readonly username: string; readonly context: LoginContext },
): Promise<AuthOutcome> {
  const { attempt, user, token, policy, sourceBlocked } = await startLogin(ctx, {
    username: input.username,
    method: 'fortitoken',
    context: input.context,
  });
  if (sourceBlocked) {
    return concludeLogin(ctx, attempt, { result: 'reject', reason: 'source-blocked' });
  }
  if (user === undefined) {
    return concludeLogin(ctx, attempt, { result: 'reject', reason: 'unknown-user' });
  }
  const barred = userBarred(user, ctx.clock());
  if (barred !== undefined)
    return concludeLogin(ctx, attempt, { result: 'reject', reason: barred });
  if (user.twoFactor !== 'fortitoken') {
    return concludeLogin(ctx, attempt, { result: 'reject', reason: 'token-only-unsupported' });
  }
  const groups = groupsOf(await ctx.groups.all(), user, []);
  return concludeLogin(
    ctx,
    attempt,
    await challengeSecondFactor(ctx, { user, token }, input.context, policy, groups),
  );
}
