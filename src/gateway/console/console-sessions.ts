import { randomBytes } from 'node:crypto';

/** A console sign-in: the cookie's id, the CSRF token that must accompany changes, its stage. */
export interface ConsoleSession {
  readonly id: string;
  readonly csrf: string;
  readonly user: string;
  /** `code`: the password was right, the token's code is still owed; `ready`: signed in. */
  stage: 'code' | 'ready';
  expiresAt: number;
  /** The auth engine's login session a push for the second step waits on (kept here only). */
  pushSession?: string;
}

/** How long a half-signed-in session waits for the token's code. */
const CODE_WAIT_MS = 2 * 60_000;

/**
 * Console sign-ins, in this process's memory: a restart signs everyone out (the admin signs in
 * again), and several gateway nodes each keep their own. Idle sessions end after `idleMs`.
 */
export function createConsoleSessions(clock: () => number, idleMs = 30 * 60_000) {
  const sessions = new Map<string, ConsoleSession>();
  const open = (user: string, stage: ConsoleSession['stage']): ConsoleSession => {
    const now = clock();
    for (const [id, session] of sessions) if (session.expiresAt <= now) sessions.delete(id);
    const session: ConsoleSession = {
      id: randomBytes(32).toString('base64url'),
      csrf: randomBytes(32).toString('base64url'),
      user,
      stage,
      expiresAt: now + (stage === 'code' ? CODE_WAIT_MS : idleMs),
    };
    sessions.set(session.id, session);
    return session;
  };
  return {
    idleMs,
    open,
    /** The live session for a cookie value; a signed-in one has its idle timer restarted. */
    find(id: string | undefined): ConsoleSession | undefined {
      const session = id === undefined ? undefined : sessions.get(id);
      if (session === undefined) return undefined;
      if (session.expiresAt <= clock()) {
        sessions.delete(session.id);
        return undefined;
      }
      if (session.stage === 'ready') session.expiresAt = clock() + idleMs;
      return session;
    },
    /** After the token's code: signed in, under a new id (the half-way cookie stops working). */
    complete(session: ConsoleSession): ConsoleSession {
      sessions.delete(session.id);
      return open(session.user, 'ready');
    },
    close(id: string) {
      sessions.delete(id);
    },
  };
}

export type ConsoleSessions = ReturnType<typeof createConsoleSessions>;
