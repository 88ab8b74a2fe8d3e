import { randomBytes } from 'node:crypto';
import { createSocket, type RemoteInfo } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { isTokenwardError } from '../../core/errors.js';
import type { AtRestCipher } from '../../crypto/at-rest-cipher.js';
import {
  checkRequestMessageAuthenticator,
  encodeResponse,
} from '../../protocol/radius/authenticators.js';
import {
  Attribute,
  attributeValue,
  decodePacket,
  type RadiusAttribute,
  RadiusCode,
  type RadiusPacket,
  textAttributes,
} from '../../protocol/radius/packet.js';
import { revealUserPassword } from '../../protocol/radius/user-password.js';
import type { Store } from '../../store/store.js';
import type { AuthEngine } from '../auth/auth-engine.js';
import type { AuthOutcome, LoginContext } from '../auth/auth-outcome.js';
import { createClientRegistry, type KnownClient } from './client-registry.js';
import { createResponseCache } from './response-cache.js';

export const DEFAULT_RADIUS_PORT = 1812;

/** Why a datagram was dropped unanswered (RFC 2865 section 3: silently discarded). */
type DropReason =
  | 'unknown-client'
  | 'malformed'
  | 'not-access-request'
  | 'message-authenticator-missing'
  | 'message-authenticator-invalid';

/** The login flow a request took, for the RADIUS log line. */
type Flow = 'password' | 'append' | 'code' | 'push' | 'invalid';

export interface RadiusServerDependencies {
  readonly store: Store;
  readonly cipher: AtRestCipher;
  readonly auth: AuthEngine;
  readonly log: Logger;
  readonly clock?: () => number;
}

/**
 * The RADIUS authentication server (RFC 2865) in front of the auth engine: PAP, with the token
 * code appended to the password or asked for in an Access-Challenge, or a push for an empty
 * answer. Unknown sources and unverifiable packets are dropped and logged, never answered.
 */
export function createRadiusServer(deps: RadiusServerDependencies) {
  const { auth, log } = deps;
  const clock = deps.clock ?? Date.now;
  const clients = createClientRegistry({ store: deps.store, cipher: deps.cipher, clock });
  const cache = createResponseCache();
  const socket = createSocket('udp4');
  const closing = new AbortController();
  const inFlight = new Set<Promise<void>>();
  const quietDrops = createDropLogLimiter();

  const drop = (reason: DropReason, from: RemoteInfo, client?: KnownClient) => {
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
      socket.send(cached, from.port, from.address);
      return;
    }
    let decided: Awaited<ReturnType<typeof decide>>;
    try {
      decided = await decide(request, client, authenticated === 'missing');
    } catch (error) {
      cache.abandon(key);
      throw error;
    }
    const { flow, username, outcome } = decided;
    const response = encodeResponse(request, responseCode(outcome), answer(outcome), client.secret);
    cache.finish(key, response, clock());
    if (!closing.signal.aborted) socket.send(response, from.port, from.address);
    log.info(
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

  const decide = async (
    request: RadiusPacket,
    client: KnownClient,
    /** No Message-Authenticator (the client allows that): anyone could have sent it. */
    unproven: boolean,
  ): Promise<{ flow: Flow; username: string; outcome: AuthOutcome }> => {
    const username = attributeValue(request, Attribute.UserName)?.toString('utf8') ?? '';
    const hidden = attributeValue(request, Attribute.UserPassword);
    const state = attributeValue(request, Attribute.State)?.toString('utf8');
    let password = '';
    try {
      // An empty answer to a challenge may come without User-Password at all (radclient does).
      if (username === '' || (hidden === undefined && state === undefined)) {
        throw new Error('no User-Name or User-Password');
      }
      if (hidden !== undefined) {
        password = revealUserPassword(hidden, client.secret, request.authenticator).toString(
          'utf8',
        );
      }
    } catch {
      // CHAP and EAP are not offered: the code must reach the engine, so PAP only.
      return { flow: 'invalid', username, outcome: invalidRequest };
    }
    const context: LoginContext = {
      frontEnd: 'radius',
      client: client.name,
      application:
        attributeValue(request, Attribute.NasIdentifier)?.toString('utf8') ||
        `RADIUS ${client.name}`,
      ...sourceOf(request),
      ...(unproven ? { unproven } : {}),
    };
    if (state !== undefined) {
      const options = { username, context };
      if (password === '') {
        return {
          flow: 'push',
          username,
          outcome: await auth.answerPush(state, { ...options, signal: closing.signal }),
        };
      }
      return { flow: 'code', username, outcome: await auth.answerCode(state, password, options) };
    }
    const codeAppended =
      client.otpMode === 'append' ? 'required' : client.otpMode === 'both' ? 'optional' : undefined;
    return {
      flow: codeAppended === undefined ? 'password' : 'append',
      username,
      outcome: await auth.login({
        username,
        password,
        context,
        ...(codeAppended === undefined ? {} : { codeAppended }),
      }),
    };
  };

  socket.on('message', (datagram, from) => {
    const handled = handle(datagram, from).catch((error: unknown) => {
      // No answer: the NAS retries, then fails over to its next RADIUS server (docs/radius.md).
      if (isTokenwardError(error, 'TW_STORE_UNAVAILABLE')) {
        log.warn(
          { code: error.code, source: from.address },
          'radius request unanswered: database away',
        );
      } else {
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

const invalidRequest: AuthOutcome = {
  result: 'reject',
  message: 'Authentication failed.',
  reason: 'pap-required',
};

function responseCode(outcome: AuthOutcome): number {
  switch (outcome.result) {
    case 'accept':
      return RadiusCode.AccessAccept;
    case 'reject':
      return RadiusCode.AccessReject;
    default:
      return RadiusCode.AccessChallenge;
  }
}

/** The attributes after Message-Authenticator: Reply-Message always, State with a challenge. */
function answer(outcome: AuthOutcome): RadiusAttribute[] {
  switch (outcome.result) {
    case 'accept':
      return [
        ...textAttributes(Attribute.ReplyMessage, `Welcome, ${outcome.username}`),
        // Class: opaque, echoed by the NAS in accounting (RFC 2865 section 5.25).
        {
          type: Attribute.Class,
          value: Buffer.from(`tokenward:${randomBytes(12).toString('hex')}`),
        },
      ];
    case 'reject':
      return textAttributes(Attribute.ReplyMessage, outcome.message);
    default:
      return [
        { type: Attribute.State, value: Buffer.from(outcome.sessionId) },
        ...textAttributes(Attribute.ReplyMessage, outcome.message),
      ];
  }
}

/** The user's address as the NAS reports it (Calling-Station-Id), when it is one. */
function sourceOf(request: RadiusPacket): { sourceIp?: string } {
  const calling = attributeValue(request, Attribute.CallingStationId)?.toString('utf8');
  return calling === undefined || calling === '' ? {} : { sourceIp: calling.slice(0, 64) };
}

/**
 * At most one log line per source and reason every 10 s, so a flood of garbage does not become
 * a flood of log lines; the next line says how many were not logged.
 */
function createDropLogLimiter(intervalMs = 10_000) {
  const seen = new Map<string, { until: number; suppressed: number }>();
  return {
    /** The count suppressed since the last line, or undefined to stay quiet now. */
    note(key: string, now: number): number | undefined {
      const entry = seen.get(key);
      if (entry !== undefined && now < entry.until) {
        entry.suppressed++;
        return undefined;
      }
      if (seen.size > 10_000) seen.clear();
      seen.set(key, { until: now + intervalMs, suppressed: 0 });
      return entry?.suppressed ?? 0;
    },
  };
}
