import type { FastifyPluginAsync } from 'fastify';
import { TokenwardError } from '../../core/errors.js';
import type { Gateway } from '../gateway.js';

const TOKEN_ACTIONS = ['resend', 'reprovision', 'revoke', 'lock', 'unlock'] as const;
type TokenAction = (typeof TOKEN_ACTIONS)[number];

/** Tokens: the table, and resend, reprovision (confirmed), revoke, lock, unlock. */
export function consoleTokenRoutes(gateway: Gateway): FastifyPluginAsync {
  return async (api) => {
    api.get('/console/api/tokens', async () =>
      (await gateway.listTokensWithUsers()).map((token) => ({
        serial: token.serial,
        licence: token.licence,
        state: token.state,
        status: token.status,
        user: token.user,
        regId: token.regId,
        osVer: token.osVer,
        activationExpiresAt: token.activationExpiresAt,
        drift: token.drift,
      })),
    );

    api.post<{
      Params: { serial: string; action: TokenAction };
      Body: { confirm?: boolean } | null;
    }>(
      '/console/api/tokens/:serial/:action',
      {
        schema: {
          params: {
            type: 'object',
            required: ['serial', 'action'],
            properties: { serial: { type: 'string' }, action: { enum: TOKEN_ACTIONS } },
          },
        },
      },
      async (request) => {
        const { serial, action } = request.params;
        switch (action) {
          case 'resend':
            return gateway.resendActivation(serial);
          case 'reprovision':
            if (request.body?.confirm !== true) {
              throw new TokenwardError('TW_CONFIRMATION_REQUIRED', { data: { field: 'confirm' } });
            }
            return gateway.reprovisionToken(serial);
          case 'revoke':
            await gateway.revokeToken(serial);
            return { ok: true };
          case 'lock':
          case 'unlock':
            await gateway.setTokenStatus(serial, action === 'lock' ? 'lock' : 'active');
            return { ok: true };
        }
      },
    );
  };
}
