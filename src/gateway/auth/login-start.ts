import type { Fortitoken } from '../../store/repositories/fortitoken-repository.js';
import type { User } from '../../store/repositories/user-repository.js';
import type { GatewayPolicy } from '../gateway-settings.js';
import type { AuthContext } from './auth-context.js';
import type { LoginContext } from './auth-outcome.js';
import type { Attempt } from './login-decision.js';

/**
 * The start of every fresh login (password or code alone): the user and their token (one
 * query), the policy, the attempt
 * the decision is logged against, and whether the source is held back by its failures (then
 * nothing else is checked).
 */
export async function startLogin(
  ctx: AuthContext,
  input: { readonly username: string; readonly method: string; readonly context: LoginContext },
): Promise<{
  readonly attempt: Attempt;
  readonly user: User | undefined;
  readonly token: Fortitoken | undefined;
  readonly policy: GatewayPolicy;
  readonly sourceBlocked: boolean;
}> {
  const started = ctx.monotonic();
  const found = await ctx.store.users.findWithToken(input.username);
  const user = found?.user;
  const policy = await ctx.settings.policy();
  const standing = await ctx.regulation.sourceStanding(input.context, policy, ctx.clock());
  const attempt: Attempt = {
    username: input.username,
    method: input.method,
    context: input.context,
    started,
    unproven: input.context.unproven === true,
    ...(user === undefined ? {} : { user }),
    policy,
    sourceFailures: standing.failures,
  };
  return { attempt, user, token: found?.token, policy, sourceBlocked: standing.blockedSeconds > 0 };
}
