import type { Fortitoken } from '../../store/repositories/fortitoken-repository.js';
import { openSeed } from '../token-secrets.js';
import type { AuthContext } from './auth-context.js';
import { type AuthReason, tokenStateReason } from './auth-reason.js';

export type UsableToken =
  | { readonly token: Fortitoken; readonly seed: Uint8Array }
  | { readonly reason: AuthReason };

/** The user's token (as read with the user), when it can take a login now, or why it cannot. */
export function usableToken(ctx: AuthContext, token: Fortitoken | undefined): UsableToken {
  if (token === undefined) return { reason: 'no-token' };
  if (token.status === 'lock') return { reason: 'token-locked' };
  if (token.state !== 'provisioned' || token.seedEnc === null) {
    return { reason: tokenStateReason(token.state) };
  }
  try {
    return { token, seed: openSeed(ctx.cipher, token.serial, token.seedEnc) };
  } catch (error) {
    // Refused like any other failure: a right password must not get a different answer.
    ctx.log.error({ serial: token.serial, err: error }, 'token seed cannot be opened');
    return { reason: 'token-seed-unreadable' };
  }
}
