import type { AuthResult } from '../core/login-terms.js';
import type { AuthLogEntry } from '../store/repositories/auth-log-repository.js';
import type { GatewayContext } from './context.js';

const DAY_MS = 86_400_000;

/** Recent login decisions, newest first. */
export function listAuthLog(
  ctx: GatewayContext,
  filter: { readonly username?: string; readonly result?: AuthResult; readonly limit: number },
): Promise<AuthLogEntry[]> {
  return ctx.store.authLog.list(filter);
}

/**
 * Forgets what is kept only for a while: auth and audit log entries older than
 * `log setting retention-days` (default 90), failure counts idle for a day, login sessions
 * that ended more than a minute ago.
 */
export async function sweepRecords(ctx: GatewayContext, now: number) {
  const keepFrom = now - (await ctx.settings.policy()).logRetentionDays * DAY_MS;
  return {
    authLog: await ctx.store.authLog.deleteBefore(keepFrom),
    auditLog: await ctx.store.auditLog.deleteBefore(keepFrom),
    attempts: await ctx.store.attempts.deleteIdle(now - DAY_MS),
    sessions: await ctx.store.authSessions.deleteEnded(now - 60_000),
  };
}
