import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { AtRestCipher } from '../../crypto/at-rest-cipher.js';
import type { AuthSession } from '../../store/repositories/auth-session-repository.js';
import type { Fortitoken } from '../../store/repositories/fortitoken-repository.js';
import { isUserLocked, type User } from '../../store/repositories/user-repository.js';
import type { AuthMethod } from '../../store/schema.js';
import type { Store } from '../../store/store.js';
import { type GatewayPolicy, readGatewayPolicy } from '../gateway-settings.js';
import type { Notifier } from '../notifier.js';
import type { ProvisionerConnection } from '../provisioner-link.js';
import {
  AUTH_MESSAGES,
  type AuthOutcome,
  type ChallengeMethod,
  type LoginContext,
} from './auth-outcome.js';
import {
  type CodeAppended,
  createFirstFactor,
  type PasswordHasher,
  scryptHasher,
} from './first-factor.js';
import { checkLoginCode, newLoginCode, sealLoginCode } from './login-code.js';
import { createLoginRegulation, type FailureKind } from './login-regulation.js';
import { pushLogin } from './push-login.js';
import { newSessionId, sessionHash } from './session-id.js';
import { checkTokenCode, type PendingResync } from './token-code.js';

export interface AuthEngineDependencies {
  readonly store: Store;
  readonly cipher: AtRestCipher;
  readonly log: Logger;
  readonly notifier: Notifier;
  readonly connection: ProvisionerConnection;
  readonly clock?: () => number;
  /** Monotonic milliseconds, for latencies in the auth log. */
  readonly monotonic?: () => number;
  /** This node's serial, written with each auth log line. */
  readonly node?: string;
  /** How long a challenge waits for its answer (default 120 s). */
  readonly sessionSeconds?: number;
  /** Password hashing (default: scrypt on the thread pool). */
  readonly passwords?: PasswordHasher;
}

/** One decision, before it is told: what happened, and why for the log. */
type Decision =
  | { readonly result: 'accept'; readonly reason: string }
  | {
      readonly result: 'reject';
      readonly reason: string;
      /** A wrong guess (counts towards the lockout), not a refusal of a right answer. */
      readonly failure?: FailureKind;
      readonly message?: string;
    }
  | {
      readonly result: 'challenge';
      readonly reason: string;
      readonly session: AuthSession;
      readonly sessionId: string;
      readonly methods: readonly ChallengeMethod[];
      readonly message: string;
    };

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

interface Attempt {
  readonly username: string;
  readonly method: string;
  readonly context: LoginContext;
  readonly started: number;
  /** The request was not proven authentic: its failures are not counted. */
  readonly unproven: boolean;
  readonly user?: User;
  readonly policy?: GatewayPolicy;
}

type SessionFields = Partial<
  Pick<AuthSession, 'pushNumber' | 'codeEnc' | 'codeExpiresAt' | 'resyncStep' | 'resyncDrift'>
>;

/**
 * The gateway's auth engine (DESIGN section 6): every login, whatever the front end. The first
 * factor is the local password; the second, per the user's `two-factor`, a FortiToken code or a
 * push, or a code sent by e-mail or SMS. Between the two a session carries the login; it is
 * consumed by a compare-and-set, so each works once, on any node.
 */
