import { randomBytes } from 'node:crypto';
import { isTokenwardError } from '../../core/errors.js';
import {
  type Argon2Parameters,
  DEFAULT_ARGON2_PARAMETERS,
  hashPassword,
  passwordNeedsRehash,
  verifyPassword,
} from '../../crypto/password-hash.js';

/** Where password hashes are made and checked (the default: argon2id on libuv's thread pool). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
  /** Whether a stored hash is older or weaker than what `hash` makes now. */
  needsRehash(stored: string): boolean;
}

/** argon2id with `parameters` (OWASP's by default); hashes of any other kind are rehashed. */
export function argon2Hasher(
  parameters: Argon2Parameters = DEFAULT_ARGON2_PARAMETERS,
): PasswordHasher {
  return {
    hash: (password) => hashPassword(password, parameters),
    verify: verifyPassword,
    needsRehash: (stored) => passwordNeedsRehash(stored, parameters),
  };
}

export const defaultHasher: PasswordHasher = argon2Hasher();

/** RADIUS append mode: the code must trail the password, or may. */
export type CodeAppended = 'required' | 'optional';

export type FirstFactorVerdict =
  | {
      readonly right: true;
      /** The password that matched (in memory only: it is rehashed when its hash is old). */
      readonly password: string;
      readonly code?: string;
    }
  | { readonly right: false; readonly hashInvalid?: true };

/**
 * Checks a password at a cost that depends on the request alone, never on the user: one hash, or
 * two when a code may or may not be appended (the password is tried with and without its
 * trailing digits). An unknown user, a user without a token and a wrong password all cost the
 * same, so the time of an answer does not tell which names exist.
 */
export function createFirstFactor(hasher: PasswordHasher) {
  let decoy: Promise<string> | undefined;
  const decoyHash = () => {
    decoy ??= hasher.hash(randomBytes(16).toString('hex'));
    return decoy;
  };

  return async (input: {
    /** The user's stored hash; undefined for an unknown user. */
    readonly stored: string | undefined;
    /**
     * Checks a password elsewhere instead of the stored hash (a directory user: a bind as them).
     * May throw (TW_DIRECTORY_UNAVAILABLE): the login then has no verdict.
     */
    readonly check?: ((password: string) => Promise<boolean>) | undefined;
    readonly given: string;
    readonly codeAppended?: CodeAppended | undefined;
    /** The digits of the user's token, when a code may be appended to the password. */
    readonly digits?: number | undefined;
  }): Promise<FirstFactorVerdict> => {
    const split =
      input.digits === undefined || input.codeAppended === undefined
        ? undefined
        : splitAppended(input.given, input.digits);
    const whole = { password: input.given };
    // Without trailing digits the password is all there is (a missing code is told apart later).
    const tries: ({ password: string; code?: string } | undefined)[] =
      input.codeAppended === undefined
        ? [whole]
        : input.codeAppended === 'required'
          ? [split ?? whole]
          : [split, whole];
    const stored = input.stored;
    try {
      const results = await Promise.all(
        tries.map(async (attempt) =>
          attempt === undefined || (stored === undefined && input.check === undefined)
            ? hasher.verify(input.given, await decoyHash()).then(() => false)
            : input.check !== undefined
              ? input.check(attempt.password)
              : hasher.verify(attempt.password, stored ?? ''),
        ),
      );
      const index = results.indexOf(true);
      const winner = index < 0 ? undefined : tries[index];
      if (winner === undefined) return { right: false };
      return winner.code === undefined
        ? { right: true, password: winner.password }
        : { right: true, password: winner.password, code: winner.code };
    } catch (error) {
      if (isTokenwardError(error, 'TW_PASSWORD_HASH_INVALID')) {
        return { right: false, hashInvalid: true };
      }
      throw error;
    }
  };
}

/** A password with a token code of `digits` digits appended, taken apart. */
function splitAppended(
  given: string,
  digits: number,
): { password: string; code: string } | undefined {
  const code = given.slice(-digits);
  if (given.length <= digits || !/^\d+$/.test(code)) return undefined;
  return { password: given.slice(0, -digits), code };
}

export type FirstFactor = ReturnType<typeof createFirstFactor>;
