import cookie from '@fastify/cookie';
import type { FastifyPluginAsync } from 'fastify';
import type { AuthEngine } from '../auth/auth-engine.js';
import type { Gateway } from '../gateway.js';
import { consoleAdminsRoutes } from './console-admins-routes.js';
import { consoleAssets } from './console-assets.js';
import { consoleDashboardRoutes } from './console-dashboard-routes.js';
import { consoleDirectoryRoutes } from './console-directory-routes.js';
import { consoleLogRoutes } from './console-log-routes.js';
import {
  consoleSessionRoutes,
  consoleSignInRoutes,
  requireConsoleSession,
} from './console-session-routes.js';
import { createConsoleSessions } from './console-sessions.js';
import { consoleSettingsRoutes } from './console-settings-routes.js';
import { consoleTokenRoutes } from './console-token-routes.js';
import { consoleUserBulkRoutes } from './console-user-bulk-routes.js';
import { consoleUserRoutes } from './console-user-routes.js';

/**
 * The admin console: its page at `/`, and a JSON API under `/console/api` behind a sign-in
 * (password, then the admin's own token code when they have one). The session cookie is
 * HttpOnly and SameSite=Strict (Secure over HTTPS); every change also needs the session's CSRF
 * token in `X-CSRF-Token` and a role that allows it. Each area is a plugin; every route calls
 * the gateway's use cases acting as the signed-in admin, so the audit log names them.
 */
export function consoleRoutes(gateway: Gateway, auth: AuthEngine | undefined): FastifyPluginAsync {
  const sessions = createConsoleSessions(gateway.clock);
  return async (app) => {
    await app.register(cookie);
    await app.register(consoleAssets);
    await app.register(consoleSignInRoutes(gateway, sessions, auth));
    await app.register(async (api) => {
      requireConsoleSession(api, sessions, gateway);
      await api.register(consoleSessionRoutes(sessions));
      await api.register(consoleDashboardRoutes);
      await api.register(consoleUserRoutes);
      await api.register(consoleUserBulkRoutes);
      await api.register(consoleTokenRoutes);
      await api.register(consoleLogRoutes);
      await api.register(consoleSettingsRoutes);
      await api.register(consoleAdminsRoutes);
      await api.register(consoleDirectoryRoutes);
    });
  };
}
