import type { AuthContext } from './auth-context.js';
import type { AuthOutcome } from './auth-outcome.js';
import { concludeLogin } from './login-decision.js';
import { type ResumeOptions, resumeLogin, sessionGroups } from './login-session.js';
import { pushLogin } from './push-login.js';
import { usableToken } from './usable-token.js';

/** The second factor as a push: asks the phone and waits for the answer. */
export async function answerPush(
  ctx: AuthContext,
  sessionId: string,
  options: ResumeOptions & { readonly signal?: AbortSignal },
): Promise<AuthOutcome> {
  const resumed = await resumeLogin(ctx, sessionId, 'push', options);
  if (resumed.refusal !== undefined) return concludeLogin(ctx, resumed.attempt, resumed.refusal);
  const { attempt, session, user, token, policy } = resumed;
  if (session.method !== 'fortitoken' || !policy.push.enabled) {
    return concludeLogin(ctx, attempt, { result: 'reject', reason: 'push-unavailable' });
  }
  const usable = usableToken(ctx, token);
  if ('reason' in usable) {
    return concludeLogin(ctx, attempt, { result: 'reject', reason: usable.reason });
  }
  try {
    const pushed = await pushLogin({
      connection: ctx.connection,
      token: usable.token,
      seed: usable.seed,
      fortitokens: ctx.store.fortitokens,
      sessionRef: session.idHash.slice(0, 32),
      context: {
        username: user.name,
        sourceIp: session.sourceIp ?? '',
        application: session.application ?? session.frontEnd,
        realm: ctx.node ?? 'tokenward',
        at: ctx.clock(),
      },
      number: session.pushNumber,
      timeoutSeconds: policy.push.timeoutSeconds,
      clock: ctx.clock,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(ctx.metrics === undefined ? {} : { onSent: ctx.metrics.pushSent }),
    });
    const detail = pushed.detail === undefined ? {} : { detail: pushed.detail };
    return concludeLogin(
      ctx,
      attempt,
      pushed.outcome === 'push-approved'
        ? { result: 'accept', reason: pushed.outcome, groups: sessionGroups(session), ...detail }
        : { result: 'reject', reason: pushed.outcome, ...detail },
    );
  } catch (error) {
    return concludeLogin(
      ctx,
      attempt,
      (error as Error).name === 'AbortError'
        ? { result: 'reject', reason: 'push-aborted' }
        : {
            result: 'reject',
            reason: 'token-server-unreachable',
            detail: (error as { code?: string }).code ?? 'error',
          },
    );
  }
}
