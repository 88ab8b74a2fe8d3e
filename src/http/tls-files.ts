import { readFile } from 'node:fs/promises';
import { TokenwardError } from '../core/errors.js';

export interface TlsFiles {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** A listener's certificate and key from `--tls-cert` and `--tls-key` (both or neither). */
export async function loadTlsFiles(files: {
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
}): Promise<TlsFiles | undefined> {
  if (files.certFile === undefined && files.keyFile === undefined) return undefined;
  if (files.certFile === undefined || files.keyFile === undefined) {
    throw new TokenwardError('TW_TLS_INCOMPLETE', {
      data: { field: files.certFile === undefined ? '--tls-cert' : '--tls-key' },
    });
  }
  const read = (file: string, flag: string) =>
    readFile(file).catch((error: unknown) => {
      throw new TokenwardError('TW_FILE_UNREADABLE', {
        message: `${flag} ${file} cannot be read (${(error as Error).message}).`,
        data: { field: flag },
      });
    });
  return {
    cert: await read(files.certFile, '--tls-cert'),
    key: await read(files.keyFile, '--tls-key'),
  };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
