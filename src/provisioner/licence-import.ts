import { createHash } from 'node:crypto';
import { TokenwardError } from '../core/errors.js';
import { mintLicenceName, parseLicenceCode, TRIAL_TOKEN_COUNT } from '../core/licence.js';
import type { LicenseImportRequest } from '../protocol/softtoken/messages.js';
import type { GatewayResponseFields } from '../protocol/softtoken/responses.js';
import type { Licence } from '../store/repositories/licence-repository.js';
import type { Token } from '../store/repositories/token-repository.js';
import { audit, type ProvisionerContext } from './context.js';
import type { GatewaySession } from './gateway-session.js';
import { mintLicenceTokens } from './licence-tokens.js';
import type { MessageOutcome } from './message-outcome.js';

/** What the provisioner stores for a pack's redemption code (normalised `XXXX-...-XXXX`). */
export function licenceCodeHash(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

/**
 * LicenseImport: the trial code gives a cluster its 2 trial tokens once; a pack's code moves
 * the pack to the importing cluster, once. Both are claimed with a conditional UPDATE.
 */
export async function importLicence(
  ctx: ProvisionerContext,
  session: GatewaySession,
  request: LicenseImportRequest,
  now: number,
): Promise<MessageOutcome<GatewayResponseFields<'LicenseImport'>>> {
  const code = parseLicenceCode(request.code);
  const source = { actor: `gateway:${session.gateway.serial}`, sourceIp: session.sourceIp };
  const { licence, tokens } =
    code.kind === 'trial'
      ? await ctx.store.transaction(async (tx) => {
          if (!(await tx.clusters.claimTrial(session.cluster.id, now))) {
            throw new TokenwardError('TW_LICENCE_ALREADY_IMPORTED', {
              message:
                'This cluster has already imported its trial licence; its 2 tokens are in the token list.',
            });
          }
          const licence: Licence = {
            name: mintLicenceName('trial', ctx.random),
            kind: 'trial',
            tokenCount: TRIAL_TOKEN_COUNT,
            codeHash: null,
            clusterId: session.cluster.id,
            transferPolicy: 'self-service',
            exportPolicy: 'forbidden',
            createdAt: now,
            redeemedAt: now,
          };
          await tx.licences.create(licence);
          const tokens = await mintLicenceTokens(
            tx,
            licence.name,
            TRIAL_TOKEN_COUNT,
            now,
            ctx.random,
          );
          await audit(tx, source, now, 'licence.import', licence.name, { kind: 'trial' });
          return { licence, tokens };
        })
      : await redeemPack(ctx, session, licenceCodeHash(code.code), source, now);

  return {
    fields: {
      license: licence.name,
      tokens: tokens.map((token) => ({
        token: token.serial,
        license: licence.name,
        state: token.state,
      })),
    },
    result: 2,
    error: null,
  };
}

async function redeemPack(
  ctx: ProvisionerContext,
  session: GatewaySession,
  codeHash: string,
  source: { actor: string; sourceIp: string },
  now: number,
): Promise<{ licence: Licence; tokens: Token[] }> {
  return ctx.store.transaction(async (tx) => {
    const licence = await tx.licences.findByCodeHash(codeHash);
    if (licence === undefined) throw new TokenwardError('TW_LICENCE_UNKNOWN');
    if (!(await tx.licences.redeem(codeHash, session.cluster.id, now))) {
      throw new TokenwardError(
        licence.clusterId === session.cluster.id
          ? 'TW_LICENCE_ALREADY_IMPORTED'
          : 'TW_LICENCE_OTHER_CLUSTER',
      );
    }
    await audit(tx, source, now, 'licence.import', licence.name, {
      kind: 'pack',
      tokens: licence.tokenCount,
    });
    return { licence, tokens: await tx.tokens.list({ licenceName: licence.name }) };
  });
}
