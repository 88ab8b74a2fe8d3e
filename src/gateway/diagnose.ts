import type { GatewayContext } from './context.js';
import { tokenNamed } from './token-lookup.js';
import { describeTokenServerStatus } from './token-server-status.js';

/** `diagnose fortitoken info`, as FortiOS prints it. */
export async function diagnoseTokens(ctx: GatewayContext, serial?: string): Promise<string> {
  const tokens =
    serial === undefined
      ? await ctx.store.fortitokens.list()
      : [await tokenNamed(ctx.store, serial)];
  const described = describeTokenServerStatus(await ctx.connection.lastStatus());
  const rows = tokens.map(
    (t) =>
      `${t.serial.padEnd(17)}${(t.status === 'lock' ? 'locked' : t.state).padEnd(18)}${t.drift}`,
  );
  return [
    'FORTITOKEN DRIFT STATUS',
    `${'SERIAL-NO'.padEnd(17)}${'STATUS'.padEnd(18)}DRIFT`,
    ...rows,
    '',
    `Total activated token: ${tokens.filter((t) => t.state === 'provisioned').length}`,
    `Token server status: ${described.word}`,
    ...(described.refusal === undefined
      ? []
      : [`Token server refused this gateway: ${described.refusal}`]),
  ].join('\n');
}
