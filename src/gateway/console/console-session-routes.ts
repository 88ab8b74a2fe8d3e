import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleRole } from '../../core/console-role.js';
import { TokenwardError } from '../../core/errors.js';
import type { AuthEngine } from '../auth/auth-engine.js';
import type { Gateway } from '../gateway.js';
import type { SessionReply } from './console-api-types.js';
import type { ConsoleSession, ConsoleSessions } from './console-sessions.js';

const COOKIE = 'tw_console';

declare module 'fastify' {
  interface FastifyRequest {
    consoleSession?: ConsoleSession;
    /** The signed-in admin's role, read from the store at this request. */
    consoleRole?: ConsoleRole;
    /** The gateway's use cases with changes audited as this admin's. */
    consoleGateway?: Gateway;
  }
}

/** The gateway's use cases acting as the request's admin (set by `requireConsoleSession`). */
export function actingGateway(request: FastifyRequest): Gateway {
  if (request.consoleGateway === undefined) throw new TokenwardError('TW_CONSOLE_SIGN_IN');
  return request.consoleGateway;
}

/** The changes a `helpdesk` admin may make: users and tokens (routes under these). */
const HELPDESK_AREAS = ['/console/api/users', '/console/api/tokens'];

/** Whether `role` may make this request; GETs read, and every role may read. */
export function roleAllows(role: ConsoleRole, method: string, route: string): boolean {
  if (method === 'GET' || method === 'HEAD') return true;
  if (role === 'super') return true;
  if (role === 'read-only') return false;
  return HELPDESK_AREAS.some((area) => route === area || route.startsWith(`${area}/`));
}

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, session: ConsoleSession) {
  reply.setCookie(COOKIE, session.id, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: request.protocol === 'https',
  });
}

const reply = (
  session: ConsoleSession,
  role: ConsoleRole,
  sessions: ConsoleSessions,
): SessionReply => ({
  user: session.user,
  role,
  csrf: session.csrf,
  needsCode: session.stage === 'code',
  idleSeconds: sessions.idleMs / 1000,
});

/**
 * Signing in (open to all, behind the sign-in limiter): the password, then, for an admin with a
 * token user, that token's code, checked by the auth engine as a login of that user (so the
 * gateway is its own second factor: a wrong code counts towards the user's lockout too).
 */
export function consoleSignInRoutes(
  gateway: Gateway,
  sessions: ConsoleSessions,
  auth: AuthEngine | undefined,
): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: { user: string; password: string }; Reply: SessionReply }>(
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
      async (request, response) => {
        const admin = await gateway.signInConsoleAdmin({
          ...request.body,
          source: request.ip,
          log: request.log,
        });
        const session = sessions.open(admin.name, admin.tokenUser === null ? 'ready' : 'code');
        setSessionCookie(request, response, session);
        return reply(session, admin.role, sessions);
      },
    );

    app.post<{ Body: { code: string }; Reply: SessionReply }>(
      '/console/api/session/code',
      {
        schema: {
          body: {
            type: 'object',
            required: ['code'],
            additionalProperties: false,
            properties: {
              code: { type: 'string', minLength: 6, maxLength: 8, pattern: '^[0-9]+$' },
            },
          },
        },
      },
      async (request, response) => {
        const { pending, admin, tokenUser } = await secondStep(request);
        await gateway.confirmConsoleSignIn({
          user: admin.name,
          source: request.ip,
          log: request.log,
          step: 'code',
          check: async () =>
            auth !== undefined &&
            (
              await auth.loginWithCode({
                username: tokenUser,
                code: request.body.code,
                context: { frontEnd: 'http', sourceIp: request.ip, application: 'console' },
              })
            ).result === 'accept',
        });
        const session = sessions.complete(pending);
        setSessionCookie(request, response, session);
        return reply(session, admin.role, sessions);
      },
    );

    // A push instead of the code: the first request sends it (and says the number to pick,
    // with number matching), the second waits for the phone's answer.
    app.post<{ Reply: { number: number | null } }>('/console/api/session/push', async (request) => {
      const { pending, tokenUser } = await secondStep(request);
      const challenge = await auth?.secondFactorLogin({
        username: tokenUser,
        context: { frontEnd: 'http', sourceIp: request.ip, application: 'Tokenward console' },
      });
      if (challenge?.result !== 'challenge' || !challenge.methods.includes('push')) {
        throw new TokenwardError('TW_CONSOLE_PUSH_UNAVAILABLE');
      }
      pending.pushSession = challenge.sessionId;
      return { number: challenge.number ?? null };
    });
    app.post<{ Reply: SessionReply }>(
      '/console/api/session/push/answer',
      async (request, response) => {
        const { pending, admin } = await secondStep(request);
        const pushSession = pending.pushSession;
        if (pushSession === undefined || auth === undefined) {
          throw new TokenwardError('TW_CONSOLE_PUSH_UNAVAILABLE');
        }
        delete pending.pushSession;
        await gateway.confirmConsoleSignIn({
          user: admin.name,
          source: request.ip,
          log: request.log,
          step: 'push',
          check: async () => (await auth.answerPush(pushSession)).result === 'accept',
        });
        const session = sessions.complete(pending);
        setSessionCookie(request, response, session);
        return reply(session, admin.role, sessions);
      },
    );

    /** The half-signed-in session of this request and its admin's token user. */
    async function secondStep(request: FastifyRequest) {
      const pending = sessions.find(request.cookies[COOKIE]);
      if (pending === undefined || pending.stage !== 'code') {
        throw new TokenwardError('TW_CONSOLE_SIGN_IN');
      }
      const admin = await gateway.findConsoleAdmin(pending.user);
      const tokenUser = admin?.tokenUser;
      if (admin === undefined || tokenUser === null || tokenUser === undefined) {
        throw new TokenwardError('TW_CONSOLE_SIGN_IN');
      }
      return { pending, admin, tokenUser };
    }
  };
}

