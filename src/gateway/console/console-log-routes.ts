import { stringify } from 'csv-stringify/sync';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { COUNT_CAP } from '../../core/limits.js';
import { AUTH_RESULTS } from '../../core/login-terms.js';
import type { AuditPage, AuthLogPage, LoginStats, LogQuery } from './console-api-types.js';
import { PAGING, pageOf, QUERY_INTEGER, text } from './console-schemas.js';
import { actingGateway } from './console-session-routes.js';

const LOG_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    text: text(128),
    result: { enum: AUTH_RESULTS },
    frontEnd: { enum: ['http', 'radius', 'cli'] },
    outcome: { enum: ['success', 'failure'] },
    since: QUERY_INTEGER,
    until: QUERY_INTEGER,
    format: { enum: ['csv', 'json'] },
    ...PAGING,
  },
} as const;

/** The filters both logs share, from the query string. */
function filtersOf(q: LogQuery) {
  return {
    ...(q.text === undefined || q.text === '' ? {} : { text: q.text }),
    ...(q.since === undefined ? {} : { since: Number(q.since) }),
    ...(q.until === undefined ? {} : { until: Number(q.until) }),
  };
}

const AUTH_COLUMNS = [
  'at',
  'username',
  'sourceIp',
  'frontEnd',
  'client',
  'method',
  'result',
  'reason',
  'latencyMs',
  'node',
] as const;
const AUDIT_COLUMNS = ['at', 'actor', 'action', 'subject', 'outcome', 'detail'] as const;

/** A download of up to 10,000 entries as the table shows them (times in ISO 8601, UTC). */
function sendExport(
  reply: FastifyReply,
  name: string,
  format: 'csv' | 'json',
  columns: readonly string[],
  entries: readonly object[],
) {
  const rows = entries.map((entry) =>
    Object.fromEntries(
      columns.map((column) => {
        const value = (entry as Record<string, unknown>)[column];
        if (column === 'at') return [column, new Date(Number(value)).toISOString()];
        if (value !== null && typeof value === 'object') return [column, JSON.stringify(value)];
        return [column, value ?? null];
      }),
    ),
  );
  reply.header('content-disposition', `attachment; filename="${name}.${format}"`);
  if (format === 'json') return reply.type('application/json').send(JSON.stringify(rows, null, 1));
  return reply
    .type('text/csv; charset=utf-8')
    .send(stringify(rows, { header: true, columns: [...columns] }));
}

/** The auth log and the admin audit trail: paged, searched, filtered, exported; login stats. */
export const consoleLogRoutes: FastifyPluginAsync = async (api) => {
  api.get<{ Querystring: LogQuery; Reply: AuthLogPage }>(
    '/console/api/auth-log',
    { schema: { querystring: LOG_QUERY } },
    (request) => {
      const q = request.query;
      return actingGateway(request).authLogPage({
        ...filtersOf(q),
        ...pageOf(q),
        ...(q.result === undefined ? {} : { result: q.result }),
        ...(q.frontEnd === undefined ? {} : { frontEnd: q.frontEnd }),
      });
    },
  );

  api.get<{ Querystring: LogQuery }>(
    '/console/api/auth-log/export',
    { schema: { querystring: LOG_QUERY } },
    async (request, reply) => {
      const q = request.query;
      const page = await actingGateway(request).authLogPage({
        ...filtersOf(q),
        limit: COUNT_CAP,
        ...(q.result === undefined ? {} : { result: q.result }),
        ...(q.frontEnd === undefined ? {} : { frontEnd: q.frontEnd }),
      });
      return sendExport(reply, 'auth-log', q.format ?? 'csv', AUTH_COLUMNS, page.entries);
    },
  );

  api.get<{ Querystring: LogQuery; Reply: AuditPage }>(
    '/console/api/audit',
    { schema: { querystring: LOG_QUERY } },
    async (request) => {
      const q = request.query;
      const page = await actingGateway(request).auditPage({
        ...filtersOf(q),
        ...pageOf(q),
        ...(q.outcome === undefined ? {} : { outcome: q.outcome }),
      });
      return page as AuditPage;
    },
  );

  api.get<{ Querystring: LogQuery }>(
    '/console/api/audit/export',
    { schema: { querystring: LOG_QUERY } },
    async (request, reply) => {
      const q = request.query;
      const page = await actingGateway(request).auditPage({
        ...filtersOf(q),
        limit: COUNT_CAP,
        ...(q.outcome === undefined ? {} : { outcome: q.outcome }),
      });
      return sendExport(reply, 'audit', q.format ?? 'csv', AUDIT_COLUMNS, page.entries);
    },
  );

  api.get<{ Querystring: { hours?: string }; Reply: LoginStats }>(
    '/console/api/login-stats',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { hours: { enum: ['24', '168'] } },
        },
      },
    },
    (request) => actingGateway(request).loginStats(Number(request.query.hours ?? 24)),
  );
};
