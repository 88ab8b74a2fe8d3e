import type { TokenState } from '../core/token-state.js';
import { remoteError } from '../protocol/softtoken/remote-error.js';
import type { Fortitoken } from '../store/repositories/fortitoken-repository.js';
import { audit, type GatewayContext } from './context.js';
import { tokenNamed } from './token-lookup.js';

/** A token as shown to admins: never its seed or activation code. */
export type ShownToken = Omit<Fortitoken, 'seedEnc' | 'activationCodeEnc'> & {
  readonly user: string | null;
};

export function listTokens(ctx: GatewayContext, state?: TokenState): Promise<Fortitoken[]> {
  return ctx.store.fortitokens.list(state === undefined ? {} : { state });
}

export async function showToken(ctx: GatewayContext, serial: string): Promise<ShownToken> {
  const token = await tokenNamed(ctx.store, serial);
  const user = await ctx.store.users.findByToken(token.serial);
  const { seedEnc: _seed, activationCodeEnc: _code, ...shown } = token;
  return { ...shown, user: user?.name ?? null };
}

/** `status lock` refuses every login with the token; `status active` allows them again. */
export async function setTokenStatus(
  ctx: GatewayContext,
  serial: string,
  status: 'active' | 'lock',
  now: number,
): Promise<void> {
  const token = await tokenNamed(ctx.store, serial);
  await ctx.store.transaction(async (tx) => {
    await tx.fortitokens.update(token.serial, { status, updatedAt: now });
    await audit(
      tx,
      {
        actor: ctx.actor,
        action: status === 'lock' ? 'token.lock' : 'token.unlock',
        subject: token.serial,
      },
      now,
    );
  });
}

/** Revokes a token at the provisioner: its phone binding and codes die; it is `new` again. */
export async function revokeToken(ctx: GatewayContext, serial: string, now: number): Promise<void> {
  const token = await tokenNamed(ctx.store, serial);
  const response = await ctx.connection.exchange((l) =>
    l.send('Revoke', { tokens: [{ token: token.serial }] }),
  );
  if (response.d.result !== 2) throw remoteError(response);
  await ctx.store.transaction(async (tx) => {
    await tx.fortitokens.update(token.serial, {
      state: 'new',
      seedEnc: null,
      activationCodeEnc: null,
      activationExpiresAt: null,
      regId: null,
      osVer: null,
      updatedAt: now,
    });
    await audit(tx, { actor: ctx.actor, action: 'token.revoke', subject: token.serial }, now);
  });
}
