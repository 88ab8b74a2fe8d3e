import type { AuthContext } from './auth-context.js';
import type { AuthOutcome, LoginContext } from './auth-outcome.js';
import { tokenCodeDecision } from './code-answer.js';
import type { CodeAppended } from './first-factor.js';
import { concludeLogin } from './login-decision.js';
import { userBarred } from './login-session.js';
import { startLogin } from './login-start.js';
import { rehashIfOld } from './password-rehash.js';
import { challengeSecondFactor } from './second-factor.js';

export interface PasswordLogin {
  readonly username: string;
  readonly password: string;
  /** The second factor given with the first (append mode). */
  readonly code?: string;
  /**
   * RADIUS append mode: the code may trail the password (`optional`: or the password may be all
   * there is, and a challenge follows; `required`: it must).
   */
  readonly codeAppended?: CodeAppended;
  readonly context: LoginContext;
}

/**
 * The first factor. With a code (RADIUS append mode: password and code in one request) a
 * FortiToken user is checked in one go; otherwise a user with a second factor gets a challenge.
 */
export async function passwordLogin(ctx: AuthContext, input: PasswordLogin): Promise<AuthOutcome> {
  const { attempt, user, token, policy, sourceBlocked } = await startLogin(ctx, {
    username: input.username,
    method: 'password',
    context: input.context,
  });
  // A source held back by its failures is refused before any password is checked.
  if (sourceBlocked) {
    return concludeLogin(ctx, attempt, { result: 'reject', reason: 'source-blocked' });
  }
  const password = await ctx.firstFactor({
    stored: user?.passwordHash,
    given: input.password,
    codeAppended: input.codeAppended,
    digits: user?.twoFactor === 'fortitoken' ? token?.digits : undefined,
  });
  if (user === undefined) {
    return concludeLogin(ctx, attempt, { result: 'reject', reason: 'unknown-user' });
  }
  if (!password.right && password.hashInvalid === true) {
    ctx.log.error({ user: user.name }, 'stored password hash is malformed: set the password again');
    return concludeLogin(ctx, attempt, { result: 'reject', reason: 'password-hash-invalid' });
  }
  const code = password.right ? (password.code ?? input.code) : input.code;
  const barred = userBarred(user, ctx.clock());
  if (barred !== undefined)
    return concludeLogin(ctx, attempt, { result: 'reject', reason: barred });
  if (!password.right) {
    return concludeLogin(ctx, attempt, {
      result: 'reject',
      reason: 'password-mismatch',
      failure: 'password',
    });
  }
  rehashIfOld(ctx, user, password.password);
  if (user.twoFactor === 'disable') {
    return concludeLogin(ctx, attempt, { result: 'accept', reason: 'password' });
  }
  if (code !== undefined && user.twoFactor === 'fortitoken') {
    return concludeLogin(
      ctx,
      { ...attempt, method: 'fortitoken' },
      await tokenCodeDecision(ctx, { user, code, context: input.context, token }),
    );
  }
  if (input.codeAppended === 'required') {
    return concludeLogin(ctx, attempt, { result: 'reject', reason: 'code-missing' });
  }
  return concludeLogin(
    ctx,
    attempt,
    await challengeSecondFactor(ctx, { user, token }, input.context, policy),
  );
}
