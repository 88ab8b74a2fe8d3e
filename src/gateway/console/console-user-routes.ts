import type { FastifyPluginAsync } from 'fastify';
import { TWO_FACTORS, type TwoFactor } from '../../core/login-terms.js';
import { PASSWORD_MIN_LENGTH } from '../../core/password-policy.js';
import type { Gateway } from '../gateway.js';

interface NewUserBody {
  name: string;
  password: string;
  email?: string;
  sms?: string;
  token?: boolean;
  twoFactor?: TwoFactor;
}

interface UserChangeBody {
  email?: string;
  sms?: string;
  twoFactor?: TwoFactor;
  status?: 'enable' | 'disable';
}

/** Users: list, add, change, unlock, send (or resend) the activation. */
export function consoleUserRoutes(gateway: Gateway): FastifyPluginAsync {
  return async (api) => {
    api.get('/console/api/users', async () => {
      const now = gateway.clock();
      return (await gateway.listUsers()).map((user) => ({
        ...user,
        locked: user.lockedAt !== null && (user.lockedUntil === null || user.lockedUntil > now),
      }));
    });

    api.post<{ Body: NewUserBody }>(
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
              email: { type: 'string', maxLength: 256 },
              sms: { type: 'string', maxLength: 32 },
              token: { type: 'boolean' },
              /** `disable`: a password-only user, asked for explicitly (two-factor-required). */
              twoFactor: { type: 'string', enum: TWO_FACTORS },
            },
          },
        },
      },
      async (request) => {
        const { name, password, email, sms, token, twoFactor } = request.body;
        return gateway.addUser({
          name,
          password,
          ...(twoFactor === undefined ? {} : { twoFactor }),
          ...(email === undefined || email === '' ? {} : { email }),
          ...(sms === undefined || sms === '' ? {} : { sms }),
          ...(token === true ? { token: 'auto' } : {}),
        });
      },
    );

    api.patch<{ Params: { name: string }; Body: UserChangeBody }>(
      '/console/api/users/:name',
      {
        schema: {
          body: {
            type: 'object',
            additionalProperties: false,
            properties: {
              email: { type: 'string', maxLength: 256 },
              sms: { type: 'string', maxLength: 32 },
              twoFactor: { enum: TWO_FACTORS },
              status: { enum: ['enable', 'disable'] },
            },
          },
        },
      },
      async (request) => {
        const { email, sms, twoFactor, status } = request.body;
        return gateway.setUser(request.params.name, {
          ...(email === undefined ? {} : { email: email === '' ? null : email }),
          ...(sms === undefined ? {} : { sms: sms === '' ? null : sms }),
          ...(twoFactor === undefined ? {} : { twoFactor }),
          ...(status === undefined ? {} : { status }),
        });
      },
    );

    api.post<{ Params: { name: string } }>('/console/api/users/:name/unlock', async (request) => {
      await gateway.unlockUser(request.params.name);
      return { ok: true };
    });

    api.post<{ Params: { name: string } }>(
      '/console/api/users/:name/activation',
      async (request) => {
        const user = await gateway.showUser(request.params.name);
        if (user.tokenSerial === null) {
          return gateway.setUser(user.name, { token: 'auto', twoFactor: 'fortitoken' });
        }
        return gateway.resendActivation(user.tokenSerial);
      },
    );
  };
}
