import { generateHotp } from './hotp.js';
import type { OtpParameters } from './otp-parameters.js';

/** RFC 6238 section 4.2: T = floor((now - T0) / X) with T0 = 0; `now` in epoch milliseconds. */
export function totpStep(now: number, period: number): number {
  return Math.floor(now / 1000 / period);
}

export interface TotpInput extends OtpParameters {
  readonly seed: Uint8Array;
  readonly now: number;
}

export function generateTotp({ seed, now, algorithm, digits, period }: TotpInput): string {
  return generateHotp({ seed, counter: totpStep(now, period), algorithm, digits });
}
