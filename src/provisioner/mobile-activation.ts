import {
  type ActivationCode,
  hashActivationCode,
  parseActivationCode,
} from '../core/activation-code.js';
import { TokenwardError } from '../core/errors.js';
import { lifecycleOf, transitionToken } from '../core/token-state.js';
import { registrationId } from '../crypto/identity-signature.js';
import type { MobileProvisionRequest } from '../protocol/softtoken/messages.js';
import type { MobileResponseFields } from '../protocol/softtoken/responses.js';
import { sealSeed } from '../protocol/softtoken/seed-sealing.js';
import type { ActivationCodeRecord } from '../store/repositories/activation-code-repository.js';
import type { Token } from '../store/repositories/token-repository.js';
import { rateLimited } from './attempt-limiter.js';
import { audit, type ProvisionerContext } from './context.js';
import { verifySignedOnce } from './device-session.js';
import type { MessageOutcome } from './message-outcome.js';
import { decryptSeed, encryptSeed, mintSeed } from './token-seeds.js';

export type ActivationRefusal = 'unknown' | 'used' | 'expired' | 'superseded' | 'revoked';

/** Why a code is refused, in the words the person holding it needs (DESIGN section 4). */
export function activationRefused(reason: ActivationRefusal, expiredAt?: number): TokenwardError {
  const ask = 'Ask your administrator to send a new activation code.';
  const why: Record<ActivationRefusal, string> = {
    unknown: `no such code exists. Check it for typos, or scan the QR code. ${ask}`,
    used: `this token was already activated on another device. ${ask}`,
    expired: `it expired at ${new Date(expiredAt ?? 0).toISOString().replace(/\.\d+Z$/, 'Z')}. ${ask}`,
    superseded:
      'a newer activation code was sent for this token. Use the code from the latest e-mail or SMS.',
    revoked: `the token was revoked by your administrator. ${ask}`,
  };
  return new TokenwardError('TW_ACTIVATION_CODE_INVALID', {
    message: `Activation Code is invalid: ${why[reason]}`,
    data: { reason },
  });
}

/**
 * MobileProvision: a phone activates a token with an activation code, or takes it over from
 * another phone with a transfer code. The code is claimed with one conditional UPDATE, so of
 * any number of concurrent attempts exactly one phone wins; the same phone retrying gets the same
 * token and seed back (a lost response must not strand the user); anyone else is told why not.
 */
export async function activateToken(
  ctx: ProvisionerContext,
  request: MobileProvisionRequest,
  sourceIp: string,
  now: number,
): Promise<MessageOutcome<MobileResponseFields<'MobileProvision'>>> {
  const addressKey = `address:${sourceIp}`;
  const identityKey = Buffer.from(request.identity_key, 'base64');
  if (registrationId(identityKey) !== request.registration_id) {
    throw new TokenwardError('TW_SIGNATURE_INVALID', {
      detail: 'reg-id is not the identity key hash',
    });
  }
  await verifySignedOnce(ctx, request, identityKey, now);

  const wantedKind = request.transfer_code === undefined ? 'activation' : 'transfer';
  let code: ActivationCode | undefined;
  try {
    code = parseActivationCode(request.transfer_code ?? request.activation_code ?? '');
  } catch {
    code = undefined;
  }
  const codeHash = code === undefined ? undefined : hashActivationCode(code);
  const record =
    codeHash === undefined || code?.kind !== wantedKind
      ? undefined
      : await ctx.store.activationCodes.find(codeHash);
  const limitKeys = [
    addressKey,
    ...(codeHash === undefined ? [] : [`activation-code:${codeHash}`]),
    ...(record === undefined ? [] : [`activation-token:${record.tokenSerial}`]),
  ];
  // The limits are looked at only once the code is known wrong: a right code gets through even
  // from an address that others' guesses have blocked (it works once anyway).
  try {
    if (record === undefined) throw activationRefused('unknown');
    const token = await claimOrRecover(ctx, request, record, sourceIp, now);
    return await respond(ctx, request, token);
  } catch (error) {
    if (!(error instanceof TokenwardError && error.code === 'TW_ACTIVATION_CODE_INVALID')) {
      throw error;
    }
    const retryAfter = await ctx.activationLimiter.retryAfter(limitKeys, now);
    if (retryAfter > 0) throw rateLimited(retryAfter);
    await ctx.activationLimiter.recordFailure(limitKeys, now);
    ctx.log.info(
      { reg_id: request.registration_id, source_ip: sourceIp, reason: error.data.reason },
      'activation refused',
    );
    throw error;
  }
}

