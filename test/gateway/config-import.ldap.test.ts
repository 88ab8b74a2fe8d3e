import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createAtRestCipher } from '../../src/crypto/at-rest-cipher.js';
import { createGateway, type Gateway } from '../../src/gateway/gateway.js';
import { createNotifier } from '../../src/gateway/notifier.js';
import { createLogger } from '../../src/log/create-logger.js';
import { formatConfig } from '../../src/protocol/fortios/config-document.js';
import { createStore, type Store } from '../../src/store/store.js';
import { assertRejectsCode } from '../helpers/assert-code.js';
import { requireComponent } from '../helpers/components.js';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/databases.js';

const run = promisify(execFile);
const openssl = await requireComponent('openssl', 'apt-get install openssl');
const cipher = createAtRestCipher(Buffer.alloc(32, 6));
const now = 1_700_000_000_000;

// `config user ldap` and directory users (`set type ldap`, `set ldap-server`) survive
// `config show` then `config import` on another node of the same master key; the service
// account's password is only ever shown as ENC.
for (const { engine, skip } of engines) {
  describe(`config user ldap round trip [${engine}]`, { skip: skip || openssl.skip }, () => {
    const nodes: { database: TestDatabase; store: Store; gateway: Gateway }[] = [];
    let dir: string;
    let caCert: string;
    const node = async () => {
      const database = await createTestDatabase(engine);
      const store = await createStore(database.url);
      const gateway = createGateway({
        store,
        cipher,
        log: createLogger({ level: 'silent' }),
        notifier: createNotifier({}),
        clock: () => now,
      });
      nodes.push({ database, store, gateway });
      return gateway;
    };
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'tokenward-ldap-ca-'));
      await run('openssl', [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'ca.key'),
        '-out',
        join(dir, 'ca.pem'),
        '-days',
        '2',
        '-subj',
        '/CN=Test CA',
      ]);
      caCert = await readFile(join(dir, 'ca.pem'), 'utf8');
    });
    after(async () => {
      for (const { store, database } of nodes) {
        await store.close();
        await database.drop();
      }
      await rm(dir, { recursive: true, force: true });
    });

    it('shows, imports and shows again the same text, the password as ENC only', async () => {
      const first = await node();
      await first.saveLdapServer({
        name: 'corp',
        server: 'dc1.example.com',
        secondaryServer: '10.0.0.2',
        port: 636,
        secure: 'ldaps',
        caCert,
        cnid: 'sAMAccountName',
        dn: 'ou=staff,dc=example,dc=com',
        type: 'regular',
        username: 'cn=tokenward,ou=service,dc=example,dc=com',
        password: 'service-account-secret',
        timeoutSeconds: 3,
      });
      await first.addUser({ name: 'dana', ldapServer: 'corp', twoFactor: 'disable' });
      await first.importConfig(
        'config user fortitoken\n    edit "FTKMOB0000000042"\n        set license "LIC-STAFF"\n    next\nend\n',
      );
      await first.saveUserGroup({
        name: 'staff',
        members: ['dana'],
        matches: [
          { server: 'corp', group: 'cn=vpn,ou=groups,dc=example,dc=com' },
          { server: 'corp', group: 'cn=admins,ou=groups,dc=example,dc=com' },
        ],
        radiusAttributes: ['Filter-Id=vpn', 'Fortinet-Group-Name=staff'],
        autoEnrol: true,
        licence: 'LIC-STAFF',
      });
      await first.saveUserGroup({ name: 'helpdesk', members: ['dana'], twoFactor: 'disable' });
      await first.saveRadiusClient({
        name: 'vpn',
        address: '10.0.0.1',
        secret: 'radius-shared-secret',
        allowedGroups: ['staff', 'helpdesk'],
      });
      const shown = formatConfig(await first.configSections());
      assert.match(shown, /set allowed-groups "staff" "helpdesk"/);
      assert.match(shown, /config user ldap\n {4}edit "corp"\n/);
      assert.match(shown, /set type ldap\n {8}set ldap-server "corp"/);
      assert.doesNotMatch(shown, /service-account-secret/);
      assert.match(
        shown,
        / {8}config match\n {12}edit "1"\n {16}set server-name "corp"\n {16}set group-name "cn=vpn,ou=groups,dc=example,dc=com"\n {12}next\n/,
      );
      assert.match(
        shown,
        /set auto-enrol enable\n {8}set licence "LIC-STAFF"\n {8}set two-factor enable/,
      );

      const second = await node();
      await second.importConfig(shown);
      assert.equal(formatConfig(await second.configSections()), shown);
      const [server] = await second.listLdapServers();
      assert.equal(server?.caCert?.trim(), caCert.trim());
      assert.equal((await second.showUser('dana')).ldapServer, 'corp');
      const groups = await second.listUserGroups();
      assert.deepEqual(
        groups.map((g) => [g.name, g.matches.length, g.autoEnrol, g.twoFactor]),
        [
          ['helpdesk', 0, false, 'disable'],
          ['staff', 2, true, 'enable'],
        ],
      );
    });

    it('refuses a user naming an LDAP server nobody defined, and a bad port, changing nothing', async () => {
      const third = await node();
      await assertRejectsCode(
        third.importConfig(
          'config user local\n    edit "erin"\n        set type ldap\n        set ldap-server "nowhere"\n    next\nend\n',
        ),
        'TW_CONFIG_INVALID',
      );
      await assertRejectsCode(
        third.importConfig(
          'config user ldap\n    edit "corp"\n        set server "dc1"\n        set dn "dc=example,dc=com"\n        set port 70000\n    next\nend\n',
        ),
        'TW_CONFIG_INVALID',
      );
      await assertRejectsCode(
        third.importConfig(
          'config user group\n    edit "g"\n        config match\n            edit "1"\n                set server-name "nowhere"\n                set group-name "cn=g,dc=example,dc=com"\n            next\n        end\n    next\nend\n',
        ),
        'TW_CONFIG_INVALID',
      );
      await assertRejectsCode(
        third.importConfig(
          'config user local\n    edit "x"\n        config match\n        end\n    next\nend\n',
        ),
        'TW_CONFIG_INVALID',
      );
      assert.deepEqual(await third.listLdapServers(), []);
      assert.deepEqual(await third.listUserGroups(), []);
    });
  });
}
