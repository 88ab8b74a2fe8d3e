import type { FastifyPluginAsync } from 'fastify';
import type { BulkInput, BulkResult, ImportInput, ImportResult } from './console-api-types.js';
import { BULK_ACTIONS } from './console-api-types.js';
import { text } from './console-schemas.js';
import { actingGateway } from './console-session-routes.js';
import { confirmed } from './console-user-routes.js';

/** Many users at once: an action on a selection, and CSV import with a preview. */
export const consoleUserBulkRoutes: FastifyPluginAsync = async (api) => {
  api.post<{ Body: BulkInput; Reply: BulkResult }>(
    '/console/api/users/bulk',
    {
      schema: {
        body: {
          type: 'object',
          required: ['action', 'names'],
          additionalProperties: false,
          properties: {
            action: { enum: BULK_ACTIONS },
            names: { type: 'array', minItems: 1, maxItems: 500, items: text(64, 1) },
            confirm: { type: 'boolean' },
          },
        },
      },
    },
    async (request) => {
      if (request.body.action === 'delete') confirmed(request.body);
      return actingGateway(request).bulkUsers(request.body.action, request.body.names);
    },
  );

  api.post<{ Body: ImportInput; Reply: ImportResult }>(
    '/console/api/users/import',
    {
      // 5,000 lines of users fit in 1 MiB.
      bodyLimit: 1024 * 1024,
      schema: {
        body: {
          type: 'object',
          required: ['csv', 'commit'],
          additionalProperties: false,
          properties: { csv: text(1024 * 1024, 1), commit: { type: 'boolean' } },
        },
      },
    },
    (request) => actingGateway(request).importUsers(request.body),
  );
};
