import type { FastifyPluginAsync } from 'fastify';
import { ACTIVATION_EXPIRY_HOURS } from '../../core/limits.js';
import { AUTH_RESULTS, type AuthResult, OTP_MODES, type OtpMode } from '../../core/login-terms.js';
import type { Gateway } from '../gateway.js';
import { GATEWAY_SETTINGS } from '../gateway-settings.js';

interface RadiusClientBody {
  name: string;
  address: string;
  secret: string;
  otpMode?: OtpMode;
}

interface SettingsBody {
  activationExpiryHours: number;
  lockoutThreshold: number;
  lockoutDurationSeconds: number;
}

const lockoutThreshold = GATEWAY_SETTINGS['user setting']['auth-lockout-threshold'];
const lockoutDuration = GATEWAY_SETTINGS['user setting']['auth-lockout-duration'];

/** The dashboard, the auth log, RADIUS clients and the settings. */
export function consoleAdminRoutes(gateway: Gateway): FastifyPluginAsync {
  return async (api) => {
    api.get('/console/api/overview', () => gateway.overview());

    api.get<{ Querystring: { user?: string; result?: AuthResult } }>(
      '/console/api/auth-log',
      {
        schema: {
          querystring: {
            type: 'object',
            properties: {
              user: { type: 'string', maxLength: 128 },
              result: { anyOf: [{ enum: AUTH_RESULTS }, { const: '' }] },
            },
          },
        },
      },
      async (request) =>
        gateway.listAuthLog({
          limit: 200,
          ...(request.query.user ? { username: request.query.user } : {}),
          ...(request.query.result ? { result: request.query.result } : {}),
        }),
    );

    api.get('/console/api/radius-clients', () => gateway.listRadiusClients());
    api.post<{ Body: RadiusClientBody }>(
      '/console/api/radius-clients',
      {
        schema: {
          body: {
            type: 'object',
            required: ['name', 'address', 'secret'],
            additionalProperties: false,
            properties: {
              name: { type: 'string', maxLength: 64 },
              address: { type: 'string', maxLength: 64 },
              secret: { type: 'string', maxLength: 128 },
              otpMode: { enum: OTP_MODES },
            },
          },
        },
      },
      async (request) => ({ name: (await gateway.saveRadiusClient(request.body)).name }),
    );
    api.delete<{ Params: { name: string } }>(
      '/console/api/radius-clients/:name',
      async (request) => {
        await gateway.removeRadiusClient(request.params.name);
        return { removed: true };
      },
    );

    api.get('/console/api/settings', async () => {
      const policy = await gateway.policy();
      return {
        activationExpiryHours: policy.activationExpiryHours,
        lockoutThreshold: policy.lockout.threshold,
        lockoutDurationSeconds: policy.lockout.durationSeconds,
      };
    });
    api.put<{ Body: SettingsBody }>(
      '/console/api/settings',
      {
        schema: {
          body: {
            type: 'object',
            required: ['activationExpiryHours', 'lockoutThreshold', 'lockoutDurationSeconds'],
            additionalProperties: false,
            properties: {
              activationExpiryHours: {
                type: 'integer',
                minimum: ACTIVATION_EXPIRY_HOURS.min,
                maximum: ACTIVATION_EXPIRY_HOURS.max,
              },
              lockoutThreshold: {
                type: 'integer',
                minimum: lockoutThreshold.min,
                maximum: lockoutThreshold.max,
              },
              lockoutDurationSeconds: {
                type: 'integer',
                minimum: lockoutDuration.min,
                maximum: lockoutDuration.max,
              },
            },
          },
        },
      },
      async (request) => {
        const body = request.body;
        await gateway.changeSettings([
          {
            path: 'system global',
            name: 'two-factor-ftm-expiry',
            value: body.activationExpiryHours,
          },
          { path: 'user setting', name: 'auth-lockout-threshold', value: body.lockoutThreshold },
          {
            path: 'user setting',
            name: 'auth-lockout-duration',
            value: body.lockoutDurationSeconds,
          },
        ]);
        return body;
      },
    );
  };
}
