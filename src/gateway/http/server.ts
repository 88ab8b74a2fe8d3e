import Fastify, { LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Store } from '../../store/store.js';

/**
 * The gateway's HTTP interface. For now its health: the database and the token server as the
 * last exchange found it. The login API and the console mount here as they arrive.
 */
export function buildGatewayServer(options: { store: Store; log: Logger }) {
  const app = Fastify({
    loggerInstance: options.log,
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.get('/healthz', async (_request, reply) => {
    const database = await options.store.ping();
    const tokenServer = database
      ? String((await options.store.settings.get('gateway.token-server-status')) ?? 'unknown')
      : 'unknown';
    return reply.code(database ? 200 : 503).send({
      status: database ? 'ok' : 'degraded',
      database: database ? 'ok' : 'unreachable',
      token_server: tokenServer,
    });
  });
  return app;
}
