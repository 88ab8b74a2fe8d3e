import { createHash } from 'node:crypto';
import { decodeBase32, encodeBase32 } from './base32.js';
import { TokenwardError } from './errors.js';
import type { OtpPeriod } from './otp-parameters.js';
import { type RandomBytes, secureRandomBytes } from './random.js';

/**
 * An activation code is 10 bytes shown as 16 RFC 4648 base32 characters: a 2-byte header
 * (issuer kind, OTP period in seconds) and 8 random bytes. The header lets a phone tell a
 * transfer code from an admin-issued one and show the period before it asks the provisioner.
 */
export type ActivationCodeKind = 'activation' | 'transfer';

export interface ActivationCode {
  /** Normalised: 16 upper-case base32 characters. */
  readonly code: string;
  readonly kind: ActivationCodeKind;
  readonly period: OtpPeriod;
}

const KIND_BYTES: Record<ActivationCodeKind, number> = { activation: 0x01, transfer: 0x02 };
const KIND_BY_BYTE = new Map(
  Object.entries(KIND_BYTES).map(([kind, byte]) => [byte, kind as ActivationCodeKind]),
);
const RANDOM_LENGTH = 8;

export function mintActivationCode(
  kind: ActivationCodeKind,
  period: OtpPeriod,
  random: RandomBytes = secureRandomBytes,
): ActivationCode {
  const bytes = new Uint8Array(2 + RANDOM_LENGTH);
  bytes[0] = KIND_BYTES[kind];
  bytes[1] = period;
  bytes.set(random(RANDOM_LENGTH), 2);
  return { code: encodeBase32(bytes), kind, period };
}

/** Parses a code as a person types it: any case, with spaces or dashes anywhere. */
export function parseActivationCode(input: string): ActivationCode {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  if (code.length !== 16) {
    throw new TokenwardError('TW_ACTIVATION_CODE_MALFORMED', { detail: `length ${code.length}` });
  }
  let bytes: Uint8Array;
  try {
    bytes = decodeBase32(code);
  } catch (error) {
    throw new TokenwardError('TW_ACTIVATION_CODE_MALFORMED', {
      detail: 'not base32',
      cause: error,
    });
  }
  const kind = KIND_BY_BYTE.get(bytes[0] ?? -1);
  const period = bytes[1];
  if (kind === undefined || (period !== 30 && period !== 60)) {
    throw new TokenwardError('TW_ACTIVATION_CODE_MALFORMED', { detail: 'unknown header' });
  }
  return { code, kind, period };
}

/**
 * What the provisioner stores instead of the code. The code carries 64 random bits and lives at
 * most 168 hours, so a plain SHA-256 (no salt) keeps a stolen table useless while still letting
 * the provisioner find a code's row with one indexed lookup.
 */
export function hashActivationCode(code: ActivationCode): string {
  return createHash('sha256').update(code.code).digest('hex');
}
