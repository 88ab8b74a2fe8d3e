import { type BackoffPolicy, blockedFor } from '../core/backoff.js';
import type { ConsoleRole } from '../core/console-role.js';
import { TokenwardError } from '../core/errors.js';
import { checkPasswordPolicy, PASSWORD_MIN_LENGTH } from '../core/password-policy.js';
import { hashPassword, verifyPassword } from '../crypto/password-hash.js';
import type { ConsoleAdmin } from '../store/repositories/console-admin-repository.js';
import type { GatewayRepositories } from '../store/store.js';
import { audit, type GatewayContext } from './context.js';

/** Per source address: 5 failures, then 30 s doubling up to 15 min. */
const PER_SOURCE: BackoffPolicy = { limit: 5, baseBlockMs: 30_000, maxBlockMs: 15 * 60_000 };
/** Per admin name, from anywhere: 20 failures, then 60 s doubling up to 15 min. */
const PER_ADMIN: BackoffPolicy = { limit: 20, baseBlockMs: 60_000, maxBlockMs: 15 * 60_000 };
/** A count idle this long starts again. */
const QUIET_MS = 60 * 60_000;

/** What the console shows of an admin (never the password hash). */
export type ConsoleAdminView = Omit<ConsoleAdmin, 'passwordHash'>;

interface SignInAttempt {
  readonly user: string;
  readonly source: string;
  /** Where failures are logged (the request's logger). */
  readonly log: { warn(fields: Record<string, unknown>, message: string): void };
}

const limiterKeys = (attempt: SignInAttempt) => [
  `console-source:${attempt.source}`,
  `console-admin:${attempt.user.slice(0, 64)}`,
];

/** Refuses a source or admin name that failed too often, before anything is checked. */
async function refuseIfBlocked(ctx: GatewayContext, attempt: SignInAttempt, now: number) {
  const [bySource, byAdmin] = await Promise.all(
    limiterKeys(attempt).map((key) => ctx.store.attempts.find(key)),
  );
  const waitMs = Math.max(
    blockedFor(bySource, PER_SOURCE, now),
    blockedFor(byAdmin, PER_ADMIN, now),
  );
  if (waitMs <= 0) return;
  const retryAfter = Math.ceil(waitMs / 1000);
  attempt.log.warn(
    { source: attempt.source, user: attempt.user, retry_after: retryAfter },
    'console sign-in refused: too many failures',
  );
  throw new TokenwardError('TW_RATE_LIMITED', {
    message: `Too many failed sign-ins. Try again in ${retryAfter} seconds.`,
    data: { retry_after: retryAfter },
  });
}

/** Audits the step's outcome; a failure counts against the source and the name. */
async function concludeStep(
  ctx: GatewayContext,
  attempt: SignInAttempt,
  outcome: {
    readonly right: boolean;
    readonly step: 'password' | 'code' | 'push';
    readonly done: boolean;
  },
  now: number,
) {
  const { store } = ctx;
  if (!outcome.right || outcome.done) {
    await store.auditLog.append({
      at: now,
      actor: `console:${attempt.user.slice(0, 64)}`,
      action: 'console.sign-in',
      subject: attempt.source,
      outcome: outcome.right ? 'success' : 'failure',
      detail: { step: outcome.step },
    });
  }
  if (outcome.right) {
    if (outcome.done)
      await Promise.all(limiterKeys(attempt).map((key) => store.attempts.clear(key)));
    return;
  }
  await Promise.all(limiterKeys(attempt).map((key) => store.attempts.fail(key, now, QUIET_MS)));
  attempt.log.warn(
    { source: attempt.source, user: attempt.user, step: outcome.step },
    'console sign-in failed',
  );
  throw new TokenwardError('TW_CONSOLE_SIGN_IN');
}

/**
 * The console's sign-in, first step: the admin's password, behind a limiter per source and per
 * admin name (kept in the store, so every node counts the same failures). An admin with a token
 * user still owes that token's code (`confirmConsoleSignIn`). Every failure is logged and audited.
 */
export async function signInConsoleAdmin(
  ctx: GatewayContext,
  input: SignInAttempt & { readonly password: string },
  now: number,
): Promise<ConsoleAdminView> {
  await refuseIfBlocked(ctx, input, now);
  const admin = await ctx.store.consoleAdmins.find(input.user);
  const right = admin !== undefined && (await verifyPassword(input.password, admin.passwordHash));
  const done = admin?.tokenUser === null;
  await concludeStep(ctx, input, { right, step: 'password', done }, now);
  const { passwordHash: _hash, ...view } = admin as ConsoleAdmin;
  return view;
}

/**
 * The second step: `check` asks the auth engine about the code or push of the admin's token.
 * A wrong code or a denied push counts as a failed sign-in.
 */
