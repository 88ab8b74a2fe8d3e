import { TOKENS_PER_MESSAGE } from '../core/limits.js';
import { remoteError } from '../protocol/softtoken/remote-error.js';
import type { ClusterMemberStatus, PolledToken } from '../protocol/softtoken/responses.js';
import type { Fortitoken } from '../store/repositories/fortitoken-repository.js';
import { audit, type GatewayContext } from './context.js';
import type { ProvisionerLink } from './provisioner-link.js';
import { sealSeed } from './token-secrets.js';

export interface PollOptions {
  /** Every token, not only those waiting for a phone. */
  readonly all?: boolean;
  /** Send nothing when no token waits (the background loop); the CLI always checks the server. */
  readonly skipWhenNone?: boolean;
}

/**
 * One polling round (DESIGN section 6): the tokens waiting for a phone, or all with `all`, in
 * batches of TOKENS_PER_MESSAGE; updates state, reg-id, os-ver and rotated seeds.
 */
export async function pollTokens(ctx: GatewayContext, options: PollOptions, now: number) {
  /** The FortiOS log lines of what changed, for a caller that prints (the CLI). */
  const lines: string[] = [];
  let updated = 0;
  let polled = 0;
  let members: readonly ClusterMemberStatus[] = [];
  // One page of tokens per Polling message, read as it is sent (never all tokens at once).
  let after: string | undefined;
  do {
    const batch = await ctx.store.fortitokens.listPage({
      ...(options.all === true ? {} : { state: 'provisioning' }),
      ...(after === undefined ? {} : { after }),
      limit: TOKENS_PER_MESSAGE,
    });
    if (polled === 0 && batch.length === 0 && options.skipWhenNone === true) {
      return { polled: 0, updated, members, lines };
    }
    if (after === undefined) ctx.log.info('ftm_cfg_poll_token_states: Poll token status!');
    // At least one request, even for no tokens: it checks the token server and the cluster.
    const response = await ctx.connection.exchange((l) =>
      l.send('Polling', {
        tokens: batch.map((t) => ({ token: t.serial, seed_version: t.seedVersion })),
      }),
    );
    // A refusal of the whole request (clock skew, credential) is no round at all.
    if (response.d.result === 0) throw remoteError(response);
    members = response.d.__clustered_sns ?? [];
    const link = await ctx.connection.current();
    for (const entry of response.d.tokens ?? []) {
      const token = batch.find((t) => t.serial === entry.token);
      if (token === undefined || entry.error !== null) continue;
      const line = await applyPolledState(ctx, link, token, entry, now);
      if (line === false) continue;
      updated++;
      if (line !== undefined) {
        ctx.log.info(line);
        lines.push(line);
      }
    }
    polled += batch.length;
    after = batch.length === TOKENS_PER_MESSAGE ? batch.at(-1)?.serial : undefined;
  } while (after !== undefined);
  return { polled, updated, members, lines };
}

/**
 * Stores what the provisioner says of one token, when anything changed (false when nothing
 * did); returns FortiOS's log line when a phone registered.
 */
async function applyPolledState(
  ctx: GatewayContext,
  link: ProvisionerLink,
  token: Fortitoken,
  entry: PolledToken,
  now: number,
): Promise<string | undefined | false> {
  const { state, registration_id: regId, mobile_device_version: osVer } = entry;
  const seed = entry.seed === undefined ? undefined : link.openSeed(entry.seed, token.serial);
  if (
    state === token.state &&
    regId === token.regId &&
    osVer === token.osVer &&
    seed === undefined
  ) {
    return false;
  }
  // The token's history (the console's token page): a phone took it, it moved to another
  // phone, its activation ran out. Told by the token server, so audited as its doing.
  const event =
    regId !== null && regId !== token.regId
      ? token.regId === null
        ? 'token.activate'
        : 'token.move'
      : state !== token.state && state === 'provision timeout'
        ? 'token.activation-expired'
        : undefined;
  await ctx.store.transaction(async (tx) => {
    await tx.fortitokens.update(token.serial, {
      state,
      regId,
      osVer,
      ...(seed === undefined
        ? {}
        : {
            seedEnc: sealSeed(ctx.cipher, token.serial, seed),
            seedVersion: entry.seed_version ?? token.seedVersion,
            drift: 0,
            lastStep: null,
          }),
      updatedAt: now,
    });
    if (event !== undefined) {
      await audit(
        tx,
        {
          actor: 'token-server',
          action: event,
          subject: token.serial,
          ...(regId === null ? {} : { detail: { regId, osVer } }),
        },
        now,
      );
    }
  });
  return regId !== null && regId !== token.regId
    ? `ftm_cfg_update_token_state: Update REGID for ${token.serial} regid:${regId} os_ver:${osVer ?? ''}`
    : undefined;
}
