import { resolve } from 'node:path';
import type { Command } from 'commander';
import { TokenwardError } from '../core/errors.js';

export interface DataOptions {
  data: string;
  db?: string;
}

/** `--data DIR` (master key, SQLite file) and `--db URL`, shared by every command that opens the store. */
export function withDataOptions(command: Command): Command {
  return command
    .option(
      '--data <dir>',
      'data directory (master.key, default SQLite database)',
      process.env.TOKENWARD_DATA ?? './tokenward-data',
    )
    .option(
      '--db <url>',
      'database URL: sqlite:<path> or postgres://user@host:port/name (default: sqlite:<data>/tokenward.db)',
    );
}

export function databaseUrl(options: DataOptions): string {
  return (
    options.db ?? process.env.TOKENWARD_DB ?? `sqlite:${resolve(options.data, 'tokenward.db')}`
  );
}

/** Parses `HOST:PORT` (IPv6 as `[::1]:8440`). */
export function parseListen(
  value: string,
  option = '--listen',
  defaultPort?: number,
): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d{1,5}))?$/.exec(value.trim());
  const port = match?.[3] === undefined ? defaultPort : Number(match[3]);
  const host = match?.[1] ?? match?.[2];
  if (host === undefined || port === undefined || !(port >= 0 && port <= 65535)) {
    throw new TokenwardError('TW_OPTION_INVALID', {
      message: `${option} takes HOST:PORT${defaultPort === undefined ? '' : ` (port ${defaultPort} if left out)`}, e.g. 127.0.0.1:${defaultPort ?? 8440} (got "${value}").`,
      data: { field: option },
    });
  }
  return { host, port };
}
