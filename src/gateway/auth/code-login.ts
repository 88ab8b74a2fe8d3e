import type { AuthContext } from './auth-context.js';
import type { AuthOutcome, LoginContext } from './auth-outcome.js';
import { tokenCodeDecision } from './code-answer.js';
import { groupsAdmitted, groupsOf } from './group-membership.js';
import { concludeLogin } from './login-decision.js';
import { userBarred } from './login-session.js';
import { startLogin } from './login-start.js';

export interface CodeLogin {
  readonly username: string;
  /** The FortiToken code, and nothing else: the password was checked before it came here. */
  readonly code: string;
  readonly context: LoginContext;
}

/**
 * A login by code alone, for a RADIUS client in `otp-mode token`: the NAS checked the password
 * itself (against a directory, typically) and sends only the code. No password hash is made; a
 * wrong code counts towards the lockout as after a password. Only FortiToken users can log in so.
 */
export async function codeLogin(ctx: AuthContext, input: CodeLogin): Promise<AuthOutcome> {
  const { attempt, user, token, sourceBlocked } = await startLogin(ctx, {
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
  // No bind here (the NAS checked the password): local memberships only.
  const groups = groupsOf(await ctx.groups.all(), user, []);
  if (!groupsAdmitted(input.context, groups)) {
    return concludeLogin(ctx, attempt, { result: 'reject', reason: 'group-not-allowed' });
  }
  return concludeLogin(
    ctx,
    attempt,
    await tokenCodeDecision(ctx, { user, token, code: input.code, context: input.context, groups }),
  );
}
