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

/** A user's or admin's switch (FortiOS `status`). */
export type EnableStatus = 'enable' | 'disable';
