import { TokenwardError } from './errors.js';

/** Control characters, and the invisible format ones (zero-width space and joiners, BOM...). */
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;

type NameError = 'TW_NAME_INVALID' | 'TW_EMAIL_INVALID' | 'TW_PHONE_INVALID' | 'TW_INPUT_INVALID';
const invalid = (field: string, message: string, code: NameError = 'TW_INPUT_INVALID') =>
  new TokenwardError(code, { message, data: { field } });

/**
 * A user or cluster name: 1 to 64 characters, no whitespace and nothing invisible, so that the
 * name the admin sees is the name that logs in (`alice` and `alice\u200b` are not two users).
 */
export function parseName(value: string, field: string, maxLength = 64): string {
  const length = [...value].length;
  if (length === 0 || length > maxLength || /\s/u.test(value) || INVISIBLE.test(value)) {
    throw invalid(
      field,
      `${field} takes 1 to ${maxLength} characters with no spaces and no invisible characters.`,
      'TW_NAME_INVALID',
    );
  }
  return value.normalize('NFC');
}

/** One e-mail address (activation mails go to exactly one). */
export function parseEmailAddress(value: string, field: string): string {
  if (
    value.length > 254 ||
    !/^[^\s@,;<>"()[\]\\]+@[^\s@,;<>"()[\]\\]+\.[^\s@,;<>"()[\]\\]+$/u.test(value)
  ) {
    throw invalid(
      field,
      `${field} takes one e-mail address, e.g. alice@example.com.`,
      'TW_EMAIL_INVALID',
    );
  }
  return value;
}

/** A phone number for SMS: digits with an optional leading +, spaces, dashes and brackets. */
export function parsePhoneNumber(value: string, field: string): string {
  if (!/^\+?[0-9][0-9 ()-]{4,24}$/.test(value)) {
    throw invalid(field, `${field} takes a phone number, e.g. +15550123.`, 'TW_PHONE_INVALID');
  }
  return value;
}

/** Free text (a comment): at most `maxLength` characters, nothing invisible. */
export function parseFreeText(value: string, field: string, maxLength = 255): string {
  if ([...value].length > maxLength || INVISIBLE.test(value)) {
    throw invalid(field, `${field} takes at most ${maxLength} visible characters.`);
  }
  return value;
}
