import { type BackoffPolicy, blockedFor } from '../core/backoff.js';
import { TokenwardError } from '../core/errors.js';
import { checkPasswordPolicy, PASSWORD_MIN_LENGTH } from '../core/password-policy.js';
import { hashPassword, verifyPassword } from '../crypto/password-hash.js';
import { audit, type GatewayContext } from './context.js';
import { SETTING_KEYS } from './setting-keys.js';

/** Per source address: 5 failures, then 30 s doubling up to 15 min. */
const PER_SOURCE: BackoffPolicy = { limit: 5, baseBlockMs: 30_000, maxBlockMs: 15 * 60_000 };
/** Per admin name, from anywhere: 20 failures, then 60 s doubling up to 15 min. */
const PER_ADMIN: BackoffPolicy = { limit: 20, baseBlockMs: 60_000, maxBlockMs: 15 * 60_000 };
/** A count idle this long starts again. */
const QUIET_MS = 60 * 60_000;

/**
 * The console's sign-in: the admin's password, behind a limiter per source and per admin name
 * (kept in the store, so every node counts the same failures). Every failure is logged and
 * audited; a blocked source or name is refused before any password is checked.
 */
export async function signInConsoleAdmin(
  ctx: GatewayContext,
  input: {
    readonly user: string;
    readonly password: string;
    readonly source: string;
    /** Where failures are logged (the request's logger). */
    readonly log: { warn(fields: Record<string, unknown>, message: string): void };
  },
  now: number,
): Promise<void> {
  const { store } = ctx;
  const keys = [`console-source:${input.source}`, `console-admin:${input.user.slice(0, 64)}`];
  const [bySource, byAdmin] = await Promise.all(keys.map((key) => store.attempts.find(key)));
  const waitMs = Math.max(
    blockedFor(bySource, PER_SOURCE, now),
    blockedFor(byAdmin, PER_ADMIN, now),
  );
  if (waitMs > 0) {
    const retryAfter = Math.ceil(waitMs / 1000);
    input.log.warn(
      { source: input.source, user: input.user, retry_after: retryAfter },
      'console sign-in refused: too many failures',
    );
    throw new TokenwardError('TW_RATE_LIMITED', {
      message: `Too many failed sign-ins. Try again in ${retryAfter} seconds.`,
      data: { retry_after: retryAfter },
    });
  }
  const admin = (await store.settings.get(SETTING_KEYS.consoleAdmin)) as
    | { name: string; passwordHash: string }
    | undefined;
  const right =
    admin !== undefined &&
    (await verifyPassword(input.password, admin.passwordHash)) &&
    input.user === admin.name;
  await store.auditLog.append({
    at: now,
    actor: `console:${input.user.slice(0, 64)}`,
    action: 'console.sign-in',
    subject: input.source,
    outcome: right ? 'success' : 'failure',
  });
  if (right) {
    await Promise.all(keys.map((key) => store.attempts.clear(key)));
    return;
  }
  await Promise.all(keys.map((key) => store.attempts.fail(key, now, QUIET_MS)));
  input.log.warn({ source: input.source, user: input.user }, 'console sign-in failed');
  throw new TokenwardError('TW_CONSOLE_SIGN_IN');
}

/** Sets the console admin's name and password; a reset also lifts a sign-in block on the name. */
export async function setConsoleAdmin(
  ctx: GatewayContext,
  input: { readonly name: string; readonly password: string },
  now: number,
): Promise<void> {
  checkPasswordPolicy(input.password, {
    minLength: PASSWORD_MIN_LENGTH.admin,
    username: input.name,
    field: '--password-stdin',
  });
  const passwordHash = await hashPassword(input.password);
  await ctx.store.transaction(async (tx) => {
    await tx.settings.set(SETTING_KEYS.consoleAdmin, { name: input.name, passwordHash }, now);
    // Someone guessing the name kept it blocked; the admin who reset it may sign in at once.
    await tx.attempts.clear(`console-admin:${input.name}`);
    await audit(tx, { actor: 'admin', action: 'console-admin.set', subject: input.name }, now);
  });
}

/** Whether a console admin has been set (the all-in-one's first start sets one). */
export async function consoleAdminExists(ctx: GatewayContext): Promise<boolean> {
  return (await ctx.store.settings.get(SETTING_KEYS.consoleAdmin)) !== undefined;
}
