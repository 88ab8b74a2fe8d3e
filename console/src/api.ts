import type { ApiError } from '../../src/gateway/console/console-api-types.js';

/** A refusal by the server: its stable code, its sentence, the field at fault. */
export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly field?: string,
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | boolean | undefined>;

/** The console API under /console/api: the session's CSRF token goes with every change. */
export function createApi(onSignedOut: () => void) {
  let csrf = '';
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(`/console/api${path}`, {
        method,
        credentials: 'same-origin',
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(method === 'GET' ? {} : { 'x-csrf-token': csrf }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiFailure(
        'NETWORK',
        'The gateway did not answer. Check that it runs, then try again.',
        0,
      );
    }
    const answer = (await response.json().catch(() => ({}))) as Partial<ApiError>;
    if (!response.ok) {
      const error = answer.error;
      if (
        response.status === 401 &&
        error?.code !== 'TW_CONSOLE_CODE_REQUIRED' &&
        path !== '/session' &&
        path !== '/session/code'
      ) {
        onSignedOut();
      }
      throw new ApiFailure(
        error?.code ?? `HTTP_${response.status}`,
        error?.message ?? `The gateway answered HTTP ${response.status}.`,
        response.status,
        error?.field,
      );
    }
    return answer as T;
  };
  return {
    setCsrf(token: string) {
      csrf = token;
    },
    get: <T>(path: string, query: Query = {}) => call<T>('GET', path + queryString(query)),
    send: <T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown) =>
      call<T>(method, path, body),
    /** A URL for a download (same origin, the cookie goes with it). */
    url: (path: string, query: Query = {}) => `/console/api${path}${queryString(query)}`,
  };
}

export type Api = ReturnType<typeof createApi>;

export function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

export const path = (...parts: string[]) => parts.map(encodeURIComponent).join('/');
