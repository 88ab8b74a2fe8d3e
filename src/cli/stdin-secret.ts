import { TokenwardError } from '../core/errors.js';
import { warningCatalog } from '../core/warnings.js';
import type { Output } from './command.js';

/** A password or secret from standard input, which the flag must have asked for. */
export async function secretFromStdin(asked: unknown, flag: string): Promise<string> {
  if (asked !== true) {
    throw new TokenwardError('TW_SECRET_STDIN_REQUIRED', {
      message: `Give it on standard input with ${flag}; it is never taken as an argument.`,
      data: { field: flag },
    });
  }
  return readFirstLine();
}

/** The first line of standard input (a secret piped in), without its line ending. */
export async function readFirstLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  const line = text.split('\n')[0]?.replace(/\r$/, '') ?? '';
  if (line === '')
    throw new TokenwardError('TW_INPUT_INVALID', { message: 'Standard input held no secret.' });
  return line;
}

/**
 * A secret given one of three ways, best first: on standard input (`stdinFlag`), in the
 * environment, or (kept for scripts, with TW_WARN_SECRET_IN_ARGV) as an argument, which every
 * user of the machine can read in /proc/PID/cmdline.
 */
export async function secretFrom(
  given: {
    readonly stdin: unknown;
    readonly argument: unknown;
    readonly environment?: string | undefined;
  },
  flags: { readonly stdin: string; readonly argument: string; readonly environment: string },
  output: Output,
): Promise<string | undefined> {
  if (given.stdin === true) return readFirstLine();
  if (given.environment !== undefined && given.environment !== '') return given.environment;
  if (typeof given.argument === 'string') {
    output.err(
      `Warning TW_WARN_SECRET_IN_ARGV: ${warningCatalog.TW_WARN_SECRET_IN_ARGV} (${flags.argument}; use ${flags.stdin} or ${flags.environment})`,
    );
    return given.argument;
  }
  return undefined;
}
