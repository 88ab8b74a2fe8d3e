import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import { TokenwardError } from '../../core/errors.js';

/**
 * GET /metrics: the node's Prometheus metrics in the text format. With a token, the scraper
 * must send `Authorization: Bearer <token>`; compared as digests, in constant time.
 */
export function metricsRoute(registry: Registry, token: string | undefined): FastifyPluginAsync {
  const expected = token === undefined ? undefined : digest(token);
  return async (app) => {
    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      if (expected !== undefined) {
        const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
        if (given === undefined || !timingSafeEqual(digest(given), expected)) {
          reply.header('www-authenticate', 'Bearer realm="tokenward metrics"');
          throw new TokenwardError('TW_AUTH_REJECTED', {
            message: 'GET /metrics needs Authorization: Bearer <TOKENWARD_METRICS_TOKEN>.',
          });
        }
      }
      return reply.type(registry.contentType).send(await registry.metrics());
    });
  };
}

const digest = (text: string) => createHash('sha256').update(text).digest();
