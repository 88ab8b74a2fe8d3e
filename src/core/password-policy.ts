import { TokenwardError } from './errors.js';

/**
 * The one password policy, for every way a password is set (CLI, console, config import):
 * NIST SP 800-63B section 5.1.1.2 asks for at least 8 characters, a check against commonly used
 * passwords, and no other composition rules. Console admins need 12.
 */
export const PASSWORD_MIN_LENGTH = { user: 8, admin: 12 } as const;
const MAX_LENGTH = 256;

/** The most common passwords of public breach lists (those of 8 characters or more matter here). */
const COMMON = new Set([
  '12345678',
  '123456789',
  '1234567890',
  'password',
  'password1',
  'password12',
  'password123',
  'passw0rd',
  'p@ssw0rd',
  'p@ssword',
  'qwertyuiop',
  'qwerty123',
  'qwerty12',
  '1q2w3e4r',
  '1q2w3e4r5t',
  '1qaz2wsx',
  'zaq12wsx',
  'iloveyou',
  'sunshine',
  'princess',
  'football',
  'baseball',
  'superman',
  'starwars',
  'trustno1',
  'welcome1',
  'welcome123',
  'letmein1',
  'letmein123',
  'admin123',
  'administrator',
  'changeme',
  'changeme1',
  'abc12345',
  'abcd1234',
  '11111111',
  '00000000',
  '88888888',
  '87654321',
  '12341234',
  '11223344',
  '123123123',
  'computer',
  'michelle',
  'jennifer',
  'whatever',
  'internet',
  'asdfghjkl',
  'zxcvbnm1',
  'zxcvbnm123',
  'aa123456',
  'qazwsxedc',
  'master123',
  'dragon123',
  'monkey123',
  'shadow123',
  'secret123',
  'default1',
  'temp1234',
  'test1234',
  'password!',
  'welcome!',
  'summer2024',
  'winter2024',
  'spring2024',
  'autumn2024',
  'summer2025',
  'winter2025',
  'summer2026',
  'winter2026',
  'company1',
  'vpnpassword',
  'tokenward',
  'fortinet',
  'fortigate',
]);

/** Throws TW_PASSWORD_WEAK, naming `field`, unless `password` meets the policy. */
export function checkPasswordPolicy(
  password: string,
  options: { readonly minLength: number; readonly username?: string; readonly field: string },
): void {
  const length = [...password.normalize('NFC')].length;
  const weak = (reason: string) =>
    new TokenwardError('TW_PASSWORD_WEAK', {
      message: `The password ${reason}. Choose another of at least ${options.minLength} characters; a passphrase of a few words is good.`,
      data: { field: options.field },
    });
  if (length < options.minLength)
    throw weak(`has ${length} characters, fewer than ${options.minLength}`);
  if (length > MAX_LENGTH) throw weak(`has more than ${MAX_LENGTH} characters`);
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) throw weak('is one of the most common passwords');
  if (options.username !== undefined && lower.includes(options.username.toLowerCase())) {
    throw weak('contains the user name');
  }
}
