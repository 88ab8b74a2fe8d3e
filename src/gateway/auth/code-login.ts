import type { AuthContext } from './auth-context.js';
import type { AuthOutcome, LoginContext } from './auth-outcome.js';
import { tokenCodeDecision } from './code-answer.js';
import { type Attempt, concludeLogin } from './login-decision.js';
import { userBarred } from './login-session.js';

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
  const started = ctx.monotonic();
  const user = await ctx.store.users.find(input.username);
  const policy = await ctx.settings.policy();
  const attempt: Attempt = {
    username: input.username,
    method: 'fortitoken',
    context: input.context,
    started,
    unproven: input.context.unproven === true,
    ...(user === undefined ? {} : { user }),
    policy,
  };
  if ((await ctx.regulation.sourceBlockedSeconds(input.context, policy, ctx.clock())) > 0) {
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
  return concludeLogin(
    ctx,
    attempt,
    await tokenCodeDecision(ctx, { user, code: input.code, context: input.context }),
  );
}
