import type { FastifyPluginAsync } from 'fastify';
import type { Checklist, Overview } from './console-api-types.js';
import { actingGateway } from './console-session-routes.js';

/** The dashboard: its cards and the first-run checklist (for the signed-in admin). */
export const consoleDashboardRoutes: FastifyPluginAsync = async (api) => {
  api.get<{ Reply: Overview }>('/console/api/overview', (request) =>
    actingGateway(request).overview(),
  );
  api.get<{ Reply: Checklist }>('/console/api/checklist', (request) =>
    actingGateway(request).setupChecklist(request.consoleSession?.user ?? ''),
  );
};
