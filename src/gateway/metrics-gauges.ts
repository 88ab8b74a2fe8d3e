import type { GatewayContext } from './context.js';
import type { GatewayGaugeSource } from './gateway-metrics.js';

/** What /metrics reads at each scrape: grouped counts from the store, the directory's hosts. */
export function metricsGauges(ctx: GatewayContext): GatewayGaugeSource {
  return {
    tokensByState: () => ctx.store.fortitokens.countByState(),
    seats: () => ctx.store.fortitokens.seatsByLicence(),
    // A read, not /healthz's probe write: scrapes every 15 s should not write rows.
    storeUp: async () => ((await ctx.store.ping()) ? 1 : 0),
    directoryHostsDown: () => ctx.directory.hostsDown(),
  };
}
