import { timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import cookie from '@fastify/cookie';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isTokenwardError, TokenwardError } from '../../core/errors.js';
import type { AtRestCipher } from '../../crypto/at-rest-cipher.js';
import type { AuthResult, TwoFactor } from '../../store/schema.js';
import type { Store } from '../../store/store.js';
import type { Gateway } from '../gateway.js';
import { readGatewayPolicy, settingKey } from '../gateway-settings.js';
import { newRadiusClient } from '../radius/new-radius-client.js';
import { describeTokenServerStatus, type TokenServerStatus } from '../token-server-status.js';
import { type ConsoleSession, createConsoleSessions } from './console-sessions.js';
import { createConsoleSignIn } from './console-sign-in.js';

const COOKIE = 'tw_console';
/** The console's page, script and style: local files, no CDN. */
const ASSETS = new URL('../../../console/', import.meta.url);
const ASSET_TYPES = {
  'index.html': 'text/html; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
} as const;

export interface ConsoleDependencies {
  readonly store: Store;
  readonly cipher: AtRestCipher;
  readonly gateway: Gateway;
  readonly clock?: () => number;
}

declare module 'fastify' {
  interface FastifyRequest {
    consoleSession?: ConsoleSession;
  }
}

/**
 * The admin console: its page at `/`, and a JSON API under `/console/api` behind a sign-in.
 * The session cookie is HttpOnly and SameSite=Strict; every change also needs the session's CSRF
 * token in `X-CSRF-Token`.
 */
