import type { FastifyPluginAsync } from 'fastify';
import { TokenwardError } from '../../core/errors.js';
import { TWO_FACTORS } from '../../core/login-terms.js';
import { PASSWORD_MIN_LENGTH } from '../../core/password-policy.js';
import { TOKEN_STATES } from '../../core/token-state.js';
import type {
  NewUserInput,
  Ok,
  UserChangeInput,
  UserDetail,
  UsersPage,
  UsersQuery,
} from './console-api-types.js';
import { USER_SORT_KEYS } from './console-api-types.js';
import { CONFIRM_BODY, PAGING, pageOf, text } from './console-schemas.js';
import { actingGateway } from './console-session-routes.js';

type Named = { Params: { name: string } };

export const confirmed = (body: { confirm?: boolean } | null | undefined) => {
  if (body?.confirm !== true) {
    throw new TokenwardError('TW_CONFIRMATION_REQUIRED', { data: { field: 'confirm' } });
  }
};

/**
 * Users: the paged table, a user's page, adding and changing, the password, unlocking, the
 * activation (send, resend, or reprovision with confirmation), deleting (confirmed).
 */
export const consoleUserRoutes: FastifyPluginAsync = async (api) => {
  api.get<{ Querystring: UsersQuery; Reply: UsersPage }>(
    '/console/api/users',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            text: text(128),
            twoFactor: { enum: TWO_FACTORS },
            tokenState: { enum: [...TOKEN_STATES, 'none'] },
            locked: { enum: ['yes', 'no'] },
            group: text(64, 1),
            sort: { enum: USER_SORT_KEYS },
            ...PAGING,
          },
        },
      },
    },
    async (request) => {
      const q = request.query;
      return actingGateway(request).findUsers({
        ...pageOf(q),
        sort: q.sort ?? 'name',
        descending: q.order === 'desc',
        ...(q.text === undefined ? {} : { text: q.text }),
        ...(q.twoFactor === undefined ? {} : { twoFactor: q.twoFactor }),
        ...(q.tokenState === undefined ? {} : { tokenState: q.tokenState }),
        ...(q.locked === undefined ? {} : { locked: q.locked === 'yes' }),
        ...(q.group === undefined ? {} : { group: q.group }),
      });
    },
  );

  api.get<Named & { Reply: UserDetail }>('/console/api/users/:name', (request) =>
    actingGateway(request).userDetail(request.params.name),
  );

  api.post<{ Body: NewUserInput }>(
    '/console/api/users',
    {
      schema: {
        body: {
          type: 'object',
          required: ['name', 'password'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[^\\s"]+$' },
            password: { type: 'string', minLength: PASSWORD_MIN_LENGTH.user, maxLength: 256 },
            email: text(256),
            sms: text(32),
            token: { type: 'boolean' },
            /** `disable`: a password-only user, asked for explicitly (two-factor-required). */
            twoFactor: { enum: TWO_FACTORS },
          },
        },
      },
    },
    async (request) => {
      const { name, password, email, sms, token, twoFactor } = request.body;
      return actingGateway(request).addUser({
        name,
        password,
        ...(twoFactor === undefined ? {} : { twoFactor }),
        ...(email === undefined || email === '' ? {} : { email }),
        ...(sms === undefined || sms === '' ? {} : { sms }),
        ...(token === true ? { token: 'auto' } : {}),
      });
    },
  );

  api.patch<Named & { Body: UserChangeInput }>(
    '/console/api/users/:name',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            email: text(256),
            sms: text(32),
            twoFactor: { enum: TWO_FACTORS },
            status: { enum: ['enable', 'disable'] },
          },
        },
      },
    },
    async (request) => {
      const { email, sms, twoFactor, status } = request.body;
      return actingGateway(request).setUser(request.params.name, {
        ...(email === undefined ? {} : { email: email === '' ? null : email }),
        ...(sms === undefined ? {} : { sms: sms === '' ? null : sms }),
        ...(twoFactor === undefined ? {} : { twoFactor }),
        ...(status === undefined ? {} : { status }),
      });
    },
  );

  api.post<Named & { Body: { password: string }; Reply: Ok }>(
    '/console/api/users/:name/password',
    {
      schema: {
        body: {
          type: 'object',
          required: ['password'],
          additionalProperties: false,
          properties: { password: text(256, 1) },
        },
      },
    },
    async (request) => {
      await actingGateway(request).setUserPassword(request.params.name, request.body.password);
      return { ok: true };
    },
  );

  api.post<Named & { Reply: Ok }>('/console/api/users/:name/unlock', async (request) => {
    await actingGateway(request).unlockUser(request.params.name);
    return { ok: true };
  });

  // Sends the activation: a free token first for a user with none; the pending one again (or a
  // new code once it ran out); `reprovision` (confirmed) for a token active on a phone.
  api.post<Named & { Body: { reprovision?: boolean; confirm?: boolean } | null }>(
    '/console/api/users/:name/activation',
    {
      schema: {
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: { reprovision: { type: 'boolean' }, confirm: { type: 'boolean' } },
        },
      },
    },
    async (request) => {
      const gateway = actingGateway(request);
      const user = await gateway.showUser(request.params.name);
      if (user.tokenSerial === null) {
        return gateway.setUser(user.name, { token: 'auto', twoFactor: 'fortitoken' });
      }
      if (request.body?.reprovision === true) {
        confirmed(request.body);
        return gateway.reprovisionToken(user.tokenSerial);
      }
      return gateway.resendActivation(user.tokenSerial);
    },
  );

  api.delete<Named & { Body: { confirm?: boolean } | null; Reply: Ok }>(
    '/console/api/users/:name',
    { schema: { body: { ...CONFIRM_BODY, type: ['object', 'null'] } } },
    async (request) => {
      confirmed(request.body);
      await actingGateway(request).deleteUser(request.params.name);
      return { ok: true };
    },
  );
};
