import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { AtRestCipher } from '../../crypto/at-rest-cipher.js';
import type { GatewayStore } from '../../store/store.js';
import { createLdapDirectory, type LdapDirectory } from '../directory/ldap-directory.js';
import type { GatewayMetrics } from '../gateway-metrics.js';
import { createGatewaySettings, type GatewaySettings } from '../gateway-settings.js';
import type { Notifier } from '../notifier.js';
import type { ProvisionerConnection } from '../provisioner-link.js';
import type { AuthContext } from './auth-context.js';
import { createAuthLogWriter } from './auth-log-writer.js';
import { answerCode } from './code-answer.js';
import { type CodeLogin, codeLogin } from './code-login.js';
import { createFirstFactor, defaultHasher, type PasswordHasher } from './first-factor.js';
import { createGroupConfig } from './group-membership.js';
import { createHashPool, type HashPoolLimits } from './hash-pool.js';
import { createLoginRegulation } from './login-regulation.js';
import type { ResumeOptions } from './login-session.js';
import { type PasswordLogin, passwordLogin } from './password-login.js';
import { answerPush } from './push-answer.js';
import { secondFactorLogin } from './second-factor-login.js';

export type { ResumeOptions } from './login-session.js';

export interface AuthEngineDependencies {
  readonly store: GatewayStore;
  readonly cipher: AtRestCipher;
  readonly log: Logger;
  readonly notifier: Notifier;
  readonly connection: ProvisionerConnection;
  readonly clock?: () => number;
  /** Monotonic milliseconds, for latencies in the auth log. */
  readonly monotonic?: () => number;
  /** This node's serial, written with each auth log line. */
  readonly node?: string | undefined;
  /** How long a challenge waits for its answer (default 120 s). */
  readonly sessionSeconds?: number;
  /** Password hashing (default: argon2id on the thread pool). */
  readonly passwords?: PasswordHasher | undefined;
  /** How many hashes run and wait at once (default: one per core, 64 waiting). */
  readonly hashPool?: HashPoolLimits;
  /** Shared with the gateway of the same node, so a settings change applies at once. */
  readonly settings?: GatewaySettings;
  /** Shared with the gateway of the same node (one back-off state per LDAP host). */
  readonly directory?: LdapDirectory;
  /** The node's /metrics: every decision counted. */
  readonly metrics?: GatewayMetrics;
}

/**
 * The gateway's auth engine (DESIGN section 6): every login, whatever the front end. The first
 * factor is the local password; the second, per the user's `two-factor`, a FortiToken code or a
 * push, or a code sent by e-mail or SMS. Between the two a session carries the login; it is
 * consumed by a compare-and-set, so each works once, on any node.
 */
export function createAuthEngine(deps: AuthEngineDependencies) {
  const clock = deps.clock ?? Date.now;
  const passwords = createHashPool(deps.passwords ?? defaultHasher, deps.hashPool);
  const settings = deps.settings ?? createGatewaySettings(deps.store);
  const ctx: AuthContext = {
    store: deps.store,
    cipher: deps.cipher,
    log: deps.log,
    notifier: deps.notifier,
    connection: deps.connection,
    settings,
    clock,
    monotonic: deps.monotonic ?? (() => performance.now()),
    node: deps.node,
    sessionMs: (deps.sessionSeconds ?? 120) * 1000,
    firstFactor: createFirstFactor(passwords),
    passwords,
    regulation: createLoginRegulation(deps.store),
    authLog: createAuthLogWriter(deps.store),
    groups: createGroupConfig(deps.store, settings),
    directory: deps.directory ?? createLdapDirectory({ log: deps.log, clock }),
    metrics: deps.metrics,
  };
  return {
    login: (input: PasswordLogin) => passwordLogin(ctx, input),
    /** The code alone (a RADIUS client in `otp-mode token` checked the password itself). */
    loginWithCode: (input: CodeLogin) => codeLogin(ctx, input),
    /** The FortiToken challenge alone (the caller checked the first factor): code or push. */
    secondFactorLogin: (input: Parameters<typeof secondFactorLogin>[1]) =>
      secondFactorLogin(ctx, input),
    answerCode: (sessionId: string, code: string, options: ResumeOptions = {}) =>
      answerCode(ctx, sessionId, code, options),
    answerPush: (sessionId: string, options: ResumeOptions & { signal?: AbortSignal } = {}) =>
      answerPush(ctx, sessionId, options),
    /** Deletes sessions that ended more than a minute ago; returns how many. */
    sweepSessions: () => ctx.store.authSessions.deleteEnded(clock() - 60_000),
  };
}

export type AuthEngine = ReturnType<typeof createAuthEngine>;
