import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LdapServerWithSecret } from '../../src/gateway/directory/ldap-directory.js';
import { createLdapDirectory } from '../../src/gateway/directory/ldap-directory.js';
import { createLogger } from '../../src/log/create-logger.js';
import {
  freeTcpPort,
  ldapServerFixture,
  slapdComponent,
  startSlapd,
  type TestDirectory,
} from '../helpers/slapd.js';

// Threat to availability: a dead directory host costing its timeout on every login. A host
// that failed is skipped until its back-off ends (5 s, doubling), then tried again; the
// directory password is never logged.
describe('LDAP hosts that fail are backed off', { skip: slapdComponent.skip }, () => {
  let secondary: TestDirectory;
  let server: LdapServerWithSecret;
  const lines: string[] = [];
  let now = 1_700_000_000_000;
  const directory = createLdapDirectory({
    log: createLogger({
      level: 'debug',
      destination: { write: (line: string) => lines.push(line) },
    }),
    clock: () => now,
  });
  const tried = (host: string) =>
    lines.filter(
      (line) => line.includes('LDAP host did not answer') && line.includes(`"host":"${host}"`),
    ).length;

  before(async () => {
    // Only the secondary runs: the server's address has nothing listening on the port.
    const port = await freeTcpPort();
    secondary = await startSlapd([{ uid: 'gail', password: 'gail-directory-pw' }], {
      host: '127.0.0.2',
      port,
    });
    server = ldapServerFixture({ name: 'corp', port, secondaryServer: '127.0.0.2' });
  });
  after(() => secondary?.close());

  it('asks the dead server once, then only the secondary until the back-off ends', async () => {
    assert.equal(await directory.checkPassword(server, 'gail', 'gail-directory-pw'), 'right');
    assert.equal(tried('127.0.0.1'), 1);
    now += 1_000;
    assert.equal(await directory.checkPassword(server, 'gail', 'wrong-pw'), 'wrong');
    assert.equal(await directory.checkPassword(server, 'gail', 'gail-directory-pw'), 'right');
    assert.equal(tried('127.0.0.1'), 1, 'skipped while backed off');
    now += 5_000;
    assert.equal(await directory.checkPassword(server, 'gail', 'gail-directory-pw'), 'right');
    assert.equal(tried('127.0.0.1'), 2, 'tried again after 5 s');
    now += 5_000;
    assert.equal(await directory.checkPassword(server, 'gail', 'gail-directory-pw'), 'right');
    assert.equal(tried('127.0.0.1'), 2, 'the second back-off is 10 s');
    assert.ok(!lines.some((line) => line.includes('gail-directory-pw')), 'no password logged');
  });
});
