import type { Fortitoken } from '../../store/repositories/fortitoken-repository.js';
import type { User } from '../../store/repositories/user-repository.js';
import type { GatewayPolicy } from '../gateway-settings.js';
import type { AuthContext } from './auth-context.js';
import type { AuthOutcome, LoginContext } from './auth-outcome.js';
import type { AuthReason } from './auth-reason.js';
import { groupsAdmitted, groupsOf } from './group-membership.js';
import { type Attempt, concludeLogin } from './login-decision.js';
import { userBarred } from './login-session.js';
import { startLogin } from './login-start.js';

/**
 * The start of a login whose password was checked elsewhere (a NAS in `otp-mode token`, the
 * console's own admin password): the user must exist, be allowed in, use a FortiToken and be
 * in an allowed group (local memberships only: there was no bind). A refusal is concluded here.
 */
export async function startTokenOnlyLogin(
  ctx: AuthContext,
  input: { readonly username: string; readonly context: LoginContext },
): Promise<
  | { readonly refused: AuthOutcome }
  | {
      readonly attempt: Attempt;
      readonly user: User;
      readonly token: Fortitoken | undefined;
      readonly policy: GatewayPolicy;
      readonly groups: string[];
    }
> {
  const { attempt, user, token, policy, sourceBlocked } = await startLogin(ctx, {
    username: input.username,
    method: 'fortitoken',
    context: input.context,
  });
  const refuse = async (reason: AuthReason) => ({
    refused: await concludeLogin(ctx, attempt, { result: 'reject', reason }),
  });
  if (sourceBlocked) return refuse('source-blocked');
  if (user === undefined) return refuse('unknown-user');
  const barred = userBarred(user, ctx.clock());
  if (barred !== undefined) return refuse(barred);
  if (user.twoFactor !== 'fortitoken') return refuse('token-only-unsupported');
  const groups = groupsOf(await ctx.groups.all(), user, []);
  if (!groupsAdmitted(input.context, groups)) return refuse('group-not-allowed');
  return { attempt, user, token, policy, groups };
}
