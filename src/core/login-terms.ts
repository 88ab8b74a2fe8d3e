/** How a user's logins prove the second factor (FortiOS `two-factor`); `disable`: none. */
export type TwoFactor = 'disable' | 'fortitoken' | 'email' | 'sms';
export const TWO_FACTORS: readonly TwoFactor[] = ['disable', 'fortitoken', 'email', 'sms'];

/** How a user proves the second factor in a login session. */
export type AuthMethod = Exclude<TwoFactor, 'disable'>;

/** Where a login came from. */
export type FrontEnd = 'http' | 'radius' | 'cli';

/** What a login decision was. */
export type AuthResult = 'accept' | 'reject' | 'challenge';
export const AUTH_RESULTS: readonly AuthResult[] = ['accept', 'reject', 'challenge'];

/**
 * How a RADIUS client sends the second factor: `challenge` (password, then a code or push in
 * answer to an Access-Challenge), `append` (password and code in one User-Password), `both`, or
 * `token` (the code alone: the NAS checked the password itself, e.g. against a directory).
 */
export type OtpMode = 'challenge' | 'append' | 'both' | 'token';
export const OTP_MODES: readonly OtpMode[] = ['challenge', 'append', 'both', 'token'];

/** A user's or admin's switch (FortiOS `status`). */
export type EnableStatus = 'enable' | 'disable';
