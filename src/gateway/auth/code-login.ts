import type { AuthContext } from './auth-context.js';
import type { AuthOutcome, LoginContext } from './auth-outcome.js';
import { tokenCodeDecision } from './code-answer.js';
import { concludeLogin } from './login-decision.js';
import { startTokenOnlyLogin } from './token-only-start.js';

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
  const started = await startTokenOnlyLogin(ctx, input);
  if ('refused' in started) return started.refused;
  const { attempt, user, token, groups } = started;
  return concludeLogin(
    ctx,
    attempt,
    await tokenCodeDecision(ctx, { user, token, code: input.code, context: input.context, groups }),
  );
}
