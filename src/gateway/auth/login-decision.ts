import type { AuthSession } from '../../store/repositories/auth-session-repository.js';
import type { User } from '../../store/repositories/user-repository.js';
import type { GatewayPolicy } from '../gateway-settings.js';
import type { AuthContext } from './auth-context.js';
import {
  AUTH_MESSAGES,
  type AuthOutcome,
  type ChallengeMethod,
  type LoginContext,
} from './auth-outcome.js';
import type { AuthReason } from './auth-reason.js';
import { replyAttributesOf } from './group-membership.js';
import type { FailureKind } from './login-regulation.js';

/** One decision, before it is told: what happened, and why for the log. */
export type Decision = (
  | {
      readonly result: 'accept';
      /** The user groups found for the user (at the first step, carried by the session). */
      readonly groups?: readonly string[];
    }
  | {
      readonly result: 'reject';
      /** A wrong guess (counts towards the lockout), not a refusal of a right answer. */
      readonly failure?: FailureKind;
      readonly message?: string;
    }
  | {
      readonly result: 'challenge';
      readonly session: AuthSession;
      readonly sessionId: string;
      readonly methods: readonly ChallengeMethod[];
      readonly message: string;
    }
) & {
  readonly reason: AuthReason;
  /** An error code that says more (the provisioner's, the network's), logged as `reason:detail`. */
  readonly detail?: string;
};

/** A login in progress: who, how, from where, and what is known of the user so far. */
export interface Attempt {
  readonly username: string;
  readonly method: string;
  readonly context: LoginContext;
  readonly started: number;
  /** The request was not proven authentic: its failures are not counted. */
  readonly unproven: boolean;
  readonly user?: User;
  readonly policy?: GatewayPolicy;
  /** Whether the source had failures on record when the login started (unknown: cleared anyway). */
  readonly sourceFailures?: boolean;
}

/**
 * Ends a login: counts a failure or clears the count, writes the one auth log entry and the one
 * log line of the decision, and returns what the front end tells.
 */
export async function concludeLogin(
  ctx: AuthContext,
  attempt: Attempt,
  decision: Decision,
): Promise<AuthOutcome> {
  const now = ctx.clock();
  const { user, policy } = attempt;
  let reason: string =
    decision.detail === undefined ? decision.reason : `${decision.reason}:${decision.detail}`;
  if (
    decision.result === 'reject' &&
    decision.failure !== undefined &&
    policy !== undefined &&
    !attempt.unproven
  ) {
    const caused = await ctx.regulation.recordFailure({
      kind: decision.failure,
      user,
      context: attempt.context,
      policy,
      now,
    });
    for (const effect of caused) reason += `,${effect}`;
  }
  if (decision.result === 'accept') {
    await ctx.regulation.recordSuccess(user, attempt.context, now, attempt.sourceFailures);
  }
  const entry = {
    at: now,
    username: attempt.username,
    sourceIp: attempt.context.sourceIp ?? null,
    frontEnd: attempt.context.frontEnd,
    client: attempt.context.client ?? null,
    method: attempt.method,
    result: decision.result,
    reason,
    latencyMs: Math.round(ctx.monotonic() - attempt.started),
    node: ctx.node ?? null,
  };
  await ctx.authLog.write(entry);
  ctx.metrics?.login({
    result: entry.result,
    frontEnd: entry.frontEnd,
    method: entry.method,
    reason: decision.reason,
    seconds: (ctx.monotonic() - attempt.started) / 1000,
  });
  if (ctx.log.isLevelEnabled('info')) {
    ctx.log.info(
      {
        user: entry.username,
        source: entry.sourceIp,
        front_end: entry.frontEnd,
        client: entry.client,
        method: entry.method,
        result: entry.result,
        reason: entry.reason,
        latency_ms: entry.latencyMs,
      },
      'auth',
    );
  }
  switch (decision.result) {
    case 'accept': {
      const groups = decision.groups ?? [];
      return {
        result: 'accept',
        username: attempt.username,
        reason,
        groups,
        replyAttributes:
          groups.length === 0 ? [] : replyAttributesOf(await ctx.groups.all(), groups),
      };
    }
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
}
