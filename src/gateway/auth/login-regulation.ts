import { type BackoffPolicy, blockedFor } from '../../core/backoff.js';
import type { User } from '../../store/repositories/user-repository.js';
import type { GatewayRepositories } from '../../store/store.js';
import type { GatewayPolicy } from '../gateway-settings.js';
import type { LoginContext } from './auth-outcome.js';

/** What failed: a password (anyone can send one), or a code after the right password. */
export type FailureKind = 'password' | 'code';

/** A source's failures are forgotten after this long without one. */
const SOURCE_QUIET_MS = 60 * 60_000;

/**
 * Who is held back after failed logins (as Authelia's regulation does it): the source first,
 * the user only later. A source (the user's address as the front end reports it) is blocked
 * after `auth-lockout-threshold` failures, for `auth-lockout-duration` (or 60 s when that is 0),
 * doubling with each further failure up to an hour. The user is locked after
 * `auth-lockout-threshold` failures of which at least one was a wrong code after the right
 * password, or after `auth-lockout-user-threshold` wrong passwords from anywhere; so strangers
 * guessing passwords block themselves long before they lock the user out. Failures whose
 * authenticity was not proven (a RADIUS packet without Message-Authenticator) count for nobody.
 */
export function createLoginRegulation(store: Pick<GatewayRepositories, 'attempts' | 'users'>) {
  const sourceKey = (context: LoginContext) =>
    context.sourceIp === undefined ? undefined : `login-source:${context.sourceIp}`;
  const sourcePolicy = (policy: GatewayPolicy): BackoffPolicy => {
    const baseBlockMs = (policy.lockout.durationSeconds || 60) * 1000;
    return {
      limit: policy.lockout.threshold,
      baseBlockMs,
      maxBlockMs: Math.max(baseBlockMs, 60 * 60_000),
    };
  };

  return {
    /**
     * Seconds the source must wait before its next login (0 when it may try now), and whether
     * it has failures on record (a success then clears them; else there is nothing to clear).
     */
    async sourceStanding(context: LoginContext, policy: GatewayPolicy, now: number) {
      const key = sourceKey(context);
      if (key === undefined) return { blockedSeconds: 0, failures: false };
      const count = await store.attempts.find(key);
      const waitMs = blockedFor(count, sourcePolicy(policy), now);
      return { blockedSeconds: Math.ceil(waitMs / 1000), failures: count !== undefined };
    },

    /** Counts a failure; returns what it caused, for the log's reason (`source-blocked`, `locked-out`). */
    async recordFailure(input: {
      readonly kind: FailureKind;
      readonly user: User | undefined;
      readonly context: LoginContext;
      readonly policy: GatewayPolicy;
      readonly now: number;
    }): Promise<string[]> {
      const { kind, user, context, policy, now } = input;
      const caused: string[] = [];
      const key = sourceKey(context);
      if (kind === 'password' && key !== undefined) {
        const count = await store.attempts.fail(key, now, SOURCE_QUIET_MS);
        if (blockedFor(count, sourcePolicy(policy), now) > 0) caused.push('source-blocked');
      }
      if (user !== undefined) {
        const threshold =
          kind === 'code' ? policy.lockout.threshold : policy.lockout.userPasswordThreshold;
        const counted = await store.users.recordFailure(
          user.name,
          { threshold, durationSeconds: policy.lockout.durationSeconds },
          now,
        );
        if (counted?.locked === true) caused.push('locked-out');
      }
      return caused;
    },

    /**
     * A success clears the user's count and the source's (unless the login read the source's
     * standing and found no failures: no write for the usual login).
     */
    async recordSuccess(
      user: User | undefined,
      context: LoginContext,
      now: number,
      sourceFailures = true,
    ) {
      const key = sourceKey(context);
      if (key !== undefined && sourceFailures) await store.attempts.clear(key);
      if (user !== undefined && (user.failCount > 0 || user.lockedAt !== null)) {
        await store.users.unlock(user.name, now);
      }
    },
  };
}

export type LoginRegulation = ReturnType<typeof createLoginRegulation>;