export async function confirmConsoleSignIn(
  ctx: GatewayContext,
  input: SignInAttempt & {
    readonly step: 'code' | 'push';
    readonly check: () => Promise<boolean>;
  },
  now: number,
): Promise<void> {
  await refuseIfBlocked(ctx, input, now);
  const right = await input.check();
  await concludeStep(ctx, input, { right, step: input.step, done: true }, now);
}

export interface ConsoleAdminInput {
  readonly name: string;
  /** Required for a new admin; absent keeps the password. */
  readonly password?: string;
  readonly role?: ConsoleRole;
  /** The gateway user whose token is the second factor; null removes it. */
  readonly tokenUser?: string | null;
  /** The field or flag a weak password is reported against. */
  readonly passwordField?: string;
}

/** Adds an admin or changes one; a password change also lifts a sign-in block on the name. */
export async function saveConsoleAdmin(ctx: GatewayContext, input: ConsoleAdminInput, now: number) {
  const passwordHash =
    input.password === undefined ? undefined : await hashPassword(checkedPassword(input));
  await ctx.store.transaction(async (tx) => {
    const old = await tx.consoleAdmins.find(input.name);
    if (input.tokenUser !== undefined && input.tokenUser !== null) {
      await checkTokenUser(tx, input.tokenUser);
    }
    if (old === undefined) {
      if (passwordHash === undefined) {
        throw new TokenwardError('TW_INPUT_INVALID', {
          message: 'A new console admin needs a password.',
          data: { field: 'password' },
        });
      }
      await tx.consoleAdmins.create({
        name: input.name,
        passwordHash,
        role: input.role ?? 'super',
        tokenUser: input.tokenUser ?? null,
        createdAt: now,
        updatedAt: now,
      });
    } else {
      if (old.role === 'super' && input.role !== undefined && input.role !== 'super') {
        await keepOneSuper(tx);
      }
      await tx.consoleAdmins.update(input.name, {
        ...(passwordHash === undefined ? {} : { passwordHash }),
        ...(input.role === undefined ? {} : { role: input.role }),
        ...(input.tokenUser === undefined ? {} : { tokenUser: input.tokenUser }),
        updatedAt: now,
      });
    }
    // Someone guessing the name kept it blocked; the admin whose password was set may sign in.
    if (passwordHash !== undefined) await tx.attempts.clear(`console-admin:${input.name}`);
    await audit(
      tx,
      {
        actor: ctx.actor,
        action: old === undefined ? 'console-admin.add' : 'console-admin.set',
        subject: input.name,
        detail: {
          ...(input.role === undefined ? {} : { role: input.role }),
          ...(input.tokenUser === undefined ? {} : { tokenUser: input.tokenUser }),
          ...(passwordHash === undefined ? {} : { password: 'changed' }),
        },
      },
      now,
    );
  });
}

/** Removes an admin (never the last `super`). */
export async function removeConsoleAdmin(ctx: GatewayContext, name: string, now: number) {
  await ctx.store.transaction(async (tx) => {
    const admin = await tx.consoleAdmins.find(name);
    if (admin === undefined) throw new TokenwardError('TW_CONSOLE_ADMIN_NOT_FOUND');
    if (admin.role === 'super') await keepOneSuper(tx);
    await tx.consoleAdmins.remove(name);
    await audit(tx, { actor: ctx.actor, action: 'console-admin.remove', subject: name }, now);
  });
}

export async function listConsoleAdmins(ctx: GatewayContext): Promise<ConsoleAdminView[]> {
  return (await ctx.store.consoleAdmins.list()).map(({ passwordHash: _hash, ...view }) => view);
}

/** An admin's role and token user as they are now (a change applies to live sessions). */
export async function findConsoleAdmin(
  ctx: GatewayContext,
  name: string,
): Promise<ConsoleAdminView | undefined> {
  const admin = await ctx.store.consoleAdmins.find(name);
  if (admin === undefined) return undefined;
  const { passwordHash: _hash, ...view } = admin;
  return view;
}

/** Whether a console admin has been set (the all-in-one's first start sets one). */
export async function consoleAdminExists(ctx: GatewayContext): Promise<boolean> {
  return (await ctx.store.consoleAdmins.list()).length > 0;
}

function checkedPassword(input: ConsoleAdminInput): string {
  const password = input.password ?? '';
  checkPasswordPolicy(password, {
    minLength: PASSWORD_MIN_LENGTH.admin,
    username: input.name,
    field: input.passwordField ?? 'password',
  });
  return password;
}

async function keepOneSuper(tx: Pick<GatewayRepositories, 'consoleAdmins'>) {
  if ((await tx.consoleAdmins.countSupers()) <= 1)
    throw new TokenwardError('TW_CONSOLE_LAST_SUPER');
}

async function checkTokenUser(tx: Pick<GatewayRepositories, 'users'>, name: string) {
  const user = await tx.users.find(name);
  if (user === undefined || user.twoFactor !== 'fortitoken' || user.tokenSerial === null) {
    throw new TokenwardError('TW_CONSOLE_TOKEN_USER_UNUSABLE', { data: { field: 'tokenUser' } });
  }
}
