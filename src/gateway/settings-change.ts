import { audit, type GatewayContext } from './context.js';
import type { SettingChange } from './gateway-settings.js';

/** Changes single-valued settings, checked, in one transaction with their audit entry. */
export async function changeSettings(
  ctx: GatewayContext,
  changes: readonly SettingChange[],
  now: number,
): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    await ctx.settings.write(tx, changes, now);
    await audit(
      tx,
      {
        actor: ctx.actor,
        action: 'settings.set',
        subject: null,
        detail: Object.fromEntries(changes.map((c) => [`${c.path} ${c.name}`, c.value])),
      },
      now,
    );
  });
  ctx.settings.invalidate();
}
