import { randomBytes } from 'node:crypto';

/** A signed-in console admin: the cookie's id and the CSRF token that must accompany changes. */
export interface ConsoleSession {
  readonly id: string;
  readonly csrf: string;
  readonly user: string;
  expiresAt: number;
}

/**
 * Console sign-ins, in this process's memory: a restart signs everyone out (the admin signs in
 * again), and several gateway nodes each keep their own. Idle sessions end after `idleMs`.
 */
export function createConsoleSessions(clock: () => number, idleMs = 30 * 60_000) {
  const sessions = new Map<string, ConsoleSession>();
  return {
    open(user: string): ConsoleSession {
      const now = clock();
      for (const [id, session] of sessions) if (session.expiresAt <= now) sessions.delete(id);
      const session = {
        id: randomBytes(32).toString('base64url'),
        csrf: randomBytes(32).toString('base64url'),
        user,
        expiresAt: now + idleMs,
      };
      sessions.set(session.id, session);
      return session;
    },
    /** The live session for a cookie value, its idle timer restarted. */
    find(id: string | undefined): ConsoleSession | undefined {
      const session = id === undefined ? undefined : sessions.get(id);
      if (session === undefined) return undefined;
      if (session.expiresAt <= clock()) {
        sessions.delete(session.id);
        return undefined;
      }
      session.expiresAt = clock() + idleMs;
      return session;
    },
    close(id: string) {
      sessions.delete(id);
    },
  };
}

export type ConsoleSessions = ReturnType<typeof createConsoleSessions>;
