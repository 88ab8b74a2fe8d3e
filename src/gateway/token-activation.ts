import { TokenwardError } from '../core/errors.js';
import { remoteError } from '../protocol/softtoken/remote-error.js';
import type { Fortitoken } from '../store/repositories/fortitoken-repository.js';
import type { User } from '../store/repositories/user-repository.js';
import { audit, type GatewayContext } from './context.js';
import { tokenNamed } from './token-lookup.js';
import { openActivationCode, sealActivationCode, sealSeed } from './token-secrets.js';

/** An activation as it goes out: the code in clear, only in memory, on its way to the user. */
interface Activation {
  readonly serial: string;
  readonly code: string;
  readonly expiresAt: number;
}

/**
 * Issues a new activation code (and seed) for a token and sends it to its user. A token active
 * on a phone is cut off by this, so it is refused unless `reprovision` says the admin confirmed
 * exactly that.
 */
export async function provisionToken(
  ctx: GatewayContext,
  serial: string,
  now: number,
  options: { readonly expireHours?: number; readonly reprovision?: boolean } = {},
) {
  const token = await tokenNamed(ctx.store, serial);
  if (token.state === 'provisioned' && options.reprovision !== true) {
    throw new TokenwardError('TW_TOKEN_ACTIVE', {
      message: `Token ${token.serial} is active on a phone. To move it to a new phone (the old one stops working), reprovision it: \`gateway token reprovision ${token.serial} --yes\` or Reprovision in the console.`,
    });
  }
  const user = await ctx.store.users.findByToken(token.serial);
  const link = await ctx.connection.current();
  const hours = options.expireHours ?? (await ctx.settings.policy()).activationExpiryHours;
  const label = user === undefined ? undefined : `${user.name}@${link.serial}`;
  const response = await ctx.connection.exchange((l) =>
    l.send('Provision', {
      tokens: [
        { token: token.serial, expire_hours: hours, ...(label === undefined ? {} : { label }) },
      ],
    }),
  );
  const entry = response.d.tokens?.[0];
  if (response.d.result !== 2 || entry === undefined || entry.error !== null) {
    throw remoteError(response);
  }
  const seed = link.openSeed(entry.seed, token.serial);
  const activation: Activation = {
    serial: token.serial,
    code: entry.activation_code,
    expiresAt: entry.activation_expire * 1000,
  };
  const reprovisioned = token.state === 'provisioned';
  await ctx.store.transaction(async (tx) => {
    await tx.fortitokens.update(token.serial, {
      state: 'provisioning',
      seedEnc: sealSeed(ctx.cipher, token.serial, seed),
      seedVersion: entry.seed_version,
      algorithm: entry.algorithm,
      digits: entry.digits,
      period: entry.period,
      activationCodeEnc: sealActivationCode(ctx.cipher, token.serial, activation.code),
      activationExpiresAt: activation.expiresAt,
      regId: null,
      osVer: null,
      drift: 0,
      lastStep: null,
      updatedAt: now,
    });
    await audit(
      tx,
      {
        actor: ctx.actor,
        action: reprovisioned ? 'token.reprovision' : 'token.provision',
        subject: token.serial,
        ...(reprovisioned ? { detail: { previousRegId: token.regId } } : {}),
      },
      now,
    );
  });
  return {
    serial: token.serial,
    delivered: await deliverActivation(ctx, activation, user, link.provisionerUrl, now),
  };
}

/**
 * Sends the pending activation again, or provisions anew when its code has run out. Never
 * re-issues a token active on a phone (that is reprovisioning, confirmed).
 */
export async function resendActivation(ctx: GatewayContext, serial: string, now: number) {
  const token = await tokenNamed(ctx.store, serial);
  const pending = liveActivation(ctx, token, now);
  if (pending === undefined) return provisionToken(ctx, token.serial, now);
  const user = await ctx.store.users.findByToken(token.serial);
  const { provisionerUrl } = await ctx.connection.current();
  return {
    serial: token.serial,
    delivered: await deliverActivation(ctx, pending, user, provisionerUrl, now),
  };
}

/**
 * A live activation code in clear, for an admin reading it to a user on the phone: the one way
 * besides mail and SMS, so it is audited.
 */
export async function revealActivationCode(
  ctx: GatewayContext,
  serial: string,
  actor: string,
  now: number,
): Promise<string> {
  const token = await tokenNamed(ctx.store, serial);
  const pending = liveActivation(ctx, token, now);
  if (pending === undefined) {
    throw new TokenwardError('TW_ACTIVATION_NOT_PENDING', {
      message: `Token ${token.serial} has no live activation code (state ${token.state}). Provision it to issue one.`,
      data: { field: 'serial' },
    });
  }
  await audit(ctx.store, { actor, action: 'token.reveal-code', subject: token.serial }, now);
  return pending.code;
}

/** A token's activation code in clear, for `config show` once it is spent (activated). */
export function spentActivationCode(ctx: GatewayContext, token: Fortitoken): string | undefined {
  if (token.activationCodeEnc === null || token.state !== 'provisioned') return undefined;
  return openActivationCode(ctx.cipher, token.serial, token.activationCodeEnc);
}

/** The token's activation while its code still works. */
function liveActivation(
  ctx: GatewayContext,
  token: Fortitoken,
  now: number,
): Activation | undefined {
  if (
    token.state !== 'provisioning' ||
    token.activationCodeEnc === null ||
    token.activationExpiresAt === null ||
    token.activationExpiresAt <= now
  ) {
    return undefined;
  }
  return {
    serial: token.serial,
    code: openActivationCode(ctx.cipher, token.serial, token.activationCodeEnc),
    expiresAt: token.activationExpiresAt,
  };
}

/** Sends an activation to the token's user, by e-mail or else SMS; audited either way. */
async function deliverActivation(
  ctx: GatewayContext,
  activation: Activation,
  user: User | undefined,
  provisionerUrl: string,
  now: number,
): Promise<string> {
  if (user === undefined) {
    throw new TokenwardError('TW_DELIVERY_FAILED', {
      message: `Token ${activation.serial} has no user to send the activation to.`,
    });
  }
  const channel =
    user.email !== null
      ? { kind: 'email' as const, to: user.email, words: `e-mail to ${user.email}` }
      : user.smsPhone !== null
        ? { kind: 'sms' as const, to: user.smsPhone, words: `SMS to ${user.smsPhone}` }
        : undefined;
  if (channel === undefined) {
    throw new TokenwardError('TW_DELIVERY_FAILED', {
      message: `User ${user.name} has neither an e-mail address nor an SMS number.`,
    });
  }
  const message = { ...activation, provisionerUrl, username: user.name };
  const entry = { actor: 'gateway', action: 'token.deliver', subject: activation.serial };
  try {
    await ctx.notifier[channel.kind](channel.to, message);
  } catch (error) {
    await audit(
      ctx.store,
      { ...entry, outcome: 'failure', detail: { channel: channel.words } },
      now,
    );
    ctx.log.error(
      { serial: activation.serial, channel: channel.words, code: (error as TokenwardError).code },
      'activation delivery failed',
    );
    throw error;
  }
  await audit(ctx.store, { ...entry, detail: { channel: channel.words } }, now);
  return channel.words;
}
