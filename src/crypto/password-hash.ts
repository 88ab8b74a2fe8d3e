import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';
import { TokenwardError } from '../core/errors.js';

/**
 * argon2id cost (RFC 9106): memory in KiB, passes, lanes. The default is OWASP's recommended
 * minimum (m=19 MiB, t=2, p=1): about 30 ms of one core, so a gateway on two cores checks some
 * 60 passwords a second while a stolen hash costs an attacker the same per guess.
 */
export interface Argon2Parameters {
  readonly memoryKiB: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

export const DEFAULT_ARGON2_PARAMETERS: Argon2Parameters = {
  memoryKiB: 19_456,
  timeCost: 2,
  parallelism: 1,
};

/** scrypt cost (RFC 7914): N = 2^logN, block size r, parallelism p. Read and checked, no longer the default. */
export interface ScryptParameters {
  readonly logN: number;
  readonly r: number;
  readonly p: number;
}

export type PasswordHashParameters = Argon2Parameters | ScryptParameters;

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** Unpadded base64 of exactly SALT_LENGTH and KEY_LENGTH bytes (22 and 43 characters). */
const SCRYPT_FORMAT =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{22})\$([A-Za-z0-9+/]{43})$/;
const ARGON2_FORMAT =
  /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{22})\$([A-Za-z0-9+/]{43})$/;
/** What a stored hash may ask for: at least a floor, at most what a login can afford (1 GiB). */
const SCRYPT_LIMITS = { logN: [10, 20], r: [1, 32], p: [1, 16] } as const;
const ARGON2_LIMITS = {
  memoryKiB: [8_192, 1_048_576],
  timeCost: [1, 10],
  parallelism: [1, 16],
} as const;

/**
 * Hashes a password (argon2id by default, on libuv's thread pool, never on the event loop). The
 * result records its parameters, PHC style: `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`.
 */
export async function hashPassword(
  password: string,
  parameters: PasswordHashParameters = DEFAULT_ARGON2_PARAMETERS,
): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  if ('logN' in parameters) {
    const { logN, r, p } = parameters;
    const hash = await deriveScrypt(password, salt, parameters);
    return `$scrypt$ln=${logN},r=${r},p=${p}$${b64(salt)}$${b64(hash)}`;
  }
  const hash = await deriveArgon2(password, salt, parameters);
  const { memoryKiB, timeCost, parallelism } = parameters;
  return `$argon2id$v=19$m=${memoryKiB},t=${timeCost},p=${parallelism}$${b64(salt)}$${b64(hash)}`;
}

/** True when `password` matches; a malformed stored hash is TW_PASSWORD_HASH_INVALID. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  const derived =
    parsed.kind === 'scrypt'
      ? await deriveScrypt(password, parsed.salt, parsed.parameters)
      : await deriveArgon2(password, parsed.salt, parsed.parameters);
  return timingSafeEqual(derived, parsed.hash);
}

/**
 * True when `stored` should be made again at the next successful login: an scrypt hash (the
 * earlier default), or argon2id weaker than `parameters`.
 */
export function passwordNeedsRehash(
  stored: string,
  parameters: Argon2Parameters = DEFAULT_ARGON2_PARAMETERS,
): boolean {
  const parsed = parsePasswordHash(stored);
  if (parsed.kind === 'scrypt') return true;
  const current = parsed.parameters;
  return (
    current.memoryKiB < parameters.memoryKiB ||
    current.timeCost < parameters.timeCost ||
    current.parallelism < parameters.parallelism
  );
}

/**
 * Throws TW_PASSWORD_HASH_INVALID unless `stored` is a whole hash of ours: known parameters in
 * range, a 16-byte salt and a 32-byte digest. A short digest would match nearly any password.
 */
export function checkPasswordHash(stored: string): void {
  parsePasswordHash(stored);
}

type ParsedHash =
  | { kind: 'scrypt'; parameters: ScryptParameters; salt: Buffer; hash: Buffer }
  | { kind: 'argon2id'; parameters: Argon2Parameters; salt: Buffer; hash: Buffer };

function parsePasswordHash(stored: string): ParsedHash {
  const invalid = () =>
    new TokenwardError('TW_PASSWORD_HASH_INVALID', {
      detail: 'not a whole $argon2id$ or $scrypt$ hash with parameters in range',
    });
  const inRange = <P extends Record<string, number>>(
    parameters: P,
    limits: { readonly [K in keyof P]: readonly [number, number] },
  ) =>
    (Object.keys(limits) as (keyof P)[]).every((name) => {
      const [min, max] = limits[name];
      return (parameters[name] ?? Number.NaN) >= min && (parameters[name] ?? Number.NaN) <= max;
    });
  const argon = ARGON2_FORMAT.exec(stored);
  if (argon !== null) {
    const [, m, t, p, salt = '', hash = ''] = argon;
    const parameters = { memoryKiB: Number(m), timeCost: Number(t), parallelism: Number(p) };
    if (!inRange(parameters, ARGON2_LIMITS)) throw invalid();
    return { kind: 'argon2id', parameters, salt: unb64(salt), hash: unb64(hash) };
  }
  const [, logN, r, p, salt, hash] = SCRYPT_FORMAT.exec(stored) ?? [];
  const parameters = { logN: Number(logN), r: Number(r), p: Number(p) };
  const memory = 128 * 2 ** parameters.logN * parameters.r;
  if (
    salt === undefined ||
    hash === undefined ||
    !inRange(parameters, SCRYPT_LIMITS) ||
    memory > 2 ** 30
  ) {
    throw invalid();
  }
  return { kind: 'scrypt', parameters, salt: unb64(salt), hash: unb64(hash) };
}

function deriveArgon2(
  password: string,
  salt: Buffer,
  parameters: Argon2Parameters,
): Promise<Buffer> {
  return argon2.hash(password.normalize('NFC'), {
    type: argon2.argon2id,
    raw: true,
    salt,
    hashLength: KEY_LENGTH,
    memoryCost: parameters.memoryKiB,
    timeCost: parameters.timeCost,
    parallelism: parameters.parallelism,
  });
}

function deriveScrypt(
  password: string,
  salt: Buffer,
  { logN, r, p }: ScryptParameters,
): Promise<Buffer> {
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

function unb64(text: string): Buffer {
  return Buffer.from(text, 'base64');
}
