import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TokenwardError } from '../core/errors.js';
import { ensureDirectory } from '../fs/ensure-directory.js';

const KEY_LENGTH = 32;
export const MASTER_KEY_FILE = 'master.key';

export interface LoadMasterKeyOptions {
  /** Directory holding `master.key` (created 0600 on first use). */
  readonly dataDir: string;
  /** `TOKENWARD_MASTER_KEY` if set: 32 bytes as base64 or 64 hex digits; wins over the file. */
  readonly fromEnvironment?: string | undefined;
}

/** Loads the master key that encrypts secrets at rest (DESIGN section 7), creating it once. */
export async function loadMasterKey(options: LoadMasterKeyOptions): Promise<Uint8Array> {
  if (options.fromEnvironment !== undefined && options.fromEnvironment !== '') {
    return decodeKey(options.fromEnvironment.trim(), 'TOKENWARD_MASTER_KEY');
  }
  const path = join(options.dataDir, MASTER_KEY_FILE);
  await ensureDirectory(options.dataDir, '--data DIR');
  await createOnce(path);
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
 */
async function createOnce(path: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(
    temporary,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
    0o600,
  );
  try {
    await handle.writeFile(`${randomBytes(KEY_LENGTH).toString('base64')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
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
