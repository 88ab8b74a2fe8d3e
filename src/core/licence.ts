import { TokenwardError } from './errors.js';
import { type RandomBytes, secureRandomBytes } from './random.js';

/** The import code every gateway cluster may redeem once for its trial tokens. */
export const TRIAL_IMPORT_CODE = '0000-0000-0000-0000-0000';
export const TRIAL_TOKEN_COUNT = 2;
export const MAX_PACK_TOKEN_COUNT = 100_000;

export type LicenceKind = 'trial' | 'pack';

/** What a licence code names once parsed: the trial, or a paid pack by its normalised code. */
export type LicenceCode =
  | { readonly kind: 'trial' }
  | { readonly kind: 'pack'; readonly code: string };

const CODE_PATTERN = /^[0-9A-F]{20}$/;

/** Mints a redemption code for a paid pack: 20 upper-case hex digits in groups of four. */
export function mintRedemptionCode(random: RandomBytes = secureRandomBytes): string {
  for (;;) {
    const hex = Buffer.from(random(10)).toString('hex').toUpperCase();
    // All zeros is the trial code; 2^-80 odds, but a pack must never be mistaken for it.
    if (!/^0+$/.test(hex)) return formatLicenceCode(hex);
  }
}

/** Parses a licence code, tolerant of case, spaces and dashes. */
export function parseLicenceCode(input: string): LicenceCode {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  if (!CODE_PATTERN.test(code)) {
    throw new TokenwardError('TW_LICENCE_CODE_INVALID', { detail: `length ${code.length}` });
  }
  return /^0+$/.test(code) ? { kind: 'trial' } : { kind: 'pack', code: formatLicenceCode(code) };
}

function formatLicenceCode(hex: string): string {
  return hex.match(/.{4}/g)?.join('-') ?? hex;
}

/**
 * Mints a licence name: 16 characters like the FortiOS `FTMTRIAL02062407`. Trials are
 * `TWTRIAL` + 9 digits, packs `TWPACK` + 10 digits.
 */
export function mintLicenceName(
  kind: LicenceKind,
  random: RandomBytes = secureRandomBytes,
): string {
  const prefix = kind === 'trial' ? 'TWTRIAL' : 'TWPACK';
  const digits = 16 - prefix.length;
  const number = Buffer.from(random(8)).readBigUInt64BE() % 10n ** BigInt(digits);
  return prefix + number.toString().padStart(digits, '0');
}

/** Validates the number of tokens in a pack: a whole number from 1 to MAX_PACK_TOKEN_COUNT. */
export function parseTokenCount(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_PACK_TOKEN_COUNT) {
    throw new TokenwardError('TW_INPUT_INVALID', {
      message: `A licence holds from 1 to ${MAX_PACK_TOKEN_COUNT} tokens.`,
      detail: `token count ${value}`,
      data: { field: '--tokens' },
    });
  }
  return value;
}
