import swagger from '@fastify/swagger';
import Fastify, { LogController } from 'fastify';
import type { Logger } from 'pino';
import { isTokenwardError, TokenwardError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import type { AuthEngine } from '../auth/auth-engine.js';
import { type ConsoleDependencies, consoleRoutes } from '../console/console-routes.js';
import { apiDocsRoutes, OPENAPI_INFO } from './api-docs.js';
import { loginRoutes } from './login-routes.js';

/**
 * The gateway's HTTP interface: its health (the database, and the token server as the last
 * exchange found it) and, with an auth engine, the login API. The console mounts here too.
 */
export function buildGatewayServer(options: {
  store: Store;
  log: Logger;
  auth?: AuthEngine;
  console?: ConsoleDependencies;
}) {
  const app = Fastify({
    loggerInstance: options.log,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    // Refuse what the schemas do not allow instead of quietly dropping or converting it.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
  });
  // Closing answers waiting pushes at once instead of holding the shutdown for their timeout.
  const closing = new AbortController();
  app.addHook('preClose', async () => closing.abort());

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
  app.register(swagger, { openapi: OPENAPI_INFO });
  if (options.auth !== undefined) app.register(loginRoutes(options.auth, closing.signal));
  if (options.console !== undefined) app.register(consoleRoutes(options.console));
  app.register(apiDocsRoutes);

  app.setErrorHandler(
    (error: Error & { statusCode?: number; validation?: unknown }, request, reply) => {
      const status = error.statusCode ?? 500;
      const coded = isTokenwardError(error)
        ? error
        : error.validation !== undefined
          ? new TokenwardError('TW_INPUT_INVALID', {
              message: `The request is not valid: ${error.message}.`,
            })
          : status === 413
            ? new TokenwardError('TW_BODY_TOO_LARGE')
            : status < 500
              ? new TokenwardError('TW_INPUT_INVALID', { detail: error.message })
              : new TokenwardError('TW_INTERNAL', { cause: error });
      if (coded.status >= 500) request.log.error({ err: error }, 'unexpected error');
      return reply.code(coded.status).send({ result: 'error', error: coded.toPublic() });
    },
  );
  return app;
}
