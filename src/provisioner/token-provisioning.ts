import { hashActivationCode, mintActivationCode } from '../core/activation-code.js';
import { TokenwardError } from '../core/errors.js';
import { lifecycleOf, transitionToken } from '../core/token-state.js';
import type { ProvisionRequest, RevokeRequest } from '../protocol/softtoken/messages.js';
import type {
  GatewayResponseFields,
  ProvisionResponse,
  RevokeResponse,
} from '../protocol/softtoken/responses.js';
import { sealSeed } from '../protocol/softtoken/seed-sealing.js';
import { audit, type ProvisionerContext } from './context.js';
import { type GatewaySession, requireSealingKey } from './gateway-session.js';
import { entriesOutcome, type MessageOutcome, toMessageError } from './message-outcome.js';
import { encryptSeed, mintSeed } from './token-seeds.js';

type ProvisionEntry = NonNullable<ProvisionResponse['tokens']>[number];
type RevokeEntry = NonNullable<RevokeResponse['tokens']>[number];

/**
 * Provision (DESIGN sections 4-5): each token gets a new seed and a new activation code; the
 * previous code dies at once, and a token already on a phone leaves it (reprovision). The seed
 * goes back sealed to the gateway; the code's hash is all the provisioner keeps of the code.
 */
export async function provisionTokens(
  ctx: ProvisionerContext,
  session: GatewaySession,
  request: ProvisionRequest,
  now: number,
): Promise<MessageOutcome<GatewayResponseFields<'Provision'>>> {
  const gatewayKey = requireSealingKey(session);
  const entries: ProvisionEntry[] = [];
  for (const item of request.tokens) {
    try {
      entries.push(await provisionOne(ctx, session, gatewayKey, item, now));
    } catch (error) {
      entries.push({ token: item.token, error: toMessageError(error) });
    }
  }
  return entriesOutcome('tokens', entries);
}

async function provisionOne(
  ctx: ProvisionerContext,
  session: GatewaySession,
  gatewayKey: Uint8Array,
  item: ProvisionRequest['tokens'][number],
  now: number,
): Promise<ProvisionEntry> {
  const token = await ctx.store.tokens.findInCluster(item.token, session.cluster.id);
  if (token === undefined) throw new TokenwardError('TW_TOKEN_UNKNOWN');
  const event = token.state === 'provisioned' ? 'reprovision' : 'provision';
  transitionToken(lifecycleOf(token.state, token.lockedFrom), event);

  const seed = mintSeed(token.algorithm, ctx.random);
  const code = mintActivationCode('activation', token.period, ctx.random);
  const expiresAt = now + (item.expire_hours ?? ctx.config.defaultExpireHours) * 3600_000;
  const updated = await ctx.store.transaction(async (tx) => {
    // The token row first: its lock orders concurrent provisions, so each one's `issue` sees
    // and supersedes the code the previous one issued.
    const changed = await tx.tokens.transition(
      token.serial,
      token.state,
      {
        state: 'provisioning',
        seedEnc: encryptSeed(ctx.cipher, token.serial, seed),
        deviceRegId: null,
        activatedAt: null,
        activationExpiresAt: expiresAt,
        label: item.label ?? token.label,
        updatedAt: now,
      },
      true,
    );
    if (changed === undefined) {
      throw new TokenwardError('TW_TOKEN_TRANSITION_INVALID', {
        message: 'The token changed while it was being provisioned. Try again.',
      });
    }
    await tx.activationCodes.issue({
      codeHash: hashActivationCode(code),
      tokenSerial: token.serial,
      kind: 'activation',
      issuedAt: now,
      expiresAt,
    });
    await audit(
      tx,
      { actor: `gateway:${session.gateway.serial}`, sourceIp: session.sourceIp },
      now,
      event === 'reprovision' ? 'token.reprovision' : 'token.provision',
      token.serial,
      { previous_reg_id: token.deviceRegId, expires_at: expiresAt },
    );
    return changed;
  });
  return {
    token: token.serial,
    license: token.licenceName,
    state: updated.state,
    activation_code: code.code,
    activation_expire: Math.floor(expiresAt / 1000),
    seed: sealSeed(gatewayKey, seed, token.serial, session.gateway.serial),
    seed_version: updated.seedVersion,
    algorithm: token.algorithm,
    digits: token.digits,
    period: token.period,
    error: null,
  };
}

/** Revoke: the token goes back to `new`; its codes, seed and phone binding die. */
export async function revokeTokens(
  ctx: ProvisionerContext,
  session: GatewaySession,
  request: RevokeRequest,
  now: number,
): Promise<MessageOutcome<GatewayResponseFields<'Revoke'>>> {
  const entries: RevokeEntry[] = [];
  for (const { token: serial } of request.tokens) {
    try {
      const token = await ctx.store.tokens.findInCluster(serial, session.cluster.id);
      if (token === undefined) throw new TokenwardError('TW_TOKEN_UNKNOWN');
      await ctx.store.transaction(async (tx) => {
        const changed = await tx.tokens.transition(
          serial,
          token.state,
          {
            state: 'new',
            lockedFrom: null,
            seedEnc: null,
            deviceRegId: null,
            activatedAt: null,
            activationExpiresAt: null,
            updatedAt: now,
          },
          true,
        );
        if (changed === undefined) throw new TokenwardError('TW_TOKEN_TRANSITION_INVALID');
        await tx.activationCodes.revokeOpen(serial, now);
        await audit(
          tx,
          { actor: `gateway:${session.gateway.serial}`, sourceIp: session.sourceIp },
          now,
          'token.revoke',
          serial,
          { previous_state: token.state, previous_reg_id: token.deviceRegId },
        );
      });
      entries.push({ token: serial, state: 'new', error: null });
    } catch (error) {
      entries.push({ token: serial, state: null, error: toMessageError(error) });
    }
  }
  return entriesOutcome('tokens', entries);
}
