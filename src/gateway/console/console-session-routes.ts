import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { TokenwardError } from '../../core/errors.js';
import type { Gateway } from '../gateway.js';
import type { ConsoleSession, ConsoleSessions } from './console-sessions.js';

const COOKIE = 'tw_console';

declare module 'fastify' {
  interface FastifyRequest {
    consoleSession?: ConsoleSession;
  }
}

/** Signing in (open to all, behind the sign-in limiter): the cookie and the CSRF token. */
export function consoleSignInRoutes(
  gateway: Gateway,
  sessions: ConsoleSessions,
): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: { user: string; password: string } }>(
      '/console/api/session',
      {
        schema: {
          body: {
            type: 'object',
            required: ['user', 'password'],
            additionalProperties: false,
            properties: {
              user: { type: 'string', minLength: 1, maxLength: 64 },
              password: { type: 'string', minLength: 1, maxLength: 256 },
            },
          },
        },
      },
      async (request, reply) => {
        await gateway.signInConsoleAdmin({ ...request.body, source: request.ip, log: request.log });
        const session = sessions.open(request.body.user);
        reply.setCookie(COOKIE, session.id, {
          httpOnly: true,
          sameSite: 'strict',
          path: '/',
          secure: request.protocol === 'https',
        });
        return { user: session.user, csrf: session.csrf };
      },
    );
  };
}

/**
 * Requires a signed-in admin on every route of `api`; a change (any method but GET) also needs
 * the session's CSRF token in `X-CSRF-Token`.
 */
export function requireConsoleSession(api: FastifyInstance, sessions: ConsoleSessions): void {
  api.addHook('preHandler', async (request: FastifyRequest, _reply: FastifyReply) => {
    const session = sessions.find(request.cookies[COOKIE]);
    if (session === undefined) throw new TokenwardError('TW_CONSOLE_SIGN_IN');
    if (request.method !== 'GET' && !sameToken(request.headers['x-csrf-token'], session.csrf)) {
      throw new TokenwardError('TW_CONSOLE_CSRF');
    }
    request.consoleSession = session;
  });
}

/** The signed-in admin's session: who, the CSRF token, signing out. */
export function consoleSessionRoutes(sessions: ConsoleSessions): FastifyPluginAsync {
  return async (api) => {
    api.get('/console/api/session', async (request) => ({
      user: request.consoleSession?.user,
      csrf: request.consoleSession?.csrf,
    }));
    api.delete('/console/api/session', async (request, reply) => {
      if (request.consoleSession !== undefined) sessions.close(request.consoleSession.id);
      return reply.clearCookie(COOKIE, { path: '/' }).send({ ok: true });
    });
  };
}

function sameToken(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const [a, b] = [Buffer.from(given), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
}
