import { TokenwardError } from '../../core/errors.js';

/**
 * FortiOS configuration syntax (`config <path>` ... `end`, `edit <name>` ... `next`,
 * `set <key> <value>...`, `unset <key>`), as `show` prints it and `config import` reads it.
 * This codec knows the syntax only; what the sections mean belongs to the gateway.
 */
export interface ConfigValue {
  readonly text: string;
  /** Whether the value is written in double quotes (FortiOS quotes strings, not numbers or keywords). */
  readonly quoted: boolean;
}

export interface ConfigSetting {
  readonly key: string;
  /** Empty for `unset`. */
  readonly values: readonly ConfigValue[];
  readonly unset: boolean;
  readonly line: number;
}

export interface ConfigEntry {
  readonly name: string;
  readonly settings: readonly ConfigSetting[];
  /** Tables inside the entry (FortiOS `config match` in a user group), one level deep. */
  readonly subsections?: readonly ConfigSection[];
  readonly line: number;
}

export interface ConfigSection {
  /** e.g. `user fortitoken`. */
  readonly path: string;
  /** A table section holds entries (`edit`), a single one settings (`set`); one of the two is empty. */
  readonly entries: readonly ConfigEntry[];
  readonly settings: readonly ConfigSetting[];
  readonly line: number;
}

interface Token {
  readonly text: string;
  readonly quoted: boolean;
  readonly line: number;
}

/** Splits config text into words and quoted strings, with their line numbers. */
function tokenize(text: string): Token[][] {
  const statements: Token[][] = [];
  let current: Token[] = [];
  let line = 1;
  let index = 0;
  const endStatement = () => {
    if (current.length > 0) statements.push(current);
    current = [];
  };
  while (index < text.length) {
    const char = text[index] ?? '';
    if (char === '\n') {
      line++;
      index++;
      endStatement();
    } else if (/\s/.test(char)) {
      index++;
    } else if (char === '#' && current.length === 0) {
      while (index < text.length && text[index] !== '\n') index++;
    } else if (char === '"') {
      const startLine = line;
      let value = '';
      index++;
      while (index < text.length && text[index] !== '"') {
        if (text[index] === '\\' && index + 1 < text.length) index++;
        if (text[index] === '\n') line++;
        value += text[index];
        index++;
      }
      if (index >= text.length) syntax(startLine, 'a quoted value is not closed');
      index++;
      current.push({ text: value, quoted: true, line: startLine });
    } else {
      let word = '';
      while (index < text.length && !/\s/.test(text[index] ?? ' ')) word += text[index++];
      current.push({ text: word, quoted: false, line });
    }
  }
  endStatement();
  // A document pasted on one line (as web pages show it) still has its statements: split it
  // before each keyword that begins one. Only then, so that in a normal file a value may be
  // a word like "next".
  return statements.length === 1 ? splitOneLine(statements[0] ?? []) : statements;
}

const STATEMENT_KEYWORDS = new Set(['config', 'edit', 'set', 'unset', 'next', 'end']);

function splitOneLine(tokens: Token[]): Token[][] {
  const out: Token[][] = [];
  for (const token of tokens) {
    const last = out.at(-1);
    if (last === undefined || (!token.quoted && STATEMENT_KEYWORDS.has(token.text)))
      out.push([token]);
    else last.push(token);
  }
  return out;
}

interface OpenSection {
  path: string;
  entries: ConfigEntry[];
  settings: ConfigSetting[];
  line: number;
}

interface OpenEntry {
  name: string;
  settings: ConfigSetting[];
  subsections: ConfigSection[];
  line: number;
}

/** A `config` block being read, and the `edit` open in it. */
interface Frame {
  readonly section: OpenSection;
  entry?: OpenEntry | undefined;
}

/** Blocks open at once: a section, and a table inside one of its entries. */
const MAX_DEPTH = 2;

