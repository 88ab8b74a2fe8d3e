import swagger from '@fastify/swagger';
import Fastify, { LogController } from 'fastify';
import type { Logger } from 'pino';
import { isTokenwardError, TokenwardError } from '../../core/errors.js';
import {
  DEFAULT_LISTENER_LIMITS,
  type ListenerLimits,
  limitedServer,
} from '../../http/listener-limits.js';
import type { Store } from '../../store/store.js';
import type { AuthEngine } from '../auth/auth-engine.js';
import { type ConsoleDependencies, consoleRoutes } from '../console/console-routes.js';
import { readTokenServerStatus, TOKEN_SERVER_STATUS_KEY } from '../token-server-status.js';
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
  limits?: ListenerLimits;
}) {
  const app = Fastify({
    serverFactory: limitedServer(options.limits ?? DEFAULT_LISTENER_LIMITS),
    loggerInstance: options.log,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    // Refuse what the schemas do not allow instead of quietly dropping or converting it.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
  });
  // Closing answers waiting pushes at once instead of holding the shutdown for their timeout.
  const closing = new AbortController();
  app.addHook('preClose', async () => closing.abort());

  // 503 only when logins cannot work (the database); a token server that is away or refuses
  // the gateway degrades activation and push, and says why.
  app.get('/healthz', async (_request, reply) => {
    const health = await options.store.health(Date.now());
    const database = health === 'ok';
    const tokenServer = database
      ? readTokenServerStatus(await options.store.settings.get(TOKEN_SERVER_STATUS_KEY))
      : undefined;
    return reply.code(database ? 200 : 503).send({
      status: database && tokenServer?.status === 'reachable' ? 'ok' : 'degraded',
      database: health,
      token_server: tokenServer?.status ?? 'unknown',
      ...(tokenServer?.code === undefined
        ? {}
        : { token_server_error: { code: tokenServer.code, message: tokenServer.message ?? '' } }),
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
