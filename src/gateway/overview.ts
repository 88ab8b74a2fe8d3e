import type { GatewayContext } from './context.js';
import { describeTokenServerStatus } from './token-server-status.js';

/**
 * The console dashboard: tokens by state (a locked token counted as `locked`, whatever its
 * state), licence seats (used: held by a user or no longer new), the token server, the last
 * logins. Counted in SQL, so it costs the same at 100 tokens and at 100,000.
 */
export async function gatewayOverview(ctx: GatewayContext) {
  const byState: Record<string, number> = {};
  const licences = new Map<string, { seats: number; used: number }>();
  for (const group of await ctx.store.fortitokens.summary()) {
    const state = group.status === 'lock' ? 'locked' : group.state;
    byState[state] = (byState[state] ?? 0) + group.count;
    const licence = licences.get(group.licence) ?? { seats: 0, used: 0 };
    licences.set(group.licence, licence);
    licence.seats += group.count;
    if (group.held || group.state !== 'new') licence.used += group.count;
  }
  const { word, refusal } = describeTokenServerStatus(await ctx.connection.lastStatus());
  return {
    tokensByState: byState,
    licences: [...licences]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, { seats, used }]) => ({ name, seats, used, free: seats - used })),
    tokenServer: refusal === undefined ? word : `${word}: refused, ${refusal}`,
    recentLogins: await ctx.store.authLog.list({ limit: 10 }),
  };
}
