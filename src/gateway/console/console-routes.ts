import cookie from '@fastify/cookie';
import type { FastifyPluginAsync } from 'fastify';
import type { Gateway } from '../gateway.js';
import { consoleAdminRoutes } from './console-admin-routes.js';
import { consoleAssets } from './console-assets.js';
import { consoleDirectoryRoutes } from './console-directory-routes.js';
import {
  consoleSessionRoutes,
  consoleSignInRoutes,
  requireConsoleSession,
} from './console-session-routes.js';
import { createConsoleSessions } from './console-sessions.js';
import { consoleTokenRoutes } from './console-token-routes.js';
import { consoleUserRoutes } from './console-user-routes.js';

/**
 * The admin console: its page at `/`, and a JSON API under `/console/api` behind a sign-in.
 * The session cookie is HttpOnly and SameSite=Strict; every change also needs the session's CSRF
 * token in `X-CSRF-Token`. Each area is a plugin given only the gateway's use cases.
 */
export function consoleRoutes(gateway: Gateway): FastifyPluginAsync {
  const sessions = createConsoleSessions(gateway.clock);
  return async (app) => {
    await app.register(cookie);
    await app.register(consoleAssets);
    await app.register(consoleSignInRoutes(gateway, sessions));
    await app.register(async (api) => {
      requireConsoleSession(api, sessions);
      await api.register(consoleSessionRoutes(sessions));
      await api.register(consoleUserRoutes(gateway));
      await api.register(consoleTokenRoutes(gateway));
      await api.register(consoleAdminRoutes(gateway));
      await api.register(consoleDirectoryRoutes(gateway));
    });
  };
}
