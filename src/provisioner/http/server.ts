import Fastify, { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { Logger } from 'pino';
import { TokenwardError } from '../../core/errors.js';
import {
  DEFAULT_LISTENER_LIMITS,
  type ListenerLimits,
  limitedServer,
} from '../../http/listener-limits.js';
import { abortedWhenGone } from '../../http/request-signal.js';
import { buildResponse } from '../../protocol/softtoken/codec.js';
import type { Provisioner, ProvisionerReply } from '../provisioner.js';
import { appAssets } from './app-assets.js';
import { createProvisionerMetrics } from './metrics.js';

export interface ProvisionerServerOptions {
  readonly provisioner: Provisioner;
  readonly log: Logger;
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** Largest request body accepted; a Polling of 1,000 tokens is about 40 KiB. */
  readonly bodyLimit?: number;
  readonly limits?: ListenerLimits;
}

export const DEFAULT_BODY_LIMIT = 256 * 1024;

/** The provisioner's HTTP interface: the two SoftToken endpoints, the phone app, /healthz and /metrics. */
export function buildProvisionerServer(options: ProvisionerServerOptions) {
  const { provisioner } = options;
  const metrics = createProvisionerMetrics();
  const app = Fastify({
    loggerInstance: options.log,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // One log line per refused or failed exchange (written by the provisioner) instead of two per request.
    logController: new LogController({ disableRequestLogging: true }),
    serverFactory: limitedServer(options.limits ?? DEFAULT_LISTENER_LIMITS, options.tls),
  });

  // SoftToken bodies are read as text whatever their Content-Type: gateway signatures cover the
  // exact bytes, and a body that is not JSON must get a SoftToken error, not a framework one.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  // Closing ends long polls at once (they answer with what they have) instead of holding the
  // shutdown for up to 30 s.
  const closing = new AbortController();
  app.addHook('preClose', async () => closing.abort());
  const requestSignal = (reply: FastifyReply) =>
    AbortSignal.any([abortedWhenGone(reply), closing.signal]);

  const send = (
    endpoint: 'Process' | 'Mobile',
    started: number,
    reply: FastifyReply,
    answer: ProvisionerReply,
  ) => {
    metrics.observe(endpoint, answer.type, answer.result, (performance.now() - started) / 1000);
    return reply
      .code(answer.status)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(answer.body));
  };

  app.post('/SoftToken/Provisioning.asmx/Process', async (request, reply) => {
    const started = performance.now();
    const answer = await provisioner.handleGateway({
      authorization: request.headers.authorization,
      body: bodyOf(request),
      sourceIp: request.ip,
      signal: requestSignal(reply),
    });
    return send('Process', started, reply, answer);
  });

  app.post('/SoftToken/Provisioning.asmx/Mobile', async (request, reply) => {
    const started = performance.now();
    const answer = await provisioner.handleMobile({
      body: bodyOf(request),
      sourceIp: request.ip,
      signal: requestSignal(reply),
    });
    return send('Mobile', started, reply, answer);
  });

  // The phone app (Tokenward Authenticator): phones already reach this server.
  app.register(appAssets);

  // The VAPID public key the app subscribes to Web Push with (RFC 8292 section 3.2): public.
  app.get('/app/push-key', async (_request, reply) =>
    reply
      .header('cache-control', 'no-cache')
      .send({ vapid_public_key: await provisioner.webPushKey() }),
  );

  app.get('/healthz', async (_request, reply) => {
    const database = await provisioner.health();
    return reply
      .code(database === 'ok' ? 200 : 503)
      .send({ status: database === 'ok' ? 'ok' : 'degraded', database });
  });

  app.get('/metrics', async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  // Framework-level refusals (body too large, bad Content-Length, unknown route) still answer
  // with a SoftToken envelope and a 4xx; anything unexpected is a logged TW_INTERNAL.
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    const coded =
      status === 413
        ? new TokenwardError('TW_BODY_TOO_LARGE')
        : status < 500
          ? new TokenwardError('TW_PROTOCOL_MALFORMED', { detail: error.code })
          : new TokenwardError('TW_INTERNAL', { cause: error });
    if (coded.status >= 500) request.log.error({ err: error }, 'unexpected error');
    return reply.code(coded.status).send(buildResponse('Error', {}, 0, coded.toPublic()));
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).send(
      buildResponse('Error', {}, 0, {
        code: 'TW_PROTOCOL_MALFORMED',
        message:
          'No such endpoint. SoftToken requests go to POST /SoftToken/Provisioning.asmx/Process or /Mobile.',
      }),
    ),
  );
  return app;
}

function bodyOf(request: FastifyRequest): string {
  return typeof request.body === 'string' ? request.body : '';
}
