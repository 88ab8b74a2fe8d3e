import type { AuthSession } from '../../store/repositories/auth-session-repository.js';
import type { Fortitoken } from '../../store/repositories/fortitoken-repository.js';
import type { User } from '../../store/repositories/user-repository.js';
import type { AuthContext } from './auth-context.js';
import { AUTH_MESSAGES, type AuthOutcome, type LoginContext } from './auth-outcome.js';
import { checkLoginCode } from './login-code.js';
import { concludeLogin, type Decision } from './login-decision.js';
import {
  openLoginSession,
  type ResumeOptions,
  resumeLogin,
  sessionGroups,
} from './login-session.js';
import { checkTokenCode, type PendingResync } from './token-code.js';
import { usableToken } from './usable-token.js';

/** The second factor as a code: a FortiToken code, or the code sent by e-mail or SMS. */
export async function answerCode(
  ctx: AuthContext,
  sessionId: string,
  code: string,
  options: ResumeOptions,
): Promise<AuthOutcome> {
  const resumed = await resumeLogin(ctx, sessionId, 'otp', options);
  if (resumed.refusal !== undefined) return concludeLogin(ctx, resumed.attempt, resumed.refusal);
  const { attempt, session, user, token } = resumed;
  if (session.method !== 'fortitoken') {
    return concludeLogin(ctx, attempt, sentCodeDecision(ctx, session, code));
  }
  const pending =
    session.resyncStep === null || session.resyncDrift === null
      ? undefined
      : { step: session.resyncStep, drift: session.resyncDrift };
  return concludeLogin(
    ctx,
    attempt,
    await tokenCodeDecision(ctx, {
      user,
      token,
      code,
      context: attempt.context,
      resync: pending,
      groups: sessionGroups(session),
    }),
  );
}

/** A FortiToken code: accepted once per step; a drifted token is asked for its next code. */
export async function tokenCodeDecision(
  ctx: AuthContext,
  input: {
    readonly user: User;
    readonly code: string;
    readonly context: LoginContext;
    readonly resync?: PendingResync | undefined;
    /** The user's token, read with the user. */
    readonly token: Fortitoken | undefined;
    /** The user groups found for the user: the Accept's, and a resync session's. */
    readonly groups: readonly string[];
  },
): Promise<Decision> {
  const { user, code, context, resync } = input;
  const usable = usableToken(ctx, input.token);
  if ('reason' in usable) return { result: 'reject', reason: usable.reason };
  const verdict = await checkTokenCode({
    fortitokens: ctx.store.fortitokens,
    token: usable.token,
    seed: usable.seed,
    code,
    now: ctx.clock(),
    ...(resync === undefined ? {} : { resync }),
  });
  switch (verdict.kind) {
    case 'accept':
      return {
        result: 'accept',
        reason: resync === undefined ? 'otp' : 'otp-resynced',
        groups: input.groups,
      };
    case 'replay':
      return {
        result: 'reject',
        reason: 'otp-replay',
        message: AUTH_MESSAGES.wait(verdict.waitSeconds),
      };
    case 'mismatch':
      return { result: 'reject', reason: verdict.reason, failure: 'code' };
    default: {
      const { sessionId, session } = await openLoginSession(
        ctx,
        user,
        context,
        input.groups,
        () => ({
          resyncStep: verdict.pending.step,
          resyncDrift: verdict.pending.drift,
        }),
      );
      return {
        result: 'challenge',
        reason: 'clock-drift',
        session,
        sessionId,
        methods: ['otp'],
        message: AUTH_MESSAGES.resync,
      };
    }
  }
}

function sentCodeDecision(ctx: AuthContext, session: AuthSession, code: string): Decision {
  switch (checkLoginCode(ctx.cipher, session, code, ctx.clock())) {
    case 'right':
      return { result: 'accept', reason: 'code', groups: sessionGroups(session) };
    case 'expired':
      return { result: 'reject', reason: 'code-expired' };
    default:
      return { result: 'reject', reason: 'code-mismatch', failure: 'code' };
  }
}
