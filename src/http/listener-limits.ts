import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';

/** What one HTTP listener allows a client, so slow or idle clients cannot hold it. */
export interface ListenerLimits {
  /** All request headers must arrive within this. */
  readonly headersTimeoutMs: number;
  /** The whole request, body included, must arrive within this (answers may take longer). */
  readonly requestTimeoutMs: number;
  /** An idle kept-alive connection is closed after this. */
  readonly keepAliveTimeoutMs: number;
  /** A socket with no traffic at all is closed after this: longer than the 30 s long polls. */
  readonly idleTimeoutMs: number;
  /** Connections beyond this are refused at once. */
  readonly maxConnections: number;
}

export const DEFAULT_LISTENER_LIMITS: ListenerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 20_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 75_000,
  maxConnections: 4_096,
};

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * A Fastify `serverFactory` for a listener with these limits. Node checks the header and request
 * timeouts every `connectionsCheckingInterval` (30 s by default, which would let a slow client
 * live 50 s): checked every second here.
 */
export function limitedServer(
  limits: ListenerLimits,
  tls?: { readonly cert: string | Buffer; readonly key: string | Buffer },
) {
  return (handler: Handler): Server => {
    const options = {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    };
    const server =
      tls === undefined
        ? createServer(options, handler)
        : (createTlsServer({ ...options, ...tls }, handler) as unknown as Server);
    server.maxConnections = limits.maxConnections;
    server.setTimeout(limits.idleTimeoutMs, (socket) => socket.destroy());
    return server;
  };
}