export function createAuthEngine(deps: AuthEngineDependencies) {
  const { store, cipher, log, notifier, connection } = deps;
  const clock = deps.clock ?? Date.now;
  const monotonic = deps.monotonic ?? (() => performance.now());
  const sessionMs = (deps.sessionSeconds ?? 120) * 1000;
  const firstFactor = createFirstFactor(deps.passwords ?? scryptHasher);
  const regulation = createLoginRegulation(store);

  /** Logs the decision, counts a failure, clears the count on success; returns what to tell. */
  const conclude = async (attempt: Attempt, decision: Decision): Promise<AuthOutcome> => {
    const now = clock();
    const { user, policy } = attempt;
    let reason = decision.reason;
    if (
      decision.result === 'reject' &&
      decision.failure !== undefined &&
      policy !== undefined &&
      !attempt.unproven
    ) {
      const caused = await regulation.recordFailure({
        kind: decision.failure,
        user,
        context: attempt.context,
        policy,
        now,
      });
      for (const effect of caused) reason += `,${effect}`;
    }
    if (decision.result === 'accept') await regulation.recordSuccess(user, attempt.context, now);
    const entry = {
      at: now,
      username: attempt.username,
      sourceIp: attempt.context.sourceIp ?? null,
      frontEnd: attempt.context.frontEnd,
      client: attempt.context.client ?? null,
      method: attempt.method,
      result: decision.result,
      reason,
      latencyMs: Math.round(monotonic() - attempt.started),
      node: deps.node ?? null,
    };
    await store.authLog.append(entry);
    log.info(
      {
        user: entry.username,
        source: entry.sourceIp,
        front_end: entry.frontEnd,
        method: entry.method,
        result: entry.result,
        reason: entry.reason,
        latency_ms: entry.latencyMs,
      },
      'auth',
    );
    switch (decision.result) {
      case 'accept':
        return { result: 'accept', username: attempt.username, reason };
      case 'reject':
        return { result: 'reject', message: decision.message ?? AUTH_MESSAGES.rejected, reason };
      default:
        return {
          result: 'challenge',
          reason,
          sessionId: decision.sessionId,
          methods: decision.methods,
          message: decision.message,
          expiresAt: decision.session.expiresAt,
          ...(decision.session.pushNumber === null ? {} : { number: decision.session.pushNumber }),
        };
    }
  };

  /** Opens a session for the second factor and stores it. */
  const openSession = async (
    user: User,
    context: LoginContext,
    fields: (idHash: string) => SessionFields = () => ({}),
  ) => {
    const sessionId = newSessionId();
    const idHash = sessionHash(sessionId);
    const now = clock();
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
      expiresAt: now + sessionMs,
      usedAt: null,
    };
    await store.authSessions.create(session);
    return { sessionId, session };
  };

  /** The user's token, when it can take a login now, or the reason it cannot. */
  const usableToken = async (
    user: User,
    /** The user's token row when the caller has already read it. */
    read?: Fortitoken,
  ): Promise<{ token: Fortitoken; seed: Uint8Array } | { reason: string }> => {
    const token =
      read ??
      (user.tokenSerial === null ? undefined : await store.fortitokens.find(user.tokenSerial));
    if (token === undefined) return { reason: 'no-token' };
    if (token.status === 'lock') return { reason: 'token-locked' };
    if (token.state !== 'provisioned' || token.seedEnc === null) {
      return { reason: `token-${token.state}` };
    }
    try {
      return { token, seed: cipher.decrypt(token.seedEnc, `fortitoken-seed:${token.serial}`) };
    } catch (error) {
      // Refused like any other failure: a right password must not get a different answer.
      log.error({ serial: token.serial, err: error }, 'token seed cannot be opened');
      return { reason: 'token-seed-unreadable' };
    }
  };

  /** The second step after a right password: a challenge, or a refusal (no way to finish). */
  const challenge = async (
    user: User,
    context: LoginContext,
    policy: GatewayPolicy,
  ): Promise<Decision> => {
    if (user.twoFactor === 'fortitoken') {
      const usable = await usableToken(user);
      if ('reason' in usable) return { result: 'reject', reason: usable.reason };
      const number = policy.push.enabled && policy.push.numberMatching ? randomInt(10, 100) : null;
      const { sessionId, session } = await openSession(user, context, () => ({
        pushNumber: number,
      }));
      return {
        result: 'challenge',
        reason: 'second-factor',
        session,
        sessionId,
        methods: policy.push.enabled ? ['otp', 'push'] : ['otp'],
        message: policy.push.enabled
          ? AUTH_MESSAGES.token + (number === null ? '' : AUTH_MESSAGES.number(number))
          : AUTH_MESSAGES.tokenOnly,
      };
    }
    const channel = user.twoFactor === 'email' ? 'email' : 'sms';
    const to = channel === 'email' ? user.email : user.smsPhone;
    if (to === null) return { result: 'reject', reason: `no-${channel}-address` };
    const code = newLoginCode();
    const validSeconds =
      channel === 'email' ? policy.emailCodeExpirySeconds : policy.smsCodeExpirySeconds;
    const { sessionId, session } = await openSession(user, context, (idHash) => ({
      codeEnc: sealLoginCode(cipher, code, idHash),
      codeExpiresAt: clock() + validSeconds * 1000,
    }));
    try {
      await notifier.loginCode(channel, to, { username: user.name, code, validSeconds });
    } catch (error) {
      log.error({ user: user.name, channel, err: error }, 'login code delivery failed');
      return { result: 'reject', reason: 'delivery-failed' };
    }
    return {
      result: 'challenge',
      reason: 'second-factor',
      session,
      sessionId,
      methods: ['otp'],
      message: channel === 'email' ? AUTH_MESSAGES.email : AUTH_MESSAGES.sms,
    };
  };

  /** Consumes a session and loads what the second step needs, or says why it cannot go on. */
  const resume = async (
    sessionId: string,
    method: string,
    { context, username }: ResumeOptions,
  ): Promise<
    | { attempt: Attempt; refusal: Decision }
    | {
        attempt: Attempt;
        refusal?: never;
        session: AuthSession;
        user: User;
        policy: GatewayPolicy;
      }
  > => {
    const started = monotonic();
    const session = await store.authSessions.consume(sessionHash(sessionId), clock());
    const attempt: Attempt = {
      username: session?.username ?? '-',
      method,
      context: session === undefined ? (context ?? { frontEnd: 'http' }) : sessionContext(session),
      started,
      unproven: context?.unproven === true,
    };
    if (session === undefined) {
      return { attempt, refusal: { result: 'reject', reason: 'session-invalid' } };
    }
    // Every front end says who it is (an in-process caller without a context is trusted).
    if (
      context !== undefined &&
      (context.frontEnd !== session.frontEnd || (context.client ?? null) !== session.client)
    ) {
      log.warn(
        {
          user: session.username,
          opened: { front_end: session.frontEnd, client: session.client },
          answered: { front_end: context.frontEnd, client: context.client ?? null },
        },
        'login session answered through another front end or client: refused',
      );
      return { attempt, refusal: { result: 'reject', reason: 'session-binding-mismatch' } };
    }
    if (username !== undefined && username !== session.username) {
      return { attempt, refusal: { result: 'reject', reason: 'session-user-mismatch' } };
    }
    const user = await store.users.find(session.username);
    const policy = await readGatewayPolicy(store);
    const known: Attempt = {
      ...attempt,
      method: method === 'otp' ? session.method : method,
      ...(user === undefined ? {} : { user }),
      policy,
    };
    if (user === undefined) {
      return { attempt: known, refusal: { result: 'reject', reason: 'unknown-user' } };
    }
    const barred = userBarred(user, clock());
    if (barred !== undefined) {
      return { attempt: known, refusal: { result: 'reject', reason: barred } };
    }
    return { attempt: known, session, user, policy };
  };

  async function tokenCodeDecision(
    user: User,
    code: string,
    context: LoginContext,
    resync?: PendingResync,
    token?: Fortitoken,
  ): Promise<Decision> {
    const usable = await usableToken(user, token);
    if ('reason' in usable) return { result: 'reject', reason: usable.reason };
    const verdict = await checkTokenCode({
      fortitokens: store.fortitokens,
      token: usable.token,
      seed: usable.seed,
      code,
      now: clock(),
      ...(resync === undefined ? {} : { resync }),
    });
    switch (verdict.kind) {
      case 'accept':
        return { result: 'accept', reason: resync === undefined ? 'otp' : 'otp-resynced' };
      case 'replay':
        return {
          result: 'reject',
          reason: 'otp-replay',
          message: AUTH_MESSAGES.wait(verdict.waitSeconds),
        };
      case 'mismatch':
        return { result: 'reject', reason: verdict.reason, failure: 'code' };
      default: {
        const { sessionId, session } = await openSession(user, context, () => ({
          resyncStep: verdict.pending.step,
          resyncDrift: verdict.pending.drift,
        }));
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

  function sentCodeDecision(session: AuthSession, code: string, now: number): Decision {
    switch (checkLoginCode(cipher, session, code, now)) {
      case 'right':
        return { result: 'accept', reason: 'code' };
      case 'expired':
        return { result: 'reject', reason: 'code-expired' };
      default:
        return { result: 'reject', reason: 'code-mismatch', failure: 'code' };
    }
  }

  return {
    /**
     * The first factor. With `code` (RADIUS append mode: password and code in one request) a
     * FortiToken user is checked in one go; otherwise a user with a second factor gets a
     * challenge.
     */
    async login(input: {
      username: string;
      password: string;
      /** The second factor given with the first (append mode). */
      code?: string;
      /**
       * RADIUS append mode: the code may trail the password (`optional`: or the password may
       * be all there is, and a challenge follows; `required`: it must).
       */
      codeAppended?: CodeAppended;
      context: LoginContext;
    }): Promise<AuthOutcome> {
      const started = monotonic();
      const user = await store.users.find(input.username);
      const policy = await readGatewayPolicy(store);
      const attempt: Attempt = {
        username: input.username,
        method: 'password',
        context: input.context,
        started,
        unproven: input.context.unproven === true,
        ...(user === undefined ? {} : { user }),
        policy,
      };
      // A source held back by its failures is refused before any password is checked.
      if ((await regulation.sourceBlockedSeconds(input.context, policy, clock())) > 0) {
        return conclude(attempt, { result: 'reject', reason: 'source-blocked' });
      }
      // Read once: its digits split an appended code, and the code check uses the same row.
      const token =
        input.codeAppended === undefined ||
        user?.twoFactor !== 'fortitoken' ||
        user.tokenSerial === null
          ? undefined
          : await store.fortitokens.find(user.tokenSerial);
      const password = await firstFactor({
        stored: user?.passwordHash,
        given: input.password,
        codeAppended: input.codeAppended,
        digits: token?.digits,
      });
      if (user === undefined)
        return conclude(attempt, { result: 'reject', reason: 'unknown-user' });
      if (!password.right && password.hashInvalid === true) {
        log.error({ user: user.name }, 'stored password hash is malformed: set the password again');
        return conclude(attempt, { result: 'reject', reason: 'password-hash-invalid' });
      }
      const code = password.right ? (password.code ?? input.code) : input.code;
      const barred = userBarred(user, clock());
      if (barred !== undefined) return conclude(attempt, { result: 'reject', reason: barred });
      if (!password.right) {
        return conclude(attempt, {
          result: 'reject',
          reason: 'password-mismatch',
          failure: 'password',
        });
      }
      if (user.twoFactor === 'disable') {
        return conclude(attempt, { result: 'accept', reason: 'password' });
      }
      if (code !== undefined && user.twoFactor === 'fortitoken') {
        return conclude(
          { ...attempt, method: 'fortitoken' },
          await tokenCodeDecision(user, code, input.context, undefined, token),
        );
      }
      if (input.codeAppended === 'required') {
        return conclude(attempt, { result: 'reject', reason: 'code-missing' });
      }
      return conclude(attempt, await challenge(user, input.context, policy));
    },

    /** The second factor as a code: a FortiToken code, or the code sent by e-mail or SMS. */
    async answerCode(
      sessionId: string,
      code: string,
      options: ResumeOptions = {},
    ): Promise<AuthOutcome> {
      const resumed = await resume(sessionId, 'otp', options);
      if (resumed.refusal !== undefined) return conclude(resumed.attempt, resumed.refusal);
      const { attempt, session, user } = resumed;
      if (session.method !== 'fortitoken') {
        return conclude(attempt, sentCodeDecision(session, code, clock()));
      }
      const pending =
        session.resyncStep === null || session.resyncDrift === null
          ? undefined
          : { step: session.resyncStep, drift: session.resyncDrift };
      return conclude(attempt, await tokenCodeDecision(user, code, attempt.context, pending));
    },

    /** The second factor as a push: asks the phone and waits for the answer. */
    async answerPush(
      sessionId: string,
      options: ResumeOptions & { signal?: AbortSignal } = {},
    ): Promise<AuthOutcome> {
      const resumed = await resume(sessionId, 'push', options);
      if (resumed.refusal !== undefined) return conclude(resumed.attempt, resumed.refusal);
      const { attempt, session, user, policy } = resumed;
      if (session.method !== 'fortitoken' || !policy.push.enabled) {
        return conclude(attempt, { result: 'reject', reason: 'push-unavailable' });
      }
      const usable = await usableToken(user);
      if ('reason' in usable) return conclude(attempt, { result: 'reject', reason: usable.reason });
      try {
        const pushed = await pushLogin({
          connection,
          token: usable.token,
          seed: usable.seed,
          fortitokens: store.fortitokens,
          sessionRef: session.idHash.slice(0, 32),
          context: {
            username: user.name,
            sourceIp: session.sourceIp ?? '',
            application: session.application ?? session.frontEnd,
            realm: deps.node ?? 'tokenward',
            at: clock(),
          },
          number: session.pushNumber,
          timeoutSeconds: policy.push.timeoutSeconds,
          clock,
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        });
        const reason =
          pushed.detail === undefined ? pushed.outcome : `${pushed.outcome}:${pushed.detail}`;
        return conclude(
          attempt,
          pushed.outcome === 'push-approved'
            ? { result: 'accept', reason }
            : { result: 'reject', reason },
        );
      } catch (error) {
        const reason =
          (error as Error).name === 'AbortError'
            ? 'push-aborted'
            : `token-server-unreachable:${(error as { code?: string }).code ?? 'error'}`;
        return conclude(attempt, { result: 'reject', reason });
      }
    },

    /** Deletes sessions that ended more than a minute ago; returns how many. */
    sweepSessions: () => store.authSessions.deleteEnded(clock() - 60_000),
  };
}

function sessionContext(session: AuthSession): LoginContext {
  return {
    frontEnd: session.frontEnd,
    ...(session.sourceIp === null ? {} : { sourceIp: session.sourceIp }),
    ...(session.application === null ? {} : { application: session.application }),
    ...(session.client === null ? {} : { client: session.client }),
  };
}

/** Why a user may not log in at all right now, if so. */
function userBarred(user: User, now: number): string | undefined {
  if (user.status === 'disable') return 'user-disabled';
  if (isUserLocked(user, now)) return 'user-locked';
  return undefined;
}

export type AuthEngine = ReturnType<typeof createAuthEngine>;
