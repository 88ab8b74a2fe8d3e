import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type ConfigSection,
  formatConfig,
  parseConfig,
} from '../../src/protocol/fortios/config-document.js';
import { assertThrowsCode, returnsOrThrowsCode } from '../helpers/assert-code.js';

const source = JSON.parse(
  readFileSync(new URL('../vectors/source-fortitoken-config.json', import.meta.url), 'utf8'),
) as { config: string };

/** Sections without line numbers, to compare what two texts say. */
function meaning(sections: readonly ConfigSection[]) {
  const settings = (list: ConfigSection['settings']) =>
    list.map(({ key, values, unset }) => ({
      key,
      values: values.map(({ text, quoted }) => ({ text, quoted })),
      unset,
    }));
  return sections.map((s) => ({
    path: s.path,
    settings: settings(s.settings),
    entries: s.entries.map((e) => ({ name: e.name, settings: settings(e.settings) })),
  }));
}

describe('FortiOS config syntax', () => {
  it("reads the source document's config user fortitoken block, pasted on one line", () => {
    const [section, ...others] = parseConfig(source.config);
    assert.equal(others.length, 0);
    assert.equal(section?.path, 'user fortitoken');
    assert.deepEqual(
      section?.entries.map((e) => e.name),
      ['FTKMOB83712DC7FE', 'FTKMOB83F91CD33B'],
    );
    const first = section?.entries[0]?.settings.map((s) => [
      s.key,
      s.values.map((v) => v.text).join(' '),
    ]);
    assert.deepEqual(first, [
      ['license', 'FTMTRIAL02062407'],
      ['activation-code', 'EEIOHIDHBXN5QLXV'],
      ['activation-expire', '1665947817'],
      ['reg-id', 'fa0678e8f9e35f6a251cea691e4d56ed6fe9169ad03d2d26fe6dede6c8985a90'],
      ['os-ver', '5.4.2_IOS'],
    ]);
  });

  it('prints it as FortiOS does and reads its own output back', () => {
    const printed = formatConfig(parseConfig(source.config));
    assert.match(
      printed,
      /^config user fortitoken\n {4}edit "FTKMOB83712DC7FE"\n {8}set license "FTMTRIAL02062407"\n/,
    );
    assert.match(printed, /\n {8}set activation-expire 1665947817\n/);
    assert.match(printed, /\n {4}next\nend\n$/);
    assert.deepEqual(meaning(parseConfig(printed)), meaning(parseConfig(source.config)));
    assert.equal(formatConfig(parseConfig(printed)), printed);
  });

  it('round-trips any document: print, read, print gives the same text', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/);
    const value = fc.oneof(
      fc.record({ text: fc.string({ maxLength: 20 }), quoted: fc.constant(true) }),
      fc.record({
        text: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,10}$/),
        quoted: fc.constant(false),
      }),
    );
    const setting = fc.record({
      key: word,
      values: fc.array(value, { minLength: 1, maxLength: 3 }),
      unset: fc.constant(false),
      line: fc.constant(0),
    });
    const unset = fc.record({
      key: word,
      values: fc.constant([]),
      unset: fc.constant(true),
      line: fc.constant(0),
    });
    const settings = fc.array(fc.oneof(setting, unset), { maxLength: 4 });
    const section = fc.oneof(
      fc.record({
        path: fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' ')),
        settings,
        entries: fc.constant([]),
        line: fc.constant(0),
      }),
      fc.record({
        path: word,
        settings: fc.constant([]),
        entries: fc.array(
          fc.record({
            name: fc.string({ minLength: 1, maxLength: 16 }),
            settings,
            line: fc.constant(0),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        line: fc.constant(0),
      }),
    );
    fc.assert(
      fc.property(fc.array(section, { minLength: 1, maxLength: 3 }), (sections) => {
        const printed = formatConfig(sections);
        assert.deepEqual(meaning(parseConfig(printed)), meaning(sections));
        assert.equal(formatConfig(parseConfig(printed)), printed);
      }),
    );
  });

  it('reads a table inside an entry (config match in a user group), one level deep', () => {
    const text = [
      'config user group',
      '    edit "vpn"',
      '        set member "dana"',
      '        config match',
      '            edit "1"',
      '                set server-name "corp"',
      '                set group-name "cn=vpn,dc=example,dc=com"',
      '            next',
      '        end',
      '    next',
      'end',
      '',
    ].join('\n');
    const [group] = parseConfig(text);
    const [match] = group?.entries[0]?.subsections ?? [];
    assert.equal(match?.path, 'match');
    assert.equal(match?.entries[0]?.settings[1]?.values[0]?.text, 'cn=vpn,dc=example,dc=com');
    assert.equal(formatConfig(parseConfig(text)), text);
    const deeper = text.replace(
      '                set server-name "corp"',
      '                config deeper\n                end',
    );
    assertThrowsCode(() => parseConfig(deeper), 'TW_CONFIG_SYNTAX');
    assert.throws(
      () => parseConfig('config user group\n    edit "vpn"\n        config match\n    next\nend\n'),
      /"next" without "edit"/,
    );
  });

  it('names the line of a mistake', () => {
    const cases: [string, number][] = [
      ['config user local\n    edit "alice"\n        set passwd "unclosed\n', 3],
      ['config user local\n    edit "alice"\n    end\n', 3],
      ['edit "alice"\n', 1],
      ['config system global\n    set two-factor-ftm-expiry 72\n', 1],
      ['config system global\n    set two-factor-ftm-expiry\nend\n', 2],
      ['config user local\n    set x 1\n    edit "a"\n    next\nend\n', 3],
      ['config user local\nfrobnicate\nend\n', 2],
      ['config user local\n    edit "a"\n    next\n    next\nend\n', 4],
    ];
    for (const [text, line] of cases) {
      assert.throws(
        () => parseConfig(text),
        (error: { code?: string; data?: { line?: number } }) =>
          error.code === 'TW_CONFIG_SYNTAX' && error.data?.line === line,
        text,
      );
    }
    assertThrowsCode(() => parseConfig('end'), 'TW_CONFIG_SYNTAX');
  });

  it('gives only TW_CONFIG_SYNTAX for garbage', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) =>
        returnsOrThrowsCode(() => parseConfig(text), 'TW_CONFIG_SYNTAX'),
      ),
    );
  });
});
