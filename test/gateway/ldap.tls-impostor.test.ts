import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LdapServerWithSecret } from '../../src/gateway/directory/ldap-directory.js';
import { createLdapDirectory } from '../../src/gateway/directory/ldap-directory.js';
import { createLogger } from '../../src/log/create-logger.js';
import { assertRejectsCode } from '../helpers/assert-code.js';
import { requireComponent } from '../helpers/components.js';
import {
  freeTcpPort,
  ldapServerFixture,
  slapdComponent,
  startSlapd,
  type TestDirectory,
} from '../helpers/slapd.js';
import { makeTestCertificates } from '../helpers/test-ca.js';

const openssl = await requireComponent('openssl', 'apt-get install openssl');

// Threat: a directory user's password handed to an impostor (a host in the path that answers
// LDAPS or StartTLS with a certificate of its own). The certificate must chain to the
// configured CA and name the host, or the password is not sent.
describe('LDAP over TLS: LDAPS and StartTLS with a test CA', {
  skip: slapdComponent.skip || openssl.skip,
}, () => {
  let dir: string;
  let directory: TestDirectory;
  let ca: string;
  let otherCa: string;
  let port: number;
  let ldapsPort: number;
  let tlsFiles: { ca: string; cert: string; key: string };
  const warnings: string[] = [];
  const checker = createLdapDirectory({
    log: createLogger({
      level: 'warn',
      destination: { write: (line: string) => warnings.push(line) },
    }),
    clock: () => Date.now(),
  });
  let serial = 0;
  const server = (overrides: Partial<LdapServerWithSecret>): LdapServerWithSecret =>
    ldapServerFixture({
      name: `tls-${serial++}`,
      port,
      secure: 'starttls',
      caCert: ca,
      timeoutSeconds: 3,
      ...overrides,
    });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tokenward-ldap-tls-'));
    const issued = await makeTestCertificates(dir);
    ca = issued.ca;
    otherCa = (await makeTestCertificates(dir, '127.0.0.1', 'other-ca')).ca;
    port = await freeTcpPort();
    ldapsPort = await freeTcpPort();
    tlsFiles = { ca: issued.caPath, cert: issued.certPath, key: issued.keyPath };
    directory = await startSlapd([{ uid: 'hana', password: 'hana-directory-pw' }], {
      port,
      ldapsPort,
      tls: tlsFiles,
    });
  });
  after(async () => {
    await directory?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('checks the password over StartTLS and over LDAPS with the configured CA', async () => {
    assert.equal(await checker.checkPassword(server({}), 'hana', 'hana-directory-pw'), 'right');
    assert.equal(await checker.checkPassword(server({}), 'hana', 'wrong-pw'), 'wrong');
    const ldaps = server({ secure: 'ldaps', port: ldapsPort });
    assert.equal(await checker.checkPassword(ldaps, 'hana', 'hana-directory-pw'), 'right');
  });

  it('sends no password to a directory whose certificate another CA signed, or that names another host', async () => {
    await assertRejectsCode(
      checker.checkPassword(server({ caCert: otherCa }), 'hana', 'hana-directory-pw'),
      'TW_DIRECTORY_UNAVAILABLE',
    );
    await assertRejectsCode(
      checker.checkPassword(
        server({ secure: 'ldaps', port: ldapsPort, caCert: otherCa }),
        'hana',
        'hana-directory-pw',
      ),
      'TW_DIRECTORY_UNAVAILABLE',
    );
    assert.match(warnings.at(-1) ?? '', /certificate/i, 'refused for its certificate');
    // The certificate names 127.0.0.1; 127.0.0.2 reaches the same slapd under another name.
    const renamed = await startSlapd([], {
      host: '127.0.0.2',
      port: await freeTcpPort(),
      tls: tlsFiles,
    });
    try {
      await assertRejectsCode(
        checker.checkPassword(server({ server: '127.0.0.2', port: renamed.port }), 'hana', 'x-pw'),
        'TW_DIRECTORY_UNAVAILABLE',
      );
      assert.match(warnings.at(-1) ?? '', /IP: 127\.0\.0\.2 is not in the cert's list/);
    } finally {
      await renamed.close();
    }
  });
});
