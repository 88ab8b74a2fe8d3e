import { open } from 'node:fs/promises';
import { TokenwardError } from '../core/errors.js';

/**
 * Reads a file the person named (a config to import, a certificate), at most `maxBytes`, or
 * TW_FILE_UNREADABLE saying why: missing, a directory, unreadable, too large.
 */
export async function readInputFile(path: string, maxBytes: number): Promise<string> {
  const refuse = (reason: string) =>
    new TokenwardError('TW_FILE_UNREADABLE', {
      message: `Cannot read ${path} (${reason}). Check the path and its permissions.`,
      data: { field: path },
    });
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw refuse(error.code === 'ENOENT' ? 'no such file' : (error.code ?? 'error'));
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw refuse('not a file');
    if (info.size > maxBytes) throw refuse(`${info.size} bytes, more than the ${maxBytes} allowed`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
