import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TokenwardError } from '../core/errors.js';
import { ensureDirectory } from '../fs/ensure-directory.js';

const KEY_LENGTH = 32;
export const MASTER_KEY_FILE = 'master.key';
/** The key `tokenward rekey` rotates to, kept beside the old one until the rotation is done. */
export const NEW_MASTER_KEY_FILE = 'master.key.new';

export interface LoadMasterKeyOptions {
  /** Directory holding `master.key` (created 0600 on first use). */
  readonly dataDir: string;
  /** `TOKENWARD_MASTER_KEY` if set: 32 bytes as base64 or 64 hex digits; wins over the file. */
  readonly fromEnvironment?: string | undefined;
  /** Make `master.key` if it is missing (default); false: TW_MASTER_KEY_INVALID instead. */
  readonly create?: boolean;
}

/** Loads the master key that encrypts secrets at rest (DESIGN section 7), creating it once. */
export async function loadMasterKey(options: LoadMasterKeyOptions): Promise<Uint8Array> {
  const path = join(options.dataDir, MASTER_KEY_FILE);
  if (options.create === false) {
    const key = await findMasterKey(options);
    if (key === undefined) {
      throw new TokenwardError('TW_MASTER_KEY_INVALID', {
        message: `There is no master key: ${path} is missing and TOKENWARD_MASTER_KEY is not set. Check --data.`,
        detail: `${path} missing`,
      });
    }
    return key;
  }
  if (options.fromEnvironment !== undefined && options.fromEnvironment !== '') {
    return decodeKey(options.fromEnvironment.trim(), 'TOKENWARD_MASTER_KEY');
  }
  await ensureDirectory(options.dataDir, '--data DIR');
  await createOnce(path);
  return readKeyFile(path);
}

/** The master key from TOKENWARD_MASTER_KEY or `master.key`, or undefined when neither is there. */
export async function findMasterKey(
  options: Omit<LoadMasterKeyOptions, 'create'>,
): Promise<Uint8Array | undefined> {
  if (options.fromEnvironment !== undefined && options.fromEnvironment !== '') {
    return decodeKey(options.fromEnvironment.trim(), 'TOKENWARD_MASTER_KEY');
  }
  try {
    return await readKeyFile(join(options.dataDir, MASTER_KEY_FILE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Writes `key` as `master.key` (0600, on disk when done); TW_MASTER_KEY_INVALID if one is there. */
export async function writeMasterKey(dataDir: string, key: Uint8Array): Promise<void> {
  await ensureDirectory(dataDir, '--data DIR');
  const path = join(dataDir, MASTER_KEY_FILE);
  if (!(await createOnce(path, key))) {
    throw new TokenwardError('TW_MASTER_KEY_INVALID', {
      message: `${path} exists already: it is not overwritten.`,
    });
  }
  await syncDirectory(dataDir);
}

/** The key a rotation is moving to (`master.key.new`), if there is one. */
export async function readNewMasterKey(
  dataDir: string,
): Promise<{ readonly key: Uint8Array; readonly path: string } | undefined> {
  const path = join(dataDir, NEW_MASTER_KEY_FILE);
  try {
    return { key: await readKeyFile(path), path };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Makes `master.key.new` (0600, on disk before this returns) unless it exists; returns it. */
export async function createNewMasterKey(dataDir: string) {
  const path = join(dataDir, NEW_MASTER_KEY_FILE);
  await createOnce(path);
  // The key must outlive a crash before any value is sealed under it.
  await syncDirectory(dataDir);
  return { key: await readKeyFile(path), path };
}

/** Moves `master.key.new` over `master.key` (one rename: either key file is whole). */
export async function promoteNewMasterKey(dataDir: string): Promise<string> {
  const path = join(dataDir, MASTER_KEY_FILE);
  await rename(join(dataDir, NEW_MASTER_KEY_FILE), path);
  await syncDirectory(dataDir);
  return path;
}

async function syncDirectory(dir: string): Promise<void> {
  const directory = await open(dir, constants.O_RDONLY);
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

async function readKeyFile(path: string): Promise<Uint8Array> {
  const mode = (await stat(path)).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new TokenwardError('TW_MASTER_KEY_INVALID', {
      message: `${path} is readable by other users (mode ${mode.toString(8)}). Run: chmod 600 ${path}`,
      detail: `mode ${mode.toString(8)}`,
    });
  }
  return decodeKey((await readFile(path, 'utf8')).trim(), path);
}

/**
 * Writes a new key to a private temporary file and links it into place: link(2) fails if the key
 * exists, so of two processes starting at once one creates it and both read the same complete key.
 * True when this call made it.
 */
async function createOnce(
  path: string,
  key: Uint8Array = randomBytes(KEY_LENGTH),
): Promise<boolean> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(
    temporary,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
    0o600,
  );
  try {
    await handle.writeFile(`${Buffer.from(key).toString('base64')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    await unlink(temporary);
  }
}

function decodeKey(text: string, source: string): Uint8Array {
  const key = /^[0-9a-fA-F]{64}$/.test(text)
    ? Buffer.from(text, 'hex')
    : Buffer.from(text, 'base64');
  if (key.length !== KEY_LENGTH) {
    throw new TokenwardError('TW_MASTER_KEY_INVALID', { detail: `${source} is not 32 bytes` });
  }
  return key;
}
