import type { AuthMethod } from '../../core/login-terms.js';
import type { AuthSession } from '../../store/repositories/auth-session-repository.js';
import type { Fortitoken } from '../../store/repositories/fortitoken-repository.js';
import { isUserLocked, type User } from '../../store/repositories/user-repository.js';
import type { GatewayPolicy } from '../gateway-settings.js';
import type { AuthContext } from './auth-context.js';
import type { LoginContext } from './auth-outcome.js';
import type { AuthReason } from './auth-reason.js';
import type { Attempt, Decision } from './login-decision.js';
import { newSessionId, sessionHash } from './session-id.js';

type SessionFields = Partial<
  Pick<AuthSession, 'pushNumber' | 'codeEnc' | 'codeExpiresAt' | 'resyncStep' | 'resyncDrift'>
>;

/**
 * Who answers a challenge: the session is bound to the front end (and RADIUS client) it was
 * opened through and to its user, so a RADIUS State cannot be answered over HTTP or from
 * another NAS. The HTTP, RADIUS and CLI front ends always give their context.
 */
export interface ResumeOptions {
  /** The user the front end was told about (RADIUS User-Name); another session's user is refused. */
  readonly username?: string;
  /** The front end and client the answer came through; also the log line's context. */
  readonly context?: LoginContext;
}

export type Resumed =
  | { readonly attempt: Attempt; readonly refusal: Decision }
  | {
      readonly attempt: Attempt;
      readonly refusal?: never;
      readonly session: AuthSession;
      readonly user: User;
      readonly token: Fortitoken | undefined;
      readonly policy: GatewayPolicy;
    };

/** Opens a session for the second factor and stores it. */
export async function openLoginSession(
  ctx: AuthContext,
  user: User,
  context: LoginContext,
  /** The user groups found at this step, for the Accept that ends the challenge. */
  groups: readonly string[],
  fields: (idHash: string) => SessionFields = () => ({}),
): Promise<{ sessionId: string; session: AuthSession }> {
  const sessionId = newSessionId();
  const idHash = sessionHash(sessionId);
  const now = ctx.clock();
  const session: AuthSession = {
    idHash,
    username: user.name,
    method: user.twoFactor as AuthMethod,
    frontEnd: context.frontEnd,
    sourceIp: context.sourceIp ?? null,
    application: context.application ?? null,
    client: context.client ?? null,
    pushNumber: null,
    codeEnc: null,
    codeExpiresAt: null,
    resyncStep: null,
    resyncDrift: null,
    ...fields(idHash),
    createdAt: now,
    expiresAt: now + ctx.sessionMs,
    usedAt: null,
    groups: groups.length === 0 ? null : JSON.stringify(groups),
  };
  await ctx.store.authSessions.create(session);
  return { sessionId, session };
}

/** Consumes a session and loads what the second step needs, or says why it cannot go on. */
export async function resumeLogin(
  ctx: AuthContext,
  sessionId: string,
  method: string,
  { context, username }: ResumeOptions,
): Promise<Resumed> {
  const started = ctx.monotonic();
  const session = await ctx.store.authSessions.consume(sessionHash(sessionId), ctx.clock());
  const attempt: Attempt = {
    username: session?.username ?? '-',
    method,
    context: session === undefined ? (context ?? { frontEnd: 'http' }) : sessionContext(session),
    started,
    unproven: context?.unproven === true,
  };
  const refuse = (reason: AuthReason, known = attempt): Resumed => ({
    attempt: known,
    refusal: { result: 'reject', reason },
  });
  if (session === undefined) return refuse('session-invalid');
  // Every front end says who it is (an in-process caller without a context is trusted).
  if (
    context !== undefined &&
    (context.frontEnd !== session.frontEnd || (context.client ?? null) !== session.client)
  ) {
    ctx.log.warn(
      {
        user: session.username,
        opened: { front_end: session.frontEnd, client: session.client },
        answered: { front_end: context.frontEnd, client: context.client ?? null },
      },
      'login session answered through another front end or client: refused',
    );
    return refuse('session-binding-mismatch');
  }
  if (username !== undefined && username !== session.username) {
    return refuse('session-user-mismatch');
  }
  const found = await ctx.store.users.findWithToken(session.username);
  const user = found?.user;
  const policy = await ctx.settings.policy();
  const known: Attempt = {
    ...attempt,
    method: method === 'otp' ? session.method : method,
    ...(user === undefined ? {} : { user }),
    policy,
  };
  if (user === undefined) return refuse('unknown-user', known);
  const barred = userBarred(user, ctx.clock());
  if (barred !== undefined) return refuse(barred, known);
  return { attempt: known, session, user, token: found?.token, policy };
}

/** The user groups a session carries from its first step. */
export function sessionGroups(session: Pick<AuthSession, 'groups'>): string[] {
  return session.groups === null ? [] : (JSON.parse(session.groups) as string[]);
}

/** Why a user may not log in at all right now, if so. */
export function userBarred(user: User, now: number): AuthReason | undefined {
  if (user.status === 'disable') return 'user-disabled';
  if (isUserLocked(user, now)) return 'user-locked';
  return undefined;
}

function sessionContext(session: AuthSession): LoginContext {
  return {
    frontEnd: session.frontEnd,
    ...(session.sourceIp === null ? {} : { sourceIp: session.sourceIp }),
    ...(session.application === null ? {} : { application: session.application }),
    ...(session.client === null ? {} : { client: session.client }),
  };
}
