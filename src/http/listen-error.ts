import { TokenwardError } from '../core/errors.js';

/**
 * Runs `bind` and turns "address in use / not allowed / not here" into an error that names the
 * flag to change, e.g. `Cannot listen on 127.0.0.1:8440 (EADDRINUSE). Choose another with --listen HOST:PORT.`
 */
export async function bindOrExplain<T>(
  bind: () => Promise<T>,
  where: { host: string; port: number; flag: string; transport?: 'tcp' | 'udp' },
): Promise<T> {
  try {
    return await bind();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new TokenwardError('TW_LISTEN_FAILED', {
        message: `Cannot listen on ${where.host}:${where.port}${where.transport === 'udp' ? '/udp' : ''} (${code}). Choose another address with ${where.flag} HOST:PORT.`,
        data: { field: where.flag },
        cause: error,
      });
    }
    throw error;
  }
}
