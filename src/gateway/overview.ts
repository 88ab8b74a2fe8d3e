import type { GatewayContext } from './context.js';
import { describeTokenServerStatus } from './token-server-status.js';

/** The console dashboard: tokens by state, licence seats, token server, the last logins. */
export async function gatewayOverview(ctx: GatewayContext) {
  const tokens = await ctx.store.fortitokens.list();
  const assigned = new Set((await ctx.store.users.list()).map((user) => user.tokenSerial));
  const byState: Record<string, number> = {};
  const licences = new Map<string, { seats: number; used: number }>();
  for (const token of tokens) {
    const state = token.status === 'lock' ? 'locked' : token.state;
    byState[state] = (byState[state] ?? 0) + 1;
    const licence = licences.get(token.licence) ?? { seats: 0, used: 0 };
    licences.set(token.licence, licence);
    licence.seats++;
    if (assigned.has(token.serial) || token.state !== 'new') licence.used++;
  }
  const { word, refusal } = describeTokenServerStatus(await ctx.connection.lastStatus());
  return {
    tokensByState: byState,
    licences: [...licences].map(([name, { seats, used }]) => ({
      name,
      seats,
      used,
      free: seats - used,
    })),
    tokenServer: refusal === undefined ? word : `${word}: refused, ${refusal}`,
    recentLogins: await ctx.store.authLog.list({ limit: 10 }),
  };
}
