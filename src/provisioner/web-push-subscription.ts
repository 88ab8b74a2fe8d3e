import type { MobilePushSubscribeRequest } from '../protocol/softtoken/messages.js';
import type { MobileResponseFields } from '../protocol/softtoken/responses.js';
import { audit, type ProvisionerContext } from './context.js';
import { authenticateDevice } from './device-session.js';
import type { MessageOutcome } from './message-outcome.js';

/**
 * MobilePushSubscribe (ours): the phone app gives the Web Push subscription its browser made,
 * so a push that waits for the phone is announced while the app is closed; null forgets it.
 */
export async function subscribeWebPush(
  ctx: ProvisionerContext,
  request: MobilePushSubscribeRequest,
  sourceIp: string,
  now: number,
): Promise<MessageOutcome<MobileResponseFields<'MobilePushSubscribe'>>> {
  const device = await authenticateDevice(ctx, request, now);
  const subscription = request.subscription;
  await ctx.store.transaction(async (tx) => {
    await tx.devices.setWebPush(
      device.regId,
      subscription === null ? null : JSON.stringify(subscription),
    );
    await audit(
      tx,
      { actor: `device:${device.regId}`, sourceIp },
      now,
      subscription === null ? 'device.web-push-off' : 'device.web-push-on',
      device.regId,
      // The push service, not the endpoint itself (it identifies the browser).
      subscription === null ? {} : { push_service: new URL(subscription.endpoint).host },
    );
  });
  return { fields: { subscribed: subscription !== null }, result: 2, error: null };
}
