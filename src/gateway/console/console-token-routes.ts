import type { FastifyPluginAsync } from 'fastify';
import { TokenwardError } from '../../core/errors.js';
import { TOKEN_STATES } from '../../core/token-state.js';
import type {
  AuditRow,
  DeskActivation,
  TokenDetail,
  TokenRow,
  TokensPage,
  TokensQuery,
} from './console-api-types.js';
import { TOKEN_SORT_KEYS } from './console-api-types.js';
import { PAGING, pageOf, text } from './console-schemas.js';
import { actingGateway } from './console-session-routes.js';

const TOKEN_ACTIONS = [
  'resend',
  'reprovision',
  'revoke',
  'lock',
  'unlock',
  'show-activation',
] as const;
type TokenAction = (typeof TOKEN_ACTIONS)[number];
/** What changes a phone's token for good: the admin confirms, having read what happens. */
const CONFIRMED: readonly TokenAction[] = ['reprovision', 'revoke'];

const row = (token: TokenRow): TokenRow => ({
  serial: token.serial,
  licence: token.licence,
  state: token.state,
  status: token.status,
  user: token.user,
  regId: token.regId,
  osVer: token.osVer,
  activationExpiresAt: token.activationExpiresAt,
  drift: token.drift,
  updatedAt: token.updatedAt,
});

/**
 * Tokens: the paged table, a token's page with its history, and resend, reprovision and revoke
 * (confirmed), lock, unlock, and the activation shown on screen (audited).
 */
export const consoleTokenRoutes: FastifyPluginAsync = async (api) => {
  api.get<{ Querystring: TokensQuery; Reply: TokensPage }>(
    '/console/api/tokens',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            text: text(128),
            state: { enum: TOKEN_STATES },
            status: { enum: ['active', 'lock'] },
            sort: { enum: TOKEN_SORT_KEYS },
            ...PAGING,
          },
        },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await actingGateway(request).findTokens({
        ...pageOf(q),
        sort: q.sort ?? 'serial',
        descending: q.order === 'desc',
        ...(q.text === undefined ? {} : { text: q.text }),
        ...(q.state === undefined ? {} : { state: q.state }),
        ...(q.status === undefined ? {} : { status: q.status }),
      });
      return { ...page, tokens: page.tokens.map(row) };
    },
  );

  api.get<{ Params: { serial: string }; Reply: TokenDetail }>(
    '/console/api/tokens/:serial',
    async (request) => {
      const gateway = actingGateway(request);
      const token = await gateway.showToken(request.params.serial);
      const history = await gateway.auditPage({ subject: token.serial, limit: 100 });
      return { token: row(token), history: history.entries as AuditRow[] };
    },
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
          properties: { serial: text(32, 1), action: { enum: TOKEN_ACTIONS } },
        },
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: { confirm: { type: 'boolean' } },
        },
      },
    },
    async (
      request,
    ): Promise<DeskActivation | { serial: string; delivered?: string } | { ok: true }> => {
      const { serial, action } = request.params;
      if (CONFIRMED.includes(action) && request.body?.confirm !== true) {
        throw new TokenwardError('TW_CONFIRMATION_REQUIRED', { data: { field: 'confirm' } });
      }
      const gateway = actingGateway(request);
      switch (action) {
        case 'resend':
          return gateway.resendActivation(serial);
        case 'reprovision':
          return gateway.reprovisionToken(serial);
        case 'show-activation':
          return gateway.deskActivation(serial);
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
