import swagger from '@fastify/swagger';
import Fastify, { LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import {
  DEFAULT_LISTENER_LIMITS,
  type ListenerLimits,
  limitedServer,
} from '../../http/listener-limits.js';
import type { TlsFiles } from '../../http/tls-files.js';
import type { AuthEngine } from '../auth/auth-engine.js';
import { consoleRoutes } from '../console/console-routes.js';
import type { Gateway } from '../gateway.js';
import { apiDocsRoutes, OPENAPI_INFO } from './api-docs.js';
import { gatewayErrorHandler } from './error-reply.js';
import { loginRoutes } from './login-routes.js';
import { metricsRoute } from './metrics-route.js';

/**
 * The gateway's HTTP interface: its health (the database, and the token server as the last
 * exchange found it) and, with an auth engine, the login API. The console mounts here too.
 */
export function buildGatewayServer(options: {
  readonly gateway: Gateway;
  readonly log: Logger;
  readonly auth?: AuthEngine;
  /** Serve the admin console (its page and API) too. */
  readonly console?: boolean;
  readonly limits?: ListenerLimits;
  /** Serve /metrics from this registry (with a bearer token, when one is set). */
  readonly metrics?: { readonly registry: Registry; readonly token?: string | undefined };
  /** Serve HTTPS with this certificate: the console's cookie is then Secure, and HSTS sent. */
  readonly tls?: TlsFiles;
}) {
  const app = Fastify({
    serverFactory: limitedServer(options.limits ?? DEFAULT_LISTENER_LIMITS, options.tls),
    loggerInstance: options.log,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    // Refuse what the schemas do not allow instead of quietly dropping or converting it.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
  });
  // Closing answers waiting pushes at once instead of holding the shutdown for their timeout.
  const closing = new AbortController();
  if (options.tls !== undefined) {
    // Browsers that met this listener over HTTPS never try it in clear for a year (RFC 6797).
    app.addHook('onSend', async (_request, reply) => {
      reply.header('strict-transport-security', 'max-age=31536000');
    });
  }
  app.addHook('preClose', async () => closing.abort());

  // 503 only when logins cannot work (the database); a token server that is away or refuses
  // the gateway degrades activation and push, and says why.
  app.get('/healthz', async (_request, reply) => {
    const { store: health, tokenServer } = await options.gateway.health();
    const database = health === 'ok';
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
  if (options.console === true) app.register(consoleRoutes(options.gateway, options.auth));
  app.register(apiDocsRoutes);
  if (options.metrics !== undefined) {
    app.register(metricsRoute(options.metrics.registry, options.metrics.token));
  }

  app.setErrorHandler(gatewayErrorHandler);
  return app;
}
