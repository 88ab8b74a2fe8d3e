import { buildActivationUri } from '../core/activation-uri.js';
import { qrPng } from '../protocol/qr.js';
import type { GatewayContext } from './context.js';
import { revealActivationCode } from './token-activation.js';
import { showToken } from './token-admin.js';

/**
 * A token's live activation as code and QR image, for an admin enrolling someone at the desk
 * (the person scans the screen). Audited as `token.reveal-code` under the admin's name.
 */
export async function deskActivation(ctx: GatewayContext, serial: string, now: number) {
  const code = await revealActivationCode(ctx, serial, ctx.actor, now);
  const [token, { provisionerUrl }] = await Promise.all([
    showToken(ctx, serial),
    ctx.connection.current(),
  ]);
  const uri = buildActivationUri(code, provisionerUrl);
  return {
    serial: token.serial,
    code,
    expiresAt: token.activationExpiresAt ?? now,
    uri,
    qr: `data:image/png;base64,${(await qrPng(uri)).toString('base64')}`,
  };
}
