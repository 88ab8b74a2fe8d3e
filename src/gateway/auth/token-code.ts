import { secondsUntilAfter, verifyTotp } from '../../core/verify-totp.js';
import type {
  Fortitoken,
  FortitokenRepository,
} from '../../store/repositories/fortitoken-repository.js';

/** How far a phone's clock may have run off before the gateway stops offering a resync. */
export const SYNC_WINDOW_SECONDS = 600;

/** A code the phone showed outside the window: the next one confirms the new drift. */
export interface PendingResync {
  readonly step: number;
  readonly drift: number;
}

export type TokenCodeVerdict =
  | { readonly kind: 'accept' }
  | { readonly kind: 'resync'; readonly pending: PendingResync }
  | { readonly kind: 'replay'; readonly waitSeconds: number }
  | {
      readonly kind: 'mismatch';
      readonly reason: 'otp-malformed' | 'otp-mismatch' | 'resync-mismatch';
    };

/**
 * Checks a FortiToken code (DESIGN section 6): +-1 step around the learned drift, each step used
 * once (RFC 6238 section 5.2), claimed with the store's compare-and-set so that of several nodes
 * given one code at the same moment exactly one accepts. A match within the sync window but
 * outside the window asks for the next code; with `resync`, this is that next code and must
 * follow the pending one (RFC 6238 section 6: resynchronisation).
 */
export async function checkTokenCode(input: {
  readonly fortitokens: FortitokenRepository;
  readonly token: Fortitoken;
  readonly seed: Uint8Array;
  readonly code: string;
  readonly now: number;
  readonly resync?: PendingResync;
}): Promise<TokenCodeVerdict> {
  const { fortitokens, token, seed, code, now, resync } = input;
  const parameters = { algorithm: token.algorithm, digits: token.digits, period: token.period };
  const verdict = verifyTotp({
    ...parameters,
    seed,
    code,
    now,
    window: 1,
    ...(resync === undefined
      ? {
          drift: token.drift,
          lastStep: token.lastStep,
          syncWindow: Math.ceil(SYNC_WINDOW_SECONDS / token.period),
        }
      : { drift: resync.drift, lastStep: resync.step }),
  });
  if (verdict.ok) {
    if (await fortitokens.advanceStep(token.serial, verdict.step, verdict.drift, now)) {
      return { kind: 'accept' };
    }
    // Another login (perhaps on another node) claimed this step a moment ago.
    return {
      kind: 'replay',
      waitSeconds: secondsUntilAfter(verdict.step, {
        drift: verdict.drift,
        period: token.period,
        now,
      }),
    };
  }
  switch (verdict.reason) {
    case 'replay':
      return { kind: 'replay', waitSeconds: verdict.retryAfterSeconds };
    case 'resync':
      return { kind: 'resync', pending: { step: verdict.step, drift: verdict.drift } };
    case 'malformed':
      return { kind: 'mismatch', reason: 'otp-malformed' };
    default:
      return {
        kind: 'mismatch',
        reason: resync === undefined ? 'otp-mismatch' : 'resync-mismatch',
      };
  }
}