/**
 * Requires a signed-in admin on every route of `api`, with a role that allows the request; a
 * change (any method but GET) also needs the session's CSRF token in `X-CSRF-Token`. The role
 * is read at every request, so a change of role or a removed admin applies at once.
 */
export function requireConsoleSession(
  api: FastifyInstance,
  sessions: ConsoleSessions,
  gateway: Gateway,
): void {
  // Before validation: a refused role hears so whatever the body holds.
  api.addHook('preValidation', async (request: FastifyRequest, _reply: FastifyReply) => {
    const session = sessions.find(request.cookies[COOKIE]);
    if (session === undefined) throw new TokenwardError('TW_CONSOLE_SIGN_IN');
    if (session.stage === 'code') throw new TokenwardError('TW_CONSOLE_CODE_REQUIRED');
    const admin = await gateway.findConsoleAdmin(session.user);
    if (admin === undefined) {
      sessions.close(session.id);
      throw new TokenwardError('TW_CONSOLE_SIGN_IN');
    }
    const signingOut =
      request.method === 'DELETE' && request.routeOptions.url === '/console/api/session';
    if (!signingOut && !roleAllows(admin.role, request.method, request.routeOptions.url ?? '')) {
      throw new TokenwardError('TW_CONSOLE_ROLE_FORBIDDEN', {
        message: `Your console role (${admin.role}) does not allow this change. Ask a super admin to make it or to change your role.`,
      });
    }
    if (request.method !== 'GET' && !sameToken(request.headers['x-csrf-token'], session.csrf)) {
      throw new TokenwardError('TW_CONSOLE_CSRF');
    }
    request.consoleSession = session;
    request.consoleRole = admin.role;
    request.consoleGateway = gateway.asConsoleAdmin(admin.name);
  });
}

/** The signed-in admin's session: who, the role, the CSRF token, signing out. */
export function consoleSessionRoutes(sessions: ConsoleSessions): FastifyPluginAsync {
  return async (api) => {
    api.get<{ Reply: SessionReply }>('/console/api/session', async (request) => {
      const session = request.consoleSession as ConsoleSession;
      return reply(session, request.consoleRole ?? 'read-only', sessions);
    });
    api.delete('/console/api/session', async (request, response) => {
      if (request.consoleSession !== undefined) sessions.close(request.consoleSession.id);
      return response.clearCookie(COOKIE, { path: '/' }).send({ ok: true });
    });
  };
}

function sameToken(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const [a, b] = [Buffer.from(given), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
}