/** Parses config text; a mistake is TW_CONFIG_SYNTAX naming its line. Nothing is applied here. */
export function parseConfig(text: string): ConfigSection[] {
  const sections: ConfigSection[] = [];
  const open: Frame[] = [];
  for (const statement of tokenize(text)) {
    const [head, ...rest] = statement;
    if (head === undefined) continue;
    const line = head.line;
    const keyword = head.quoted ? '' : head.text;
    const frame = open.at(-1);
    switch (keyword) {
      case 'config':
        if (frame !== undefined && frame.entry === undefined)
          syntax(
            line,
            `"config" inside "config ${frame.section.path}" (close it with "end" first)`,
          );
        if (open.length >= MAX_DEPTH) syntax(line, '"config" nested more than one level deep');
        if (rest.length === 0) syntax(line, '"config" needs a path, e.g. "config user fortitoken"');
        open.push({
          section: { path: rest.map((t) => t.text).join(' '), entries: [], settings: [], line },
        });
        break;
      case 'edit':
        if (frame === undefined) syntax(line, '"edit" outside a "config" block');
        if (frame.entry !== undefined)
          syntax(line, `"edit" inside "edit ${frame.entry.name}" (close it with "next" first)`);
        if (rest.length !== 1) syntax(line, '"edit" takes one name');
        if (frame.section.settings.length > 0)
          syntax(line, `"config ${frame.section.path}" mixes "set" and "edit"`);
        frame.entry = { name: rest[0]?.text ?? '', settings: [], subsections: [], line };
        break;
      case 'set':
      case 'unset':
        if (frame === undefined) syntax(line, `"${keyword}" outside a "config" block`);
        addSetting(frame, keyword, rest, line);
        break;
      case 'next': {
        const entry = frame?.entry;
        if (frame === undefined || entry === undefined) syntax(line, '"next" without "edit"');
        if (rest.length > 0) syntax(line, '"next" takes nothing after it');
        const { subsections, ...closed } = entry;
        frame.section.entries.push(subsections.length === 0 ? closed : { ...closed, subsections });
        frame.entry = undefined;
        break;
      }
      case 'end': {
        if (frame === undefined) syntax(line, '"end" without "config"');
        if (frame.entry !== undefined)
          syntax(line, `"end" before "next" closes "edit ${frame.entry.name}"`);
        if (rest.length > 0) syntax(line, '"end" takes nothing after it');
        open.pop();
        const parent = open.at(-1)?.entry;
        (parent === undefined ? sections : parent.subsections).push(frame.section);
        break;
      }
      default:
        syntax(
          line,
          // The word itself is not repeated: a file that is no config must not be echoed.
          'not a statement of a configuration (expected config, edit, set, unset, next or end)',
        );
    }
  }
  const unclosed = open.at(-1);
  if (unclosed?.entry !== undefined)
    syntax(unclosed.entry.line, `"edit ${unclosed.entry.name}" is not closed with "next"`);
  if (unclosed !== undefined)
    syntax(unclosed.section.line, `"config ${unclosed.section.path}" is not closed with "end"`);
  return sections;
}

function addSetting(frame: Frame, keyword: 'set' | 'unset', rest: Token[], line: number): void {
  const [key, ...values] = rest;
  if (key === undefined || key.quoted) syntax(line, `"${keyword}" needs a setting name`);
  if (keyword === 'set' && values.length === 0) syntax(line, `"set ${key.text}" needs a value`);
  if (keyword === 'unset' && values.length > 0) syntax(line, `"unset ${key.text}" takes no value`);
  const setting = {
    key: key.text,
    values: values.map(({ text, quoted }) => ({ text, quoted })),
    unset: keyword === 'unset',
    line,
  };
  if (frame.entry !== undefined) frame.entry.settings.push(setting);
  else if (frame.section.entries.length > 0)
    syntax(line, `"config ${frame.section.path}" mixes "set" and "edit"`);
  else frame.section.settings.push(setting);
}

/** Prints sections as FortiOS does: four spaces per level, strings in double quotes. */
export function formatConfig(sections: readonly ConfigSection[]): string {
  const lines: string[] = [];
  const setting = (s: ConfigSetting, indent: string) =>
    s.unset
      ? `${indent}unset ${s.key}`
      : `${indent}set ${s.key} ${s.values.map(formatValue).join(' ')}`;
  const section = (block: ConfigSection, indent: string) => {
    lines.push(`${indent}config ${block.path}`);
    for (const s of block.settings) lines.push(setting(s, `${indent}    `));
    for (const entry of block.entries) {
      lines.push(`${indent}    edit ${formatValue({ text: entry.name, quoted: true })}`);
      for (const s of entry.settings) lines.push(setting(s, `${indent}        `));
      for (const inner of entry.subsections ?? []) section(inner, `${indent}        `);
      lines.push(`${indent}    next`);
    }
    lines.push(`${indent}end`);
  };
  for (const block of sections) section(block, '');
  return `${lines.join('\n')}\n`;
}

function formatValue(value: ConfigValue): string {
  return value.quoted
    ? `"${value.text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
    : value.text;
}

function syntax(line: number, problem: string): never {
  throw new TokenwardError('TW_CONFIG_SYNTAX', {
    message: `Line ${line}: ${problem}. Nothing was changed.`,
    data: { line },
  });
}
