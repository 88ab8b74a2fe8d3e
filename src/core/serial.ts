import { TokenwardError } from './errors.js';
import { type RandomBytes, secureRandomBytes } from './random.js';

/** Prefix of the token serials Tokenward mints (FortiOS uses FTKMOB for its mobile tokens). */
export const MINTED_SERIAL_PREFIX = 'TWMOB';

const SERIAL_PATTERN = /^[A-Z0-9]{16}$/;

/** Mints a token serial: `TWMOB` + 11 upper-case hex digits (44 random bits). */
export function mintSerial(random: RandomBytes = secureRandomBytes): string {
  const hex = Buffer.from(random(6)).toString('hex').toUpperCase().slice(0, 11);
  return MINTED_SERIAL_PREFIX + hex;
}

/**
 * Parses a token or gateway serial: 16 characters `[A-Z0-9]`. Serials of other vendors
 * (`FTKMOB83712DC7FE`, `FGT3HD3915801656`) are accepted as they are; surrounding spaces are
 * trimmed and lower case is raised, since people copy serials from mail and screens.
 */
export function parseSerial(input: string): string {
  const serial = input.trim().toUpperCase();
  if (!SERIAL_PATTERN.test(serial)) {
    throw new TokenwardError('TW_SERIAL_INVALID', { detail: `length ${serial.length}` });
  }
  return serial;
}

export function isSerial(input: string): boolean {
  return SERIAL_PATTERN.test(input);
}
