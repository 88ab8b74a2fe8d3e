import { hotpValue } from './hotp.js';
import type { OtpParameters } from './otp-parameters.js';
import { totpStep } from './totp.js';

export interface VerifyTotpInput extends OtpParameters {
  readonly seed: Uint8Array;
  readonly code: string;
  /** Epoch milliseconds. */
  readonly now: number;
  /** Steps accepted either side of the expected one (DESIGN section 6: 1). */
  readonly window?: number;
  /** The token's learned clock offset, in steps (phone step - server step). */
  readonly drift?: number;
  /** The last step accepted for this token; codes at or before it are replays. */
  readonly lastStep?: number | null;
  /**
   * Steps either side searched after the window fails (e.g. 10 for +-10 min at 60 s). A match
   * there is not a login: the caller asks for the next code to confirm the new drift.
   */
  readonly syncWindow?: number;
}

export type TotpVerdict =
  | { readonly ok: true; readonly step: number; readonly drift: number }
  | { readonly ok: false; readonly reason: 'malformed' | 'mismatch' }
  | {
      readonly ok: false;
      readonly reason: 'replay';
      readonly step: number;
      /** When the next step the token may use begins, for "Please wait N seconds". */
      readonly retryAfterSeconds: number;
    }
  | {
      readonly ok: false;
      readonly reason: 'resync';
      readonly step: number;
      readonly drift: number;
    };

/**
 * Checks a TOTP code (RFC 6238 section 5.2: a validation window around the expected step, and
 * at most one acceptance per step). Pure: returns the verdict; persisting the accepted step
 * with a compare-and-set is the caller's job.
 */
export function verifyTotp(input: VerifyTotpInput): TotpVerdict {
  const { seed, code, now, algorithm, digits, period } = input;
  const { window = 1, drift = 0, lastStep = null, syncWindow = 0 } = input;
  if (code.length !== digits || !DIGITS.test(code)) return { ok: false, reason: 'malformed' };

  const current = totpStep(now, period);
  const expected = current + drift;
  // Integers compare in constant time, unlike strings; no candidate is formatted.
  const given = Number(code);
  const matches = (step: number) =>
    step >= 0 && hotpValue({ seed, counter: step, algorithm, digits }) === given;

  let replayed: number | undefined;
  for (const offset of offsetsNearestFirst(0, window)) {
    const step = expected + offset;
    if (!matches(step)) continue;
    if (lastStep === null || step > lastStep) return { ok: true, step, drift: step - current };
    replayed ??= step;
  }
  if (replayed !== undefined && lastStep !== null) {
    const retryAfterSeconds = secondsUntilAfter(lastStep, { drift, period, now });
    return { ok: false, reason: 'replay', step: replayed, retryAfterSeconds };
  }
  for (const offset of offsetsNearestFirst(window + 1, syncWindow)) {
    const step = expected + offset;
    if (matches(step) && (lastStep === null || step > lastStep)) {
      return { ok: false, reason: 'resync', step, drift: step - current };
    }
  }
  return { ok: false, reason: 'mismatch' };
}

/**
 * Seconds (at least 1) until the phone shows the code after `step`: how long a user whose code
 * for `step` was already accepted must wait before logging in again.
 */
export function secondsUntilAfter(
  step: number,
  at: { readonly drift: number; readonly period: number; readonly now: number },
): number {
  return Math.max(1, Math.ceil((step + 1 - at.drift) * at.period - at.now / 1000));
}

const DIGITS = /^\d+$/;

/** 0, -1, +1, -2, +2, ... from `from` to `to` steps away: the likeliest steps first. */
function offsetsNearestFirst(from: number, to: number): number[] {
  const offsets: number[] = [];
  for (let distance = from; distance <= to; distance++) {
    offsets.push(...(distance === 0 ? [0] : [-distance, distance]));
  }
  return offsets;
}
