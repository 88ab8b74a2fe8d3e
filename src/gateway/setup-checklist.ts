import type { GatewayContext } from './context.js';
import { SETTING_KEYS } from './setting-keys.js';

/**
 * The dashboard's first-run checklist, each step done when the store says so: a way to deliver
 * activations (mail or SMS), a RADIUS client, a user whose token is active on a phone, and the
 * signed-in admin's own token as their second factor.
 */
export async function setupChecklist(ctx: GatewayContext, adminName: string) {
  const [mail, sms, clients, summary, admin] = await Promise.all([
    ctx.store.settings.get(SETTING_KEYS.mail),
    ctx.store.settings.get(SETTING_KEYS.sms),
    ctx.store.radiusClients.list(),
    ctx.store.fortitokens.summary(),
    ctx.store.consoleAdmins.find(adminName),
  ]);
  return {
    delivery: mail !== undefined || sms !== undefined,
    radiusClient: clients.length > 0,
    activatedUser: summary.some((group) => group.held && group.state === 'provisioned'),
    adminToken: admin?.tokenUser !== null && admin !== undefined,
  };
}
