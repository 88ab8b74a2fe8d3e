import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createAtRestCipher } from '../../src/crypto/at-rest-cipher.js';
import { createGateway, type Gateway } from '../../src/gateway/gateway.js';
import { createNotifier } from '../../src/gateway/notifier.js';
import { createLogger } from '../../src/log/create-logger.js';
import { formatConfig } from '../../src/protocol/fortios/config-document.js';
import { createStore, type Store } from '../../src/store/store.js';
import { assertRejectsCode } from '../helpers/assert-code.js';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/databases.js';

const source = JSON.parse(
  readFileSync(new URL('../vectors/source-fortitoken-config.json', import.meta.url), 'utf8'),
) as {
  config: string;
};
const cipher = createAtRestCipher(Buffer.alloc(32, 5));
const now = 1_700_000_000_000;

for (const { engine, skip } of engines) {
  describe(`gateway config import [${engine}]`, { skip }, () => {
    let database: TestDatabase;
    let store: Store;
    let gateway: Gateway;
    const show = async () => formatConfig(await gateway.configSections());
    before(async () => {
      database = await createTestDatabase(engine);
      store = await createStore(database.url);
      gateway = createGateway({
        store,
        cipher,
        log: createLogger({ level: 'silent' }),
        notifier: createNotifier({}),
        clock: () => now,
      });
    });
    after(async () => {
      await store?.close();
      await database?.drop();
    });

    it("applies the source document's config user fortitoken block", async () => {
      await gateway.importConfig(source.config);
      const tokens = await store.fortitokens.list();
      assert.deepEqual(
        tokens.map((t) => [t.serial, t.licence, t.state, t.regId, t.osVer, t.activationExpiresAt]),
        [
          [
            'FTKMOB83712DC7FE',
            'FTMTRIAL02062407',
            'provisioned',
            'fa0678e8f9e35f6a251cea691e4d56ed6fe9169ad03d2d26fe6dede6c8985a90',
            '5.4.2_IOS',
            1665947817000,
          ],
          [
            'FTKMOB83F91CD33B',
            'FTMTRIAL02062407',
            'provisioned',
            'fa0678e8f9e35f6a251cea691e4d56ed6fe9169ad03d2d26fe6dede6c8985a90',
            '5.4.2_IOS',
            1665950284000,
          ],
        ],
      );
      assert.ok(
        !JSON.stringify(tokens).includes('EEIOHIDHBXN5QLXV'),
        'the activation code is stored encrypted',
      );
      assert.match(
        await show(),
        /edit "FTKMOB83712DC7FE"\n {8}set license "FTMTRIAL02062407"\n {8}set activation-code "EEIOHIDHBXN5QLXV"\n {8}set activation-expire 1665947817\n/,
      );
    });

    it('round-trips: show, import, show gives the same text', async () => {
      await gateway.importConfig(
        [
          'config system global',
          '    set two-factor-ftm-expiry 24',
          'end',
          'config user local',
          '    edit "alice"',
          '        set type password',
          '        set passwd "long-s3cret-value"',
          '        set two-factor fortitoken',
          '        set fortitoken "FTKMOB83712DC7FE"',
          '        set email-to "alice@example.com"',
          '    next',
          'end',
          'config user radius-client',
          '    edit "vpn"',
          '        set address "10.0.0.0/8"',
          '        set secret "radius-secret"',
          '    next',
          'end',
        ].join('\n'),
      );
      const first = await show();
      assert.match(first, /set two-factor-ftm-expiry 24/);
      assert.match(first, /set passwd ENC \S+/);
      assert.ok(
        !first.includes('s3cret') && !first.includes('radius-secret'),
        'secrets show as ENC',
      );
      await gateway.importConfig(first);
      assert.equal(await show(), first);
    });

    it('refuses bad input naming its line, and changes nothing', async () => {
      const before = await show();
      const bad: [string, number][] = [
        [
          'config user fortitoken\n    edit "FTKMOB83712DC7FE"\n        set colour "blue"\n    next\nend\n',
          3,
        ],
        ['config system global\n    set two-factor-ftm-expiry 500\nend\n', 2],
        [
          'config user fortitoken\n    edit "FTKMOB0000000NEW"\n        set license "L"\n    next\n    edit "short"\n    next\nend\n',
          5,
        ],
        [
          'config user local\n    edit "bob"\n        set passwd "horse-battery-2"\n        set two-factor maybe\n    next\nend\n',
          4,
        ],
        ['config firewall policy\nend\n', 1],
        ['config user local\n    edit "carol"\n        set passwd "horse-battery-2"\n', 2],
      ];
      for (const [text, line] of bad) {
        await assert.rejects(
          gateway.importConfig(text),
          (error: { code?: string; data?: { line?: number } }) => {
            assert.ok(
              error.code === 'TW_CONFIG_INVALID' || error.code === 'TW_CONFIG_SYNTAX',
              error.code,
            );
            assert.equal(error.data?.line, line, text);
            return true;
          },
        );
      }
      assert.equal(await show(), before, 'nothing changed');
      assert.equal(await store.users.find('bob'), undefined);
      await assertRejectsCode(
        gateway.importConfig(
          'config user local\n    edit "x"\n        set passwd ENC bm90\n    next\nend',
        ),
        'TW_CONFIG_INVALID',
      );
    });
  });
}
