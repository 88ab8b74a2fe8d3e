import { CsvError, parse } from 'csv-parse/sync';
import { isTokenwardError, TokenwardError } from '../core/errors.js';
import { TWO_FACTORS, type TwoFactor } from '../core/login-terms.js';
import { parseEmailAddress, parseName, parsePhoneNumber } from '../core/names.js';
import { checkPasswordPolicy, PASSWORD_MIN_LENGTH } from '../core/password-policy.js';
import type { GatewayContext } from './context.js';
import { addUser } from './users.js';

/** The columns an import file may have, by their header names. */
const COLUMNS = ['name', 'password', 'email', 'sms', 'two-factor'] as const;
type Column = (typeof COLUMNS)[number];
const MAX_ROWS = 5_000;

export interface ImportedRow {
  readonly line: number;
  readonly name: string;
  readonly email: string | null;
  readonly sms: string | null;
  readonly twoFactor: TwoFactor;
  readonly error: { readonly message: string; readonly column: string } | null;
}

/** Raised by a row's check: the message is for the person fixing the file. */
class RowError extends Error {
  constructor(
    readonly column: Column,
    message: string,
  ) {
    super(message);
  }
}

const field = (column: Column, check: () => string): string => {
  try {
    return check();
  } catch (error) {
    if (isTokenwardError(error)) throw new RowError(column, error.message);
    throw error;
  }
};

/**
 * Reads an import file (a header line, then one user per line) into rows, each checked as
 * `addUser` would check it and against the users already there and the file's other rows.
 * A user with an e-mail address or phone number and two-factor `fortitoken` (the default when
 * one is given) is assigned a free token and sent the activation when added.
 */
async function checkRows(ctx: GatewayContext, csv: string) {
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw new TokenwardError('TW_INPUT_INVALID', {
      message: `The file is not CSV as expected (${error.message}). Start with a header line such as "name,password,email,sms,two-factor".`,
      data: { field: 'csv' },
    });
  }
  const header = Object.keys(records[0] ?? {});
  const unknown = header.filter((column) => !(COLUMNS as readonly string[]).includes(column));
  if (records.length === 0 || !header.includes('name') || unknown.length > 0) {
    throw new TokenwardError('TW_INPUT_INVALID', {
      message: `The header line must name the columns, "name" first, out of: ${COLUMNS.join(', ')}${unknown.length > 0 ? ` (not ${unknown.join(', ')})` : ''}; then one user per line.`,
      data: { field: 'csv' },
    });
  }
  if (records.length > MAX_ROWS) {
    throw new TokenwardError('TW_INPUT_INVALID', {
      message: `The file has ${records.length} users; import at most ${MAX_ROWS} at a time.`,
      data: { field: 'csv' },
    });
  }
  const seen = new Set<string>();
  let tokensLeft = (await ctx.store.fortitokens.freeSerials()).length;
  const rows: (ImportedRow & { password: string })[] = [];
  for (const [index, record] of records.entries()) {
    const value = (column: Column) => record[column] ?? '';
    const line = index + 2;
    const base = {
      line,
      name: value('name'),
      email: null,
      sms: null,
      twoFactor: 'disable' as const,
    };
    try {
      const name = field('name', () => parseName(value('name'), 'name'));
      if (seen.has(name)) throw new RowError('name', `${name} is already on an earlier line.`);
      seen.add(name);
      if ((await ctx.store.users.find(name)) !== undefined) {
        throw new RowError('name', `A user named ${name} exists already.`);
      }
      const email =
        value('email') === ''
          ? null
          : field('email', () => parseEmailAddress(value('email'), 'email'));
      const sms =
        value('sms') === '' ? null : field('sms', () => parsePhoneNumber(value('sms'), 'sms'));
      const twoFactor = twoFactorOf(value('two-factor'), email ?? sms);
      if (twoFactor === 'email' && email === null) {
        throw new RowError('email', 'Two-factor email needs an e-mail address.');
      }
      if (twoFactor === 'sms' && sms === null) {
        throw new RowError('sms', 'Two-factor sms needs a phone number.');
      }
      const password = value('password');
      field('password', () => {
        checkPasswordPolicy(password, {
          minLength: PASSWORD_MIN_LENGTH.user,
          username: name,
          field: 'password',
        });
        return password;
      });
      if (twoFactor === 'fortitoken') {
        if (tokensLeft === 0)
          throw new RowError(
            'two-factor',
            'No free token is left for this user: import a licence with more tokens.',
          );
        tokensLeft--;
      }
      rows.push({ line, name, email, sms, twoFactor, password, error: null });
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      rows.push({ ...base, password: '', error: { message: error.message, column: error.column } });
    }
  }
  return rows;
}

function twoFactorOf(given: string, address: string | null): TwoFactor {
  if (given === '') {
    if (address !== null) return 'fortitoken';
    // As with `user add`: a password-only user is asked for in so many words.
    throw new RowError(
      'two-factor',
      'Give an e-mail address or phone number (the activation goes there), or write two-factor disable for a password-only user.',
    );
  }
  if (!(TWO_FACTORS as readonly string[]).includes(given)) {
    throw new RowError(
      'two-factor',
      `Two-factor is one of ${TWO_FACTORS.join(', ')}, not "${given}".`,
    );
  }
  return given as TwoFactor;
}

/**
 * Checks an import file and, with `commit`, adds its users, but only when every row is right:
 * the preview shows each row's error first, and a file with any is refused whole, so nothing
 * is half-imported. Each user is added as `addUser` adds one (audited, activation sent).
 */
export async function importUsers(
  ctx: GatewayContext,
  input: { readonly csv: string; readonly commit: boolean },
  now: number,
) {
  const rows = await checkRows(ctx, input.csv);
  const invalid = rows.filter((row) => row.error !== null).length;
  const shown = rows.map(({ password: _password, ...row }) => row);
  if (!input.commit) {
    return { rows: shown, valid: rows.length - invalid, invalid, added: 0, problems: [] };
  }
  if (invalid > 0) {
    throw new TokenwardError('TW_INPUT_INVALID', {
      message: `${invalid} of ${rows.length} rows have errors: correct them (the preview names each) and import again. Nothing was added.`,
      data: { field: 'csv' },
    });
  }
  let added = 0;
  const problems: { line: number; message: string }[] = [];
  for (const row of rows) {
    try {
      await addUser(
        ctx,
        {
          name: row.name,
          password: row.password,
          twoFactor: row.twoFactor,
          ...(row.email === null ? {} : { email: row.email }),
          ...(row.sms === null ? {} : { sms: row.sms }),
          ...(row.twoFactor === 'fortitoken' ? { token: 'auto' } : {}),
        },
        now,
      );
    } catch (error) {
      // Checked above, so what fails here is delivery (the mail server) or a race with another
      // admin: said per line, and the rest still go in.
      if (!isTokenwardError(error) || error.status >= 500) throw error;
      problems.push({ line: row.line, message: error.message });
    }
    if ((await ctx.store.users.find(row.name)) !== undefined) added++;
  }
  return { rows: shown, valid: rows.length, invalid: 0, added, problems };
}
