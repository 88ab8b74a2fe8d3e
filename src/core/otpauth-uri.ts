import { decodeBase32, encodeBase32 } from './base32.js';
import { TokenwardError } from './errors.js';
import { type OtpParameters, parseOtpParameters } from './otp-parameters.js';

/** A TOTP token as the Key Uri Format (otpauth://totp/...) describes it. */
export interface OtpauthToken extends OtpParameters {
  readonly seed: Uint8Array;
  /** The account, e.g. `alice@vpn.example.com`. */
  readonly account: string;
  /** Who issued it; must not contain ":" since the label uses it as the separator. */
  readonly issuer?: string;
}

/** Builds `otpauth://totp/<issuer>:<account>?secret=...&issuer=...&algorithm=...&digits=...&period=...`. */
export function buildOtpauthUri(token: OtpauthToken): string {
  const { account, issuer } = token;
  if (account === '' || (issuer !== undefined && (issuer === '' || issuer.includes(':')))) {
    throw invalid('empty account, or empty issuer or issuer with ":"');
  }
  if (issuer === undefined && account.includes(':')) {
    throw invalid('an account with ":" needs an issuer');
  }
  const label = issuer === undefined ? enc(account) : `${enc(issuer)}:${enc(account)}`;
  const query = new URLSearchParams({ secret: encodeBase32(token.seed) });
  if (issuer !== undefined) query.set('issuer', issuer);
  query.set('algorithm', token.algorithm);
  query.set('digits', String(token.digits));
  query.set('period', String(token.period));
  return `otpauth://totp/${label}?${query.toString().replaceAll('+', '%20')}`;
}

/** Parses an otpauth://totp URI; anything malformed is TW_OTPAUTH_URI_INVALID. */
export function parseOtpauthUri(uri: string): OtpauthToken {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw invalid('not a URL');
  }
  if (url.protocol !== 'otpauth:' || url.host !== 'totp') throw invalid('not otpauth://totp');

  const label = dec(url.pathname.slice(1));
  const separator = label.indexOf(':');
  const labelIssuer = separator === -1 ? undefined : label.slice(0, separator);
  const account = separator === -1 ? label : label.slice(separator + 1);
  const issuer = url.searchParams.get('issuer') ?? labelIssuer;
  if (account === '' || (labelIssuer !== undefined && labelIssuer !== issuer) || issuer === '') {
    throw invalid('label and issuer disagree or are empty');
  }

  const secret = url.searchParams.get('secret');
  if (secret === null || secret === '') throw invalid('no secret');
  let seed: Uint8Array;
  try {
    seed = decodeBase32(secret);
  } catch (error) {
    throw invalid('secret is not base32', error);
  }
  let parameters: OtpParameters;
  try {
    parameters = parseOtpParameters({
      algorithm: url.searchParams.get('algorithm') ?? undefined,
      digits: numberParam(url, 'digits'),
      period: numberParam(url, 'period'),
    });
  } catch (error) {
    throw invalid('unsupported algorithm, digits or period', error);
  }
  return { seed, account, ...(issuer === undefined ? {} : { issuer }), ...parameters };
}

function numberParam(url: URL, name: string): number | undefined {
  const value = url.searchParams.get(name);
  return value === null ? undefined : Number(value);
}

const enc = encodeURIComponent;

function dec(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalid('bad percent-encoding in the label');
  }
}

function invalid(detail: string, cause?: unknown): TokenwardError {
  return new TokenwardError('TW_OTPAUTH_URI_INVALID', { detail, cause });
}
