import { isTokenwardError, TokenwardError } from '../core/errors.js';
import type { AtRestCipher } from '../crypto/at-rest-cipher.js';
import type { ConfigSetting } from '../protocol/fortios/config-document.js';

/*
 * Reading FortiOS-syntax values for `config import`: each refusal is TW_CONFIG_INVALID naming
 * the line, so a mistake changes nothing and says where it is.
 */

export function secret(
  setting: ConfigSetting,
  cipher: AtRestCipher,
  aad: string,
  clear: RegExp,
): string {
  const [first, second] = setting.values;
  if (
    first?.text === 'ENC' &&
    !first.quoted &&
    second !== undefined &&
    setting.values.length === 2
  ) {
    try {
      cipher.decrypt(second.text, aad);
    } catch {
      invalid(
        setting.line,
        `the ENC value of "${setting.key}" was not made by this gateway's master key`,
      );
    }
    return second.text;
  }
  const value = single(setting);
  if (!clear.test(value)) invalid(setting.line, `"${setting.key}" is not valid`);
  return cipher.encrypt(Buffer.from(value), aad);
}

export function single(setting: ConfigSetting): string {
  const [value, ...rest] = setting.values;
  if (value === undefined || rest.length > 0)
    invalid(setting.line, `"set ${setting.key}" takes one value`);
  return value.text;
}

export function integer(setting: ConfigSetting, min: number, max: number): number {
  const text = single(setting);
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    invalid(setting.line, `"${setting.key}" is a whole number from ${min} to ${max}`);
  return value;
}

export function choice<T extends string>(setting: ConfigSetting, choices: readonly T[]): T {
  const text = single(setting);
  const found = choices.find((c) => c === text);
  if (found === undefined)
    invalid(setting.line, `"${setting.key}" is one of: ${choices.join(', ')}`);
  return found;
}

export function invalid(line: number, problem: string): never {
  throw new TokenwardError('TW_CONFIG_INVALID', {
    message: `Line ${line}: ${problem}. Nothing was changed.`,
    data: { line },
  });
}

/** A value checked by `parse`; its refusal becomes TW_CONFIG_INVALID naming the line. */
export function checkedAt<T>(line: number, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!isTokenwardError(error)) throw error;
    invalid(line, error.message.replace(/\.$/, ''));
  }
}
