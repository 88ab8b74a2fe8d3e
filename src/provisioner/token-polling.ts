import { TokenwardError } from '../core/errors.js';
import type { PollingRequest } from '../protocol/softtoken/messages.js';
import type { GatewayResponseFields, PollingResponse } from '../protocol/softtoken/responses.js';

type PolledEntry = NonNullable<PollingResponse['tokens']>[number];

import { sealSeed } from '../protocol/softtoken/seed-sealing.js';
import type { ProvisionerContext } from './context.js';
import { type GatewaySession, requireSealingKey } from './gateway-session.js';
import { entriesOutcome, type MessageOutcome } from './message-outcome.js';
import { decryptSeed } from './token-seeds.js';

/**
 * Polling: each asked token's licence, state, reg-id and os-ver, as in the source document. A
 * token whose activation code ran out is moved to `provision timeout` first. When the gateway
 * says which seed version it holds and the token's seed is newer (a self-service transfer), the
 * new seed comes back sealed. Cost: three indexed queries for the tokens asked, whatever the
 * size of the table.
 */
export async function pollTokens(
  ctx: ProvisionerContext,
  session: GatewaySession,
  request: PollingRequest,
  now: number,
): Promise<MessageOutcome<GatewayResponseFields<'Polling'>>> {
  const asked = request.tokens.map((entry) => entry.token);
  const found = await ctx.store.tokens.findManyInCluster(asked, session.cluster.id);
  const tokens = new Map(found.map((token) => [token.serial, token]));
  const expired = found
    .filter(
      (token) => token.state === 'provisioning' && (token.activationExpiresAt ?? Infinity) <= now,
    )
    .map((token) => token.serial);
  if (expired.length > 0) {
    await ctx.store.tokens.expireActivations(expired, now);
    for (const token of await ctx.store.tokens.findManyInCluster(expired, session.cluster.id)) {
      tokens.set(token.serial, token);
    }
  }
  const regIds = [
    ...new Set(
      [...tokens.values()].flatMap((t) => (t.deviceRegId === null ? [] : [t.deviceRegId])),
    ),
  ];
  const devices = new Map((await ctx.store.devices.findMany(regIds)).map((d) => [d.regId, d]));

  const entries = request.tokens.map((entry): PolledEntry => {
    const token = tokens.get(entry.token);
    if (token === undefined) {
      return { token: entry.token, error: new TokenwardError('TW_TOKEN_UNKNOWN').toPublic() };
    }
    const device = token.deviceRegId === null ? undefined : devices.get(token.deviceRegId);
    const seedChanged =
      entry.seed_version !== undefined &&
      entry.seed_version !== token.seedVersion &&
      token.seedEnc !== null;
    return {
      token: token.serial,
      license: token.licenceName,
      state: token.state,
      registration_id: token.deviceRegId,
      mobile_device_version: device?.osVer ?? null,
      ...(seedChanged && token.seedEnc !== null
        ? {
            seed: sealSeed(
              requireSealingKey(session),
              decryptSeed(ctx.cipher, token.serial, token.seedEnc),
              token.serial,
              session.gateway.serial,
            ),
            seed_version: token.seedVersion,
          }
        : {}),
      error: null,
    };
  });
  return entriesOutcome('tokens', entries);
}
