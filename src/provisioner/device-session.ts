import { TokenwardError } from '../core/errors.js';
import type { MobileRequestBase } from '../protocol/softtoken/messages.js';
import {
  MAX_DEVICE_SKEW_SECONDS,
  verifyMobileRequest,
} from '../protocol/softtoken/mobile-signature.js';
import type { Device } from '../store/repositories/device-repository.js';
import type { Token } from '../store/repositories/token-repository.js';
import type { ProvisionerContext } from './context.js';

/** A registered phone's signed request: the device it comes from, signature checked. */
export async function authenticateDevice(
  ctx: ProvisionerContext,
  message: MobileRequestBase,
  now: number,
): Promise<Device> {
  const device = await ctx.store.devices.find(message.registration_id);
  if (device === undefined) throw new TokenwardError('TW_DEVICE_UNKNOWN');
  await verifySignedOnce(ctx, message, Buffer.from(device.identityKey, 'base64'), now);
  return device;
}

/** The phone's signature, then its nonce taken: a recorded request does not work twice. */
export async function verifySignedOnce(
  ctx: ProvisionerContext,
  message: MobileRequestBase,
  identityKey: Uint8Array,
  now: number,
): Promise<void> {
  verifyMobileRequest(message, identityKey, now);
  await ctx.takeOnce({
    signer: `device:${message.registration_id}`,
    nonce: message.nonce,
    signedAt: message.timestamp,
    windowSeconds: MAX_DEVICE_SKEW_SECONDS,
    now,
  });
}

/** The token, if it is activated on this phone; otherwise TW_TOKEN_NOT_ON_DEVICE. */
export async function tokenOnDevice(
  ctx: ProvisionerContext,
  serial: string,
  device: Device,
): Promise<Token> {
  const token = await ctx.store.tokens.find(serial);
  if (token === undefined || token.deviceRegId !== device.regId || token.state !== 'provisioned') {
    throw new TokenwardError('TW_TOKEN_NOT_ON_DEVICE', {
      detail: `${serial} not on ${device.regId}`,
    });
  }
  return token;
}
