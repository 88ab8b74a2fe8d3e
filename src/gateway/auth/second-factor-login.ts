import type { AuthContext } from './auth-context.js';
import type { AuthOutcome, LoginContext } from './auth-outcome.js';
import { concludeLogin } from './login-decision.js';
import { challengeSecondFactor } from './second-factor.js';
import { startTokenOnlyLogin } from './token-only-start.js';

/**
 * A login whose first factor was checked elsewhere (the console checked its admin's own
 * password): straight to the FortiToken challenge, whose session the caller answers with a
 * code or a push. A refusal is logged like any login's.
 */
export async function secondFactorLogin(
  ctx: AuthContext,
  input: { readonly username: string; readonly context: LoginContext },
): Promise<AuthOutcome> {
  const started = await startTokenOnlyLogin(ctx, input);
  if ('refused' in started) return started.refused;
  const { attempt, user, token, policy, groups } = started;
  return concludeLogin(
    ctx,
    attempt,
    await challengeSecondFactor(ctx, { user, token }, input.context, policy, groups),
  );
}
