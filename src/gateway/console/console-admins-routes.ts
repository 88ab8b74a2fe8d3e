import type { FastifyPluginAsync } from 'fastify';
import { CONSOLE_ROLES } from '../../core/console-role.js';
import { PASSWORD_MIN_LENGTH } from '../../core/password-policy.js';
import type { AdminInput, AdminRow, Ok } from './console-api-types.js';
import { text } from './console-schemas.js';
import { actingGateway } from './console-session-routes.js';

/** The console's admins: list, add or change (role, password, token user), remove. */
export const consoleAdminsRoutes: FastifyPluginAsync = async (api) => {
  api.get<{ Reply: AdminRow[] }>('/console/api/admins', (request) =>
    actingGateway(request).listConsoleAdmins(),
  );
  api.post<{ Body: AdminInput; Reply: Ok }>(
    '/console/api/admins',
    {
      schema: {
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[^\\s"]+$' },
            password: text(256, PASSWORD_MIN_LENGTH.admin),
            role: { enum: CONSOLE_ROLES },
            tokenUser: { anyOf: [text(64, 1), { type: 'null' }] },
          },
        },
      },
    },
    async (request) => {
      await actingGateway(request).saveConsoleAdmin(request.body);
      return { ok: true };
    },
  );
  api.delete<{ Params: { name: string }; Reply: Ok }>(
    '/console/api/admins/:name',
    async (request) => {
      await actingGateway(request).removeConsoleAdmin(request.params.name);
      return { ok: true };
    },
  );
};
