import type { FastifyPluginAsync } from 'fastify';
import { OTP_MODES } from '../../core/login-terms.js';
import type {
  DeliverySettings,
  DeliveryTest,
  MailSettings,
  Ok,
  RadiusClientRow,
  SettingField,
  SettingsChange,
} from './console-api-types.js';
import { text } from './console-schemas.js';
import { actingGateway } from './console-session-routes.js';

/** Settings (policy, mail, SMS, with a test message) and the RADIUS clients. */
export const consoleSettingsRoutes: FastifyPluginAsync = async (api) => {
  api.get<{ Reply: SettingField[] }>('/console/api/settings', (request) =>
    actingGateway(request).consoleSettings(),
  );
  api.put<{ Body: SettingsChange; Reply: Ok }>(
    '/console/api/settings',
    {
      schema: {
        body: {
          type: 'object',
          required: ['changes'],
          additionalProperties: false,
          properties: {
            changes: {
              type: 'array',
              minItems: 1,
              maxItems: 50,
              items: {
                type: 'object',
                required: ['path', 'name', 'value'],
                additionalProperties: false,
                properties: {
                  path: text(64, 1),
                  name: text(64, 1),
                  value: { anyOf: [{ type: 'integer' }, { type: 'string', maxLength: 256 }] },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      await actingGateway(request).changeConsoleSettings(request.body.changes);
      return { ok: true };
    },
  );

  api.get<{ Reply: DeliverySettings }>('/console/api/delivery', (request) =>
    actingGateway(request).showDeliverySettings(),
  );
  api.put<{ Body: MailSettings; Reply: Ok }>(
    '/console/api/delivery/mail',
    {
      schema: {
        body: {
          type: 'object',
          required: ['host', 'port', 'tls', 'from'],
          additionalProperties: false,
          properties: {
            host: text(253, 1),
            port: { type: 'integer', minimum: 1, maximum: 65_535 },
            tls: { enum: ['implicit', 'starttls', 'none'] },
            from: text(256, 3),
            user: text(256),
            password: text(256),
          },
        },
      },
    },
    async (request) => {
      const { user, password, ...rest } = request.body;
      // An empty password field keeps the stored one (the console never shows it).
      await actingGateway(request).setMailServer({
        ...rest,
        ...(user === undefined || user === '' ? {} : { user }),
        ...(password === undefined || password === '' ? { keepPassword: true } : { password }),
      });
      return { ok: true };
    },
  );
  api.put<{ Body: { webhook: string }; Reply: Ok }>(
    '/console/api/delivery/sms',
    {
      schema: {
        body: {
          type: 'object',
          required: ['webhook'],
          additionalProperties: false,
          properties: { webhook: text(2048, 1) },
        },
      },
    },
    async (request) => {
      await actingGateway(request).setSmsWebhook(request.body.webhook);
      return { ok: true };
    },
  );
  api.post<{ Body: DeliveryTest; Reply: { answer: string } }>(
    '/console/api/delivery/test',
    {
      schema: {
        body: {
          type: 'object',
          required: ['channel', 'to'],
          additionalProperties: false,
          properties: { channel: { enum: ['email', 'sms'] }, to: text(256, 3) },
        },
      },
    },
    (request) => actingGateway(request).testDelivery(request.body),
  );

  api.get<{ Reply: RadiusClientRow[] }>('/console/api/radius-clients', (request) =>
    actingGateway(request).listRadiusClients(),
  );
  api.post<{
    Body: { name: string; address: string; secret: string; otpMode?: (typeof OTP_MODES)[number] };
  }>(
    '/console/api/radius-clients',
    {
      schema: {
        body: {
          type: 'object',
          required: ['name', 'address', 'secret'],
          additionalProperties: false,
          properties: {
            name: text(64, 1),
            address: text(64, 1),
            secret: text(128, 1),
            otpMode: { enum: OTP_MODES },
          },
        },
      },
    },
    async (request) => ({
      name: (await actingGateway(request).saveRadiusClient(request.body)).name,
    }),
  );
  api.delete<{ Params: { name: string }; Reply: Ok }>(
    '/console/api/radius-clients/:name',
    async (request) => {
      await actingGateway(request).removeRadiusClient(request.params.name);
      return { ok: true };
    },
  );
};
