import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AllInOne } from '../../src/all-in-one/all-in-one.js';
import { startTestAllInOne } from '../helpers/all-in-one.js';
import { PEOPLE_DN, slapdComponent, startSlapd, type TestDirectory } from '../helpers/slapd.js';

// The console's directory page: LDAP servers added, tested and removed through the console API
// (signed in, with the CSRF token); the service account's password never comes back.
describe('console API: LDAP servers', { skip: slapdComponent.skip }, () => {
  let root: string;
  let running: AllInOne;
  let directory: TestDirectory;
  let api: string;
  let headers: Record<string, string>;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${api}${path}`, {
      method,
      headers: {
        ...headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'tokenward-console-ldap-'));
    directory = await startSlapd([]);
    running = await startTestAllInOne(root);
    api = `${running.httpUrl}/console/api`;
    const signedIn = await fetch(`${api}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'admin', password: running.firstRun?.adminPassword ?? '' }),
    });
    const { csrf } = (await signedIn.json()) as { csrf: string };
    headers = {
      cookie: (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
      'x-csrf-token': csrf,
    };
  });
  after(async () => {
    await running?.close();
    await directory?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('adds, lists, tests and removes a server; refuses a bad one naming the field', async () => {
    const added = await call('POST', '/ldap-servers', {
      name: 'corp',
      server: '127.0.0.1',
      port: directory.port,
      cnid: 'uid',
      dn: PEOPLE_DN,
      type: 'regular',
      username: 'cn=admin,dc=example,dc=com',
      password: 'service-account-pw',
    });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    const listed = await fetch(`${api}/ldap-servers`, { headers });
    const text = await listed.text();
    assert.match(text, /"name":"corp"/);
    assert.doesNotMatch(text, /service-account-pw|passwordEnc/);
    const tested = await call('POST', '/ldap-servers/corp/test');
    assert.deepEqual([tested.status, tested.body], [200, { host: '127.0.0.1' }]);

    const bad = await call('POST', '/ldap-servers', { name: 'x', server: 'a b', dn: PEOPLE_DN });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error, {
      code: 'TW_LDAP_SERVER_INVALID',
      message: '"server" is a host name or an IP address, e.g. ldap.example.com.',
      field: 'server',
    });
    const removed = await call('DELETE', '/ldap-servers/corp');
    assert.equal(removed.status, 200);
    assert.equal((await call('POST', '/ldap-servers/corp/test')).status, 404);
  });
});
