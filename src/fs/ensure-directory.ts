import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { TokenwardError } from '../core/errors.js';

/**
 * Creates `dir` and its missing parents (mode 0700), one level at a time, and checks it can be
 * written; otherwise TW_DIRECTORY_UNUSABLE naming the flag to change. One level at a time:
 * Node 20's recursive mkdir never settles under /proc, and its errors name no flag.
 */
export async function ensureDirectory(dir: string, flag: string): Promise<void> {
  const unusable = (reason: string) =>
    new TokenwardError('TW_DIRECTORY_UNUSABLE', {
      message: `The directory ${dir} cannot be created or written (${reason}). Choose another with ${flag}.`,
      data: { field: flag },
    });
  const missing: string[] = [];
  for (let at = resolve(dir); ; at = dirname(at)) {
    const found = await stat(at).then(
      (info) => info,
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw unusable(error.code ?? 'cannot be read');
        return undefined;
      },
    );
    if (found !== undefined) {
      if (!found.isDirectory()) throw unusable(`${at} is a file, not a directory`);
      break;
    }
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const path of missing) {
    await mkdir(path, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw unusable(`${error.code ?? 'error'} creating ${path}`);
    });
  }
  await access(dir, constants.W_OK).catch((error: NodeJS.ErrnoException) => {
    throw unusable(error.code ?? 'not writable');
  });
}
