import { createSocket, type RemoteInfo } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { isTokenwardError } from '../../core/errors.js';
import {
  checkRequestMessageAuthenticator,
  encodeResponse,
} from '../../protocol/radius/authenticators.js';
import { decodePacket, RadiusCode, type RadiusPacket } from '../../protocol/radius/packet.js';
import type { AuthEngine } from '../auth/auth-engine.js';
import type { Gateway } from '../gateway.js';
import type { GatewayMetrics, RadiusDrop } from '../gateway-metrics.js';
import { createClientRegistry, type KnownClient } from './client-registry.js';
import { createDropLogLimiter } from './drop-log-limiter.js';
import { answer, responseCode } from './radius-answer.js';
import { decideRadiusRequest } from './radius-decision.js';
import { createResponseCache } from './response-cache.js';

export const DEFAULT_RADIUS_PORT = 1812;

export interface RadiusServerDependencies {
  /** Where the RADIUS clients and their secrets come from. */
  readonly gateway: Pick<Gateway, 'radiusClientsWithSecrets' | 'configVersion'>;
  readonly auth: AuthEngine;
  readonly log: Logger;
  readonly clock?: () => number;
  /** The node's /metrics: requests, drops, retransmissions, requests left unanswered. */
  readonly metrics?: GatewayMetrics;
}

/**
 * The RADIUS authentication server (RFC 2865) in front of the auth engine: PAP, with the token
 * code appended to the password or asked for in an Access-Challenge, or a push for an empty
 * answer. Unknown sources and unverifiable packets are dropped and logged, never answered.
 */
/** Why a request got no answer (the NAS retries, then fails over), for the log. */
const UNANSWERED = {
  TW_STORE_UNAVAILABLE: 'radius request unanswered: database away',
  TW_AUTH_BUSY: 'radius request unanswered: password checks queue full',
  TW_DIRECTORY_UNAVAILABLE: 'radius request unanswered: directory away (directory-down no-answer)',
} as const;

export function createRadiusServer(deps: RadiusServerDependencies) {
  const { auth, log } = deps;
  const clock = deps.clock ?? Date.now;
  const clients = createClientRegistry({
    load: deps.gateway.radiusClientsWithSecrets,
    version: deps.gateway.configVersion,
  });
  const cache = createResponseCache();
  const socket = createSocket('udp4');
  const closing = new AbortController();
  const inFlight = new Set<Promise<void>>();
  const quietDrops = createDropLogLimiter();

  const drop = (reason: RadiusDrop, from: RemoteInfo, client?: KnownClient) => {
    deps.metrics?.radiusDropped(reason);
    const suppressed = quietDrops.note(`${from.address}|${reason}`, clock());
    if (suppressed === undefined) return;
    log.warn(
      {
        source: from.address,
        client: client?.name ?? null,
        reason,
        ...(suppressed > 0 ? { suppressed } : {}),
      },
      'radius request dropped',
    );
  };

  const handle = async (datagram: Buffer, from: RemoteInfo) => {
    const started = performance.now();
    const client = await clients.match(from.address);
    if (client === undefined) return drop('unknown-client', from);
    let request: RadiusPacket;
    try {
      request = decodePacket(datagram);
    } catch {
      return drop('malformed', from, client);
    }
    if (request.code !== RadiusCode.AccessRequest) return drop('not-access-request', from, client);
    const authenticated = checkRequestMessageAuthenticator(request, client.secret);
    if (authenticated === 'invalid') return drop('message-authenticator-invalid', from, client);
    if (authenticated === 'missing' && client.messageAuthenticator === 'require') {
      return drop('message-authenticator-missing', from, client);
    }

    const key = `${from.address}|${from.port}|${request.identifier}|${request.authenticator.toString('hex')}`;
    const cached = cache.begin(key, clock());
    if (cached === 'pending') return;
    if (cached !== 'new') {
      deps.metrics?.radiusRetransmission();
      socket.send(cached, from.port, from.address);
      return;
    }
    let decided: Awaited<ReturnType<typeof decideRadiusRequest>>;
    try {
      decided = await decideRadiusRequest(
        auth,
        request,
        client,
        authenticated === 'missing',
        closing.signal,
      );
    } catch (error) {
      cache.abandon(key);
      throw error;
    }
    const { flow, username, outcome } = decided;
    const response = encodeResponse(request, responseCode(outcome), answer(outcome), client.secret);
    cache.finish(key, response, clock());
    if (!closing.signal.aborted) socket.send(response, from.port, from.address);
    // The auth engine logs each decision; this line adds the RADIUS flow (and is the only line
    // for a request the engine never saw). Gated: at the usual level nothing is even built.
    const level = flow === 'invalid' ? 'info' : 'debug';
    if (!log.isLevelEnabled(level)) return;
    log[level](
      {
        client: client.name,
        user: username,
        flow,
        result: outcome.result,
        reason: outcome.reason,
        latency_ms: Math.round(performance.now() - started),
      },
      'radius',
    );
  };

  socket.on('message', (datagram, from) => {
    deps.metrics?.radiusRequest();
    const handled = handle(datagram, from).catch((error: unknown) => {
      // No answer: the NAS retries, then fails over to its next RADIUS server (docs/radius.md).
      if (
        isTokenwardError(error, 'TW_STORE_UNAVAILABLE') ||
        isTokenwardError(error, 'TW_AUTH_BUSY') ||
        isTokenwardError(error, 'TW_DIRECTORY_UNAVAILABLE')
      ) {
        deps.metrics?.radiusUnanswered(error.code);
        log.warn(
          { code: error.code, source: from.address },
          UNANSWERED[error.code as keyof typeof UNANSWERED],
        );
      } else {
        deps.metrics?.radiusUnanswered('TW_INTERNAL');
        log.error({ err: error, source: from.address }, 'radius request failed');
      }
    });
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  });

  return {
    /** Binds the UDP socket; resolves with the address it listens on (port 0: a free one). */
    listen(host: string, port: number): Promise<{ host: string; port: number }> {
      return new Promise((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(port, host, () => {
          socket.off('error', reject);
          socket.on('error', (error) => log.error({ err: error }, 'radius socket error'));
          resolve({ host, port: socket.address().port });
        });
      });
    },

    /** Stops taking requests, ends waiting pushes (rejected), then closes the socket. */
    async close(): Promise<void> {
      closing.abort();
      socket.removeAllListeners('message');
      await Promise.allSettled([...inFlight]);
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },

    /** A client added or changed by this process is used at once. */
    clientsChanged: () => clients.invalidate(),
  };
}

export type RadiusServer = ReturnType<typeof createRadiusServer>;
