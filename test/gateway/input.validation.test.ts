import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/log/create-logger.js';
import { createProvisioner } from '../../src/provisioner/provisioner.js';
import { assertRejectsCode } from '../helpers/assert-code.js';
import { engines } from '../helpers/databases.js';
import { gatewayOnStore } from '../helpers/gateway-on-store.js';

// Threat: names that look alike but are not (`alice` and `alice` + a zero-width space), e-mail
// fields that send the activation to two addresses, free text with control characters that
// rewrites a terminal: refused at every entry, CLI, console and config import alike.
const lookAlikes = [
  '',
  'al ice',
  'alice\u200b',
  'ali\u0000ce',
  'alice\t',
  'a'.repeat(65),
  '\u2060',
];
const password = 'horse-battery-9';

for (const { engine, skip } of engines) {
  describe(`input validation at every entry [${engine}]`, { skip }, () => {
    const f = gatewayOnStore(engine);

    it('refuses user names that are empty, too long, or hold spaces or invisible characters', async () => {
      for (const name of lookAlikes) {
        await assertRejectsCode(
          f.gateway.addUser({ name, password, twoFactor: 'disable' }),
          'TW_NAME_INVALID',
        );
      }
      assert.deepEqual(await f.store.users.list(), []);
    });

    it('takes one e-mail address and a phone number only', async () => {
      for (const email of ['a@b.example,c@d.example', 'not an address', 'a@b', '<a@b.example>']) {
        await assertRejectsCode(
          f.gateway.addUser({ name: 'erin', password, email, twoFactor: 'email' }),
          'TW_EMAIL_INVALID',
        );
      }
      await assertRejectsCode(
        f.gateway.addUser({ name: 'erin', password, sms: 'call me', twoFactor: 'sms' }),
        'TW_PHONE_INVALID',
      );
      await f.gateway.addUser({
        name: 'erin',
        password,
        email: 'erin@example.com',
        twoFactor: 'email',
      });
      await assertRejectsCode(
        f.gateway.setUser('erin', { email: 'x@y.example;z@w.example' }),
        'TW_EMAIL_INVALID',
      );
    });

    it('refuses the same in a config file, naming the line, and writes nothing', async () => {
      const block = (name: string, extra = '') =>
        `config user local\n    edit "${name}"\n        set passwd "${password}"\n${extra}    next\nend\n`;
      for (const text of [
        block('al\u200bice'),
        block('frank', '        set email-to "a@b.example,c@d.example"\n'),
      ]) {
        await assertRejectsCode(f.gateway.importConfig(text), 'TW_CONFIG_INVALID');
      }
      const comment =
        'config user fortitoken\n    edit "FTKMOB83712DC7FE"\n        set comments "\u001b[2Jgone"\n    next\nend\n';
      await assertRejectsCode(f.gateway.importConfig(comment), 'TW_CONFIG_INVALID');
      assert.equal(await f.store.users.find('frank'), undefined);
    });

    it('refuses a cluster name with invisible characters', async () => {
      const { admin } = createProvisioner({
        store: f.store,
        cipher: f.cipher,
        log: createLogger({ level: 'silent' }),
      });
      await assertRejectsCode(
        admin.addGateway({ serial: 'FGT60F0000000009', cluster: 'hq\u0007' }, 0),
        'TW_NAME_INVALID',
      );
    });
  });
}
