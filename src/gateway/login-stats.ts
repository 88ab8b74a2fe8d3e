import type { AuthResult } from '../core/login-terms.js';
import type { GatewayContext } from './context.js';

const HOUR_MS = 3_600_000;
const TOP = 5;

/**
 * The dashboard's chart and lists: logins per hour by result over the last `hours` (every hour
 * present, empty ones as zeros, oldest first), and the users and sources most often rejected.
 */
export async function loginStats(ctx: GatewayContext, hours: number, now: number) {
  const end = now - (now % HOUR_MS) + HOUR_MS;
  const since = end - hours * HOUR_MS;
  const [counts, users, sources] = await Promise.all([
    ctx.store.authLog.perHour(since, end),
    ctx.store.authLog.topRejected('username', since, TOP),
    ctx.store.authLog.topRejected('sourceIp', since, TOP),
  ]);
  const perHour = Array.from({ length: hours }, (_, i) => ({
    hour: since + i * HOUR_MS,
    accept: 0,
    reject: 0,
    challenge: 0,
  }));
  for (const { hour, result, count } of counts) {
    const slot = perHour[(hour - since) / HOUR_MS];
    if (slot !== undefined) slot[result satisfies AuthResult] += count;
  }
  return { since, perHour, topRejectedUsers: users, topRejectedSources: sources };
}