async function claimOrRecover(
  ctx: ProvisionerContext,
  request: MobileProvisionRequest,
  record: ActivationCodeRecord,
  sourceIp: string,
  now: number,
): Promise<Token> {
  const regId = request.registration_id;
  if (record.usedAt === null) {
    refuseIfClosed(record, now);
    const claimed = await claim(ctx, request, record, sourceIp, now);
    if (claimed !== undefined) return claimed;
  }
  // Used: by this phone (a retry, or a concurrent request of its own), or by another one.
  const used = await ctx.store.activationCodes.find(record.codeHash);
  const token = await ctx.store.tokens.find(record.tokenSerial);
  if (
    used?.usedByRegId === regId &&
    token?.deviceRegId === regId &&
    token.state === 'provisioned'
  ) {
    return token;
  }
  throw activationRefused('used');
}

function refuseIfClosed(record: ActivationCodeRecord, now: number): void {
  if (record.endReason !== null) throw activationRefused(record.endReason);
  if (record.expiresAt <= now) throw activationRefused('expired', record.expiresAt);
}

/** Claims the code and binds the token to the phone, in one transaction; undefined if it lost. */
function claim(
  ctx: ProvisionerContext,
  request: MobileProvisionRequest,
  record: ActivationCodeRecord,
  sourceIp: string,
  now: number,
): Promise<Token | undefined> {
  const regId = request.registration_id;
  return ctx.store.transaction(async (tx) => {
    if (!(await tx.activationCodes.claim(record.codeHash, regId, now))) return undefined;
    const token = await tx.tokens.find(record.tokenSerial);
    if (token === undefined)
      throw new TokenwardError('TW_INTERNAL', { detail: 'code without token' });
    await tx.devices.upsert({
      regId,
      identityKey: request.identity_key,
      sealingKey: request.sealing_key,
      osVer: request.mobile_device_version,
      createdAt: now,
      lastSeenAt: now,
    });
    const transfer = record.kind === 'transfer';
    // A transfer moves a token that is on a phone; an activation completes a provisioning one.
    const next = transfer
      ? token.state
      : transitionToken(lifecycleOf(token.state, token.lockedFrom), 'activate').state;
    if (transfer && token.state !== 'provisioned') throw activationRefused('revoked');
    const bound = await tx.tokens.transition(
      token.serial,
      token.state,
      {
        state: next,
        deviceRegId: regId,
        activatedAt: now,
        activationExpiresAt: null,
        updatedAt: now,
        // A transfer rotates the seed: the old phone's codes stop verifying once gateways poll.
        ...(transfer
          ? {
              seedEnc: encryptSeed(ctx.cipher, token.serial, mintSeed(token.algorithm, ctx.random)),
            }
          : {}),
      },
      transfer,
    );
    if (bound === undefined) throw activationRefused('superseded');
    await audit(
      tx,
      { actor: `device:${regId}`, sourceIp },
      now,
      transfer ? 'token.transfer' : 'token.activate',
      token.serial,
      {
        reg_id: regId,
        os_ver: request.mobile_device_version,
        previous_reg_id: token.deviceRegId,
      },
    );
    return bound;
  });
}

async function respond(
  ctx: ProvisionerContext,
  request: MobileProvisionRequest,
  token: Token,
): Promise<MessageOutcome<MobileResponseFields<'MobileProvision'>>> {
  const licence = await ctx.store.licences.find(token.licenceName);
  if (token.seedEnc === null)
    throw new TokenwardError('TW_INTERNAL', { detail: 'provisioned token without seed' });
  const seed = decryptSeed(ctx.cipher, token.serial, token.seedEnc);
  return {
    fields: {
      token: token.serial,
      seed: sealSeed(
        Buffer.from(request.sealing_key, 'base64'),
        seed,
        token.serial,
        request.registration_id,
      ),
      algorithm: token.algorithm,
      digits: token.digits,
      period: token.period,
      label: token.label ?? token.serial,
      export_allowed: licence?.exportPolicy === 'allowed',
    },
    result: 2,
    error: null,
  };
}
