import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { TokenwardError } from '../core/errors.js';

/** scrypt cost (RFC 7914): N = 2^logN, block size r, parallelism p. */
export interface ScryptParameters {
  readonly logN: number;
  readonly r: number;
  readonly p: number;
}

/** 64 MiB and about 0.1 s a hash on one core: costly to guess at, affordable at login rates. */
export const DEFAULT_SCRYPT_PARAMETERS: ScryptParameters = { logN: 16, r: 8, p: 1 };

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** Unpadded base64 of exactly SALT_LENGTH and KEY_LENGTH bytes (22 and 43 characters). */
const FORMAT =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{22})\$([A-Za-z0-9+/]{43})$/;
/** What a stored hash may ask for: at least our floor, at most what a login can afford (1 GiB). */
const LIMITS = { logN: [10, 20], r: [1, 32], p: [1, 16] } as const;

/**
 * Hashes a password with scrypt on libuv's thread pool (never on the event loop). The result
 * records its parameters, PHC style: `$scrypt$ln=16,r=8,p=1$<salt>$<hash>` (unpadded base64).
 */
export async function hashPassword(
  password: string,
  parameters: ScryptParameters = DEFAULT_SCRYPT_PARAMETERS,
): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(password, salt, parameters);
  const { logN, r, p } = parameters;
  return `$scrypt$ln=${logN},r=${r},p=${p}$${b64(salt)}$${b64(hash)}`;
}

/** True when `password` matches; a malformed stored hash is TW_PASSWORD_HASH_INVALID. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const { parameters, salt, hash } = parsePasswordHash(stored);
  return timingSafeEqual(await derive(password, salt, parameters), hash);
}

/** True when `stored` was made with weaker parameters than `parameters` and should be redone. */
export function passwordNeedsRehash(
  stored: string,
  parameters: ScryptParameters = DEFAULT_SCRYPT_PARAMETERS,
): boolean {
  const current = parsePasswordHash(stored).parameters;
  return current.logN < parameters.logN || current.r < parameters.r || current.p < parameters.p;
}

/**
 * Throws TW_PASSWORD_HASH_INVALID unless `stored` is a whole hash of ours: known parameters in
 * range, a 16-byte salt and a 32-byte digest. A short digest would match nearly any password.
 */
export function checkPasswordHash(stored: string): void {
  parsePasswordHash(stored);
}

function parsePasswordHash(stored: string) {
  const [, logN, r, p, salt, hash] = FORMAT.exec(stored) ?? [];
  const parameters = { logN: Number(logN), r: Number(r), p: Number(p) };
  const inRange = (Object.keys(LIMITS) as (keyof typeof LIMITS)[]).every(
    (name) => parameters[name] >= LIMITS[name][0] && parameters[name] <= LIMITS[name][1],
  );
  const memory = 128 * 2 ** parameters.logN * parameters.r;
  if (salt === undefined || hash === undefined || !inRange || memory > 2 ** 30) {
    throw new TokenwardError('TW_PASSWORD_HASH_INVALID', {
      detail: 'not a whole $scrypt$ hash with parameters in range',
    });
  }
  return { parameters, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
}

function derive(password: string, salt: Buffer, { logN, r, p }: ScryptParameters): Promise<Buffer> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) => {
    // scrypt needs 128 * N * r bytes; allow twice that so the default 32 MiB cap never bites.
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_LENGTH,
      { N, r, p, maxmem: 256 * N * r },
      (error, key) => (error === null ? resolve(key) : reject(error)),
    );
  });
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}
