import { Command } from 'commander';
import { TokenwardError } from '../core/errors.js';
import { VERSION } from './version.js';

/** A command with `--help` (commander's own) and `--version`, as every Tokenward command has. */
export function command(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .version(VERSION, '-V, --version', 'print the Tokenward version')
    .helpOption('-h, --help', 'show help for this command');
}

/** Where the CLI writes: injectable so tests read what a person would see. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export const processOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Rows as aligned columns, headed; the shape `list` commands print without --json. */
export function table(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = [
    headers,
    ...rows.map((row) =>
      row.map((cell) => (cell === null || cell === undefined ? '-' : String(cell))),
    ),
  ];
  const widths = headers.map((_, column) =>
    Math.max(...cells.map((row) => (row[column] ?? '').length)),
  );
  return cells
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** What a `list` command prints: the items as JSON with --json, else as aligned columns. */
export function listing<T>(
  items: readonly T[],
  json: unknown,
  headers: readonly string[],
  row: (item: T) => readonly unknown[],
): string {
  return json === true ? JSON.stringify(items, null, 2) : table(headers, items.map(row));
}

export function isoTime(epochMs: number | null): string | null {
  return epochMs === null ? null : new Date(epochMs).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** An error the command has already shown to the person in its own words: exit 1, print nothing more. */
export class ReportedError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function parseLogLevel(value: string): (typeof LOG_LEVELS)[number] {
  const level = LOG_LEVELS.find((l) => l === value);
  if (level === undefined) {
    throw new TokenwardError('TW_OPTION_INVALID', {
      message: `--log-level is one of: ${LOG_LEVELS.join(', ')}.`,
      data: { field: '--log-level' },
    });
  }
  return level;
}

/** A whole number given for `flag`, within `min`..`max`, or TW_OPTION_INVALID naming the flag. */
export function parseInteger(flag: string, value: unknown, min: number, max: number): number {
  const text = String(value);
  const number = /^-?\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new TokenwardError('TW_OPTION_INVALID', {
      message: `${flag} takes a whole number from ${min} to ${max} (got "${text.slice(0, 40)}").`,
      data: { field: flag },
    });
  }
  return number;
}

/** One of `choices` given for `flag`, or TW_OPTION_INVALID naming the flag and the choices. */
export function parseChoice<T extends string>(
  flag: string,
  value: unknown,
  choices: readonly T[],
): T {
  const found = choices.find((choice) => choice === String(value));
  if (found === undefined) {
    throw new TokenwardError('TW_OPTION_INVALID', {
      message: `${flag} is one of: ${choices.join(', ')}.`,
      data: { field: flag },
    });
  }
  return found;
}
