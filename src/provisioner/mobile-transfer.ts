import { hashActivationCode, mintActivationCode } from '../core/activation-code.js';
import { TokenwardError } from '../core/errors.js';
import type { MobileTransferRequest } from '../protocol/softtoken/messages.js';
import type { MobileResponseFields } from '../protocol/softtoken/responses.js';
import { audit, type ProvisionerContext } from './context.js';
import { authenticateDevice, tokenOnDevice } from './device-session.js';
import type { MessageOutcome } from './message-outcome.js';

/**
 * MobileTransfer: the phone a token is on asks for a single-use transfer code, which the new
 * phone redeems with MobileProvision. Self-service, unless the token's licence forbids it.
 */
export async function requestTransfer(
  ctx: ProvisionerContext,
  request: MobileTransferRequest,
  sourceIp: string,
  now: number,
): Promise<MessageOutcome<MobileResponseFields<'MobileTransfer'>>> {
  const device = await authenticateDevice(ctx, request, now);
  const token = await tokenOnDevice(ctx, request.token, device);
  const licence = await ctx.store.licences.find(token.licenceName);
  if (licence?.transferPolicy !== 'self-service') throw new TokenwardError('TW_TRANSFER_FORBIDDEN');

  const code = mintActivationCode('transfer', token.period, ctx.random);
  const expiresAt = now + ctx.config.transferCodeHours * 3600_000;
  await ctx.store.transaction(async (tx) => {
    await tx.tokens.lock(token.serial);
    await tx.activationCodes.issue({
      codeHash: hashActivationCode(code),
      tokenSerial: token.serial,
      kind: 'transfer',
      issuedAt: now,
      expiresAt,
    });
    await audit(
      tx,
      { actor: `device:${device.regId}`, sourceIp },
      now,
      'token.transfer-code',
      token.serial,
      {
        expires_at: expiresAt,
      },
    );
  });
  return {
    fields: { transfer_code: code.code, expires: Math.floor(expiresAt / 1000) },
    result: 2,
    error: null,
  };
}
