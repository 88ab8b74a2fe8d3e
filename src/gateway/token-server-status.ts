import type { SoftTokenResponse } from '../protocol/softtoken/response-checker.js';
import type { ResponseBase } from '../protocol/softtoken/responses.js';

/** How the last exchange with the token server (the provisioner) went, as every node sees it. */
export interface TokenServerStatus {
  /** `refused`: it answered, but refused the gateway itself (clock, credential, its own outage). */
  readonly status: 'reachable' | 'unreachable' | 'refused';
  readonly code?: string;
  readonly message?: string;
  readonly at: number;
}

/** What an answer says of the token server: a refusal of the gateway as a whole, or reachable. */
export function statusOfAnswer(
  response: SoftTokenResponse<ResponseBase>,
  at: number,
): TokenServerStatus {
  const refusedGateway =
    response.status === 401 || response.status === 403 || response.status >= 500;
  if (!refusedGateway || response.d.error === null) return { status: 'reachable', at };
  return { status: 'refused', code: response.d.error.code, message: response.d.error.message, at };
}

/** The stored status; earlier versions stored the bare word. */
export function readTokenServerStatus(value: unknown): TokenServerStatus | undefined {
  if (value === 'reachable' || value === 'unreachable') return { status: value, at: 0 };
  if (typeof value !== 'object' || value === null) return undefined;
  const { status } = value as { status?: unknown };
  return status === 'reachable' || status === 'unreachable' || status === 'refused'
    ? (value as TokenServerStatus)
    : undefined;
}

/**
 * `reachable` or `unreachable`, the two words FortiOS prints; a refusal is unreachable for the
 * gateway, and `refusal` says why in a line of its own.
 */
export function describeTokenServerStatus(status: TokenServerStatus | undefined): {
  readonly word: 'reachable' | 'unreachable';
  readonly refusal?: string;
} {
  if (status?.status === 'reachable') return { word: 'reachable' };
  if (status?.status !== 'refused') return { word: 'unreachable' };
  return { word: 'unreachable', refusal: `${status.code ?? ''}: ${status.message ?? ''}` };
}
