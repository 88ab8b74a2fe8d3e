import { TokenwardError } from './errors.js';

export type OtpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';
export type OtpDigits = 6 | 8;
export type OtpPeriod = 30 | 60;

export interface OtpParameters {
  readonly algorithm: OtpAlgorithm;
  readonly digits: OtpDigits;
  readonly period: OtpPeriod;
}

/** DESIGN section 3: TOTP, HMAC-SHA1, 6 digits, 60 s unless the token says otherwise. */
export const DEFAULT_OTP_PARAMETERS: OtpParameters = { algorithm: 'SHA1', digits: 6, period: 60 };

/**
 * Seed lengths that match each hash's output, as RFC 6238 Appendix B uses them
 * (RFC 4226 section 4 asks for at least 128 bits; we mint the full hash length).
 */
export const SEED_LENGTH: Record<OtpAlgorithm, number> = { SHA1: 20, SHA256: 32, SHA512: 64 };

/** Validates OTP parameters from outside (a URI, a message, a config file). */
export function parseOtpParameters(input: {
  algorithm?: string | undefined;
  digits?: number | undefined;
  period?: number | undefined;
}): OtpParameters {
  const algorithm = (input.algorithm ?? DEFAULT_OTP_PARAMETERS.algorithm).toUpperCase();
  const digits = input.digits ?? DEFAULT_OTP_PARAMETERS.digits;
  const period = input.period ?? DEFAULT_OTP_PARAMETERS.period;
  if (
    (algorithm !== 'SHA1' && algorithm !== 'SHA256' && algorithm !== 'SHA512') ||
    (digits !== 6 && digits !== 8) ||
    (period !== 30 && period !== 60)
  ) {
    throw new TokenwardError('TW_OTP_PARAMETERS_INVALID', {
      detail: `algorithm ${algorithm}, digits ${digits}, period ${period}`,
    });
  }
  return { algorithm, digits, period };
}