export function consoleRoutes(deps: ConsoleDependencies): FastifyPluginAsync {
  const { store, gateway } = deps;
  const clock = deps.clock ?? Date.now;
  const sessions = createConsoleSessions(clock);
  const signIn = createConsoleSignIn({ store, clock });

  return async (app) => {
    await app.register(cookie);

    for (const [file, type] of Object.entries(ASSET_TYPES)) {
      const body = await readFile(new URL(file, ASSETS));
      const path = file === 'index.html' ? '/' : `/${file}`;
      app.get(path, async (_request, reply) =>
        reply
          .type(type)
          .header('cache-control', 'no-cache')
          .header(
            'content-security-policy',
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
          )
          .send(body),
      );
    }

    const signedIn = async (request: FastifyRequest, reply: FastifyReply) => {
      const session = sessions.find(request.cookies[COOKIE]);
      if (session === undefined) {
        return reply.code(401).send({ error: new TokenwardError('TW_CONSOLE_SIGN_IN').toPublic() });
      }
      if (request.method !== 'GET' && !sameToken(request.headers['x-csrf-token'], session.csrf)) {
        return reply.code(403).send({ error: new TokenwardError('TW_CONSOLE_CSRF').toPublic() });
      }
      request.consoleSession = session;
    };

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
        try {
          await signIn({ ...request.body, source: request.ip, log: request.log });
        } catch (error) {
          if (!isTokenwardError(error)) throw error;
          const retryAfter = error.data.retry_after;
          if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
          return reply.code(error.status).send({ error: error.toPublic() });
        }
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

    app.register(async (api) => {
      api.addHook('preHandler', signedIn);

      api.get('/console/api/session', async (request) => ({
        user: request.consoleSession?.user,
        csrf: request.consoleSession?.csrf,
      }));
      api.delete('/console/api/session', async (request, reply) => {
        if (request.consoleSession !== undefined) sessions.close(request.consoleSession.id);
        return reply.clearCookie(COOKIE, { path: '/' }).send({ ok: true });
      });

      api.get('/console/api/overview', async () => {
        const tokens = await store.fortitokens.list();
        const users = await store.users.list();
        const assigned = new Set(users.map((user) => user.tokenSerial));
        const byState: Record<string, number> = {};
        const licences: Record<string, { seats: number; used: number }> = {};
        for (const token of tokens) {
          const state = token.status === 'lock' ? 'locked' : token.state;
          byState[state] = (byState[state] ?? 0) + 1;
          const licence = licences[token.licence] ?? { seats: 0, used: 0 };
          licences[token.licence] = licence;
          licence.seats++;
          if (assigned.has(token.serial) || token.state !== 'new') licence.used++;
        }
        return {
          tokensByState: byState,
          licences: Object.entries(licences).map(([name, seats]) => ({
            name,
            seats: seats.seats,
            used: seats.used,
            free: seats.seats - seats.used,
          })),
          tokenServer: tokenServerLine(await gateway.connection.lastStatus()),
          recentLogins: await store.authLog.list({ limit: 10 }),
        };
      });

      api.get('/console/api/users', async () => {
        const now = clock();
        return (await gateway.listUsers()).map((user) => ({
          ...user,
          locked: user.lockedAt !== null && (user.lockedUntil === null || user.lockedUntil > now),
        }));
      });
      api.post<{
        Body: {
          name: string;
          password: string;
          email?: string;
          sms?: string;
          token?: boolean;
          twoFactor?: TwoFactor;
        };
      }>(
        '/console/api/users',
        {
          schema: {
            body: {
              type: 'object',
              required: ['name', 'password'],
              additionalProperties: false,
              properties: {
                name: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[^\\s"]+$' },
                password: { type: 'string', minLength: 8, maxLength: 256 },
                email: { type: 'string', maxLength: 256 },
                sms: { type: 'string', maxLength: 32 },
                token: { type: 'boolean' },
                /** `disable`: a password-only user, asked for explicitly (two-factor-required). */
                twoFactor: { type: 'string', enum: ['disable', 'fortitoken', 'email', 'sms'] },
              },
            },
          },
        },
        async (request) => {
          const { name, password, email, sms, token, twoFactor } = request.body;
          return gateway.addUser({
            name,
            password,
            ...(twoFactor === undefined ? {} : { twoFactor }),
            ...(email === undefined || email === '' ? {} : { email }),
            ...(sms === undefined || sms === '' ? {} : { sms }),
            ...(token === true ? { token: 'auto' } : {}),
          });
        },
      );
      api.patch<{
        Params: { name: string };
        Body: {
          email?: string;
          sms?: string;
          twoFactor?: TwoFactor;
          status?: 'enable' | 'disable';
        };
      }>(
        '/console/api/users/:name',
        {
          schema: {
            body: {
              type: 'object',
              additionalProperties: false,
              properties: {
                email: { type: 'string', maxLength: 256 },
                sms: { type: 'string', maxLength: 32 },
                twoFactor: { enum: ['disable', 'fortitoken', 'email', 'sms'] },
                status: { enum: ['enable', 'disable'] },
              },
            },
          },
        },
        async (request) => {
          const { email, sms, twoFactor, status } = request.body;
          return gateway.setUser(request.params.name, {
            ...(email === undefined ? {} : { email: email === '' ? null : email }),
            ...(sms === undefined ? {} : { sms: sms === '' ? null : sms }),
            ...(twoFactor === undefined ? {} : { twoFactor }),
            ...(status === undefined ? {} : { status }),
          });
        },
      );
      api.post<{ Params: { name: string } }>('/console/api/users/:name/unlock', async (request) => {
        await gateway.unlockUser(request.params.name);
        return { ok: true };
      });
      api.post<{ Params: { name: string } }>(
        '/console/api/users/:name/activation',
        async (request) => {
          const user = await gateway.showUser(request.params.name);
          if (user.tokenSerial === null) {
            return gateway.setUser(user.name, { token: 'auto', twoFactor: 'fortitoken' });
          }
          return gateway.resendActivation(user.tokenSerial);
        },
      );

      api.get('/console/api/tokens', async () => {
        const users = await store.users.list();
        return (await store.fortitokens.list()).map((token) => ({
          serial: token.serial,
          licence: token.licence,
          state: token.state,
          status: token.status,
          user: users.find((user) => user.tokenSerial === token.serial)?.name ?? null,
          regId: token.regId,
          osVer: token.osVer,
          activationExpiresAt: token.activationExpiresAt,
          drift: token.drift,
        }));
      });
      api.post<{ Params: { serial: string; action: string } }>(
        '/console/api/tokens/:serial/:action',
        async (request) => {
          const { serial, action } = request.params;
          switch (action) {
            case 'resend':
              return gateway.resendActivation(serial);
            case 'reprovision':
              if ((request.body as { confirm?: unknown } | undefined)?.confirm !== true) {
                throw new TokenwardError('TW_CONFIRMATION_REQUIRED', {
                  data: { field: 'confirm' },
                });
              }
              return gateway.reprovisionToken(serial);
            case 'revoke':
              await gateway.revokeToken(serial);
              return { ok: true };
            case 'lock':
            case 'unlock':
              await gateway.setTokenStatus(serial, action === 'lock' ? 'lock' : 'active');
              return { ok: true };
            default:
              throw new TokenwardError('TW_INPUT_INVALID', {
                message: 'A token action is resend, reprovision, revoke, lock or unlock.',
              });
          }
        },
      );

      api.get('/console/api/radius-clients', async () =>
        (await store.radiusClients.list()).map(({ secretEnc: _secret, ...client }) => client),
      );
      api.post<{ Body: { name: string; address: string; secret: string; otpMode?: string } }>(
        '/console/api/radius-clients',
        {
          schema: {
            body: {
              type: 'object',
              required: ['name', 'address', 'secret'],
              additionalProperties: false,
              properties: {
                name: { type: 'string' },
                address: { type: 'string' },
                secret: { type: 'string' },
                otpMode: { enum: ['challenge', 'append', 'both'] },
              },
            },
          },
        },
        async (request) => {
          const { otpMode, ...input } = request.body;
          const client = newRadiusClient(
            {
              ...input,
              ...(otpMode === undefined
                ? {}
                : { otpMode: otpMode as 'challenge' | 'append' | 'both' }),
            },
            deps.cipher,
            clock(),
          );
          await store.radiusClients.add(client);
          return { name: client.name };
        },
      );
      api.delete<{ Params: { name: string } }>(
        '/console/api/radius-clients/:name',
        async (request) => ({ removed: await store.radiusClients.remove(request.params.name) }),
      );

      api.get<{ Querystring: { user?: string; result?: AuthResult } }>(
        '/console/api/auth-log',
        async (request) =>
          store.authLog.list({
            limit: 200,
            ...(request.query.user ? { username: request.query.user } : {}),
            ...(request.query.result ? { result: request.query.result } : {}),
          }),
      );

      api.get('/console/api/settings', async () => {
        const policy = await readGatewayPolicy(store);
        return {
          activationExpiryHours: policy.activationExpiryHours,
          lockoutThreshold: policy.lockout.threshold,
          lockoutDurationSeconds: policy.lockout.durationSeconds,
        };
      });
      api.put<{
        Body: {
          activationExpiryHours: number;
          lockoutThreshold: number;
          lockoutDurationSeconds: number;
        };
      }>(
        '/console/api/settings',
        {
          schema: {
            body: {
              type: 'object',
              required: ['activationExpiryHours', 'lockoutThreshold', 'lockoutDurationSeconds'],
              additionalProperties: false,
              properties: {
                activationExpiryHours: { type: 'integer', minimum: 1, maximum: 168 },
                lockoutThreshold: { type: 'integer', minimum: 1, maximum: 100 },
                lockoutDurationSeconds: { type: 'integer', minimum: 0, maximum: 31_536_000 },
              },
            },
          },
        },
        async (request) => {
          const now = clock();
          const body = request.body;
          await store.transaction(async (tx) => {
            await tx.settings.set(
              settingKey('system global', 'two-factor-ftm-expiry'),
              body.activationExpiryHours,
              now,
            );
            await tx.settings.set(
              settingKey('user setting', 'auth-lockout-threshold'),
              body.lockoutThreshold,
              now,
            );
            await tx.settings.set(
              settingKey('user setting', 'auth-lockout-duration'),
              body.lockoutDurationSeconds,
              now,
            );
          });
          return body;
        },
      );
    });
  };
}

function sameToken(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const [a, b] = [Buffer.from(given), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The dashboard's line: the word, and the refusal when there is one. */
function tokenServerLine(status: TokenServerStatus | undefined): string {
  const { word, refusal } = describeTokenServerStatus(status);
  return refusal === undefined ? word : `${word}: refused, ${refusal}`;
}
