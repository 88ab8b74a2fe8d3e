import type { AuditQuery } from '../store/repositories/audit-log-repository.js';
import type { AuthLogQuery } from '../store/repositories/auth-log-repository.js';
import { COUNT_CAP } from '../store/search-terms.js';
import type { GatewayContext } from './context.js';

const page = (total: number) => ({
  total: Math.min(total, COUNT_CAP),
  totalCapped: total > COUNT_CAP,
});

/** One page of the auth log (newest first) and how many entries match. */
export async function authLogPage(ctx: GatewayContext, query: AuthLogQuery) {
  const [entries, total] = await Promise.all([
    ctx.store.authLog.list(query),
    ctx.store.authLog.count(query),
  ]);
  return { entries, ...page(total) };
}

/** One page of the admin audit trail (newest first) and how many entries match. */
export async function auditPage(ctx: GatewayContext, query: AuditQuery) {
  const [entries, total] = await Promise.all([
    ctx.store.auditLog.list(query),
    ctx.store.auditLog.count(query),
  ]);
  return { entries, ...page(total) };
}
