import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, runCliWithStdin } from '../helpers/cli.js';
import {
  GROUPS_DN,
  PEOPLE_DN,
  SERVICE_DN,
  SERVICE_PASSWORD,
  slapdComponent,
  startSlapd,
  type TestDirectory,
} from '../helpers/slapd.js';

// `tokenward gateway ldap ...` against a real slapd, as an admin types it; secrets only ever on
// standard input, never in what the commands print.
describe('tokenward gateway ldap (CLI)', { skip: slapdComponent.skip }, () => {
  let directory: TestDirectory;
  let dir: string;
  let data: string[];
  const gateway = (...args: string[]) => runCli(['gateway', ...args, ...data]);
  before(async () => {
    directory = await startSlapd([{ uid: 'dana', password: 'dana-directory-pw' }], {
      groups: [{ cn: 'vpn', members: ['dana'] }],
    });
    dir = await mkdtemp(join(tmpdir(), 'tokenward-ldap-cli-'));
    data = ['--data', dir];
  });
  after(async () => {
    await directory?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('adds, lists, tests and removes an LDAP server, and adds a directory user', async () => {
    const port = String(directory.port);
    const added = await runCliWithStdin(
      [
        'gateway',
        'ldap',
        'add',
        'corp',
        '--server',
        '127.0.0.1',
        '--port',
        port,
        '--cnid',
        'uid',
        '--dn',
        PEOPLE_DN,
        '--type',
        'regular',
        '--username',
        SERVICE_DN,
        '--password-stdin',
        ...data,
      ],
      `${SERVICE_PASSWORD}\n`,
    );
    assert.equal(added.code, 0, added.err);
    assert.match(
      added.out,
      /LDAP server corp: 127\.0\.0\.1 port \d+, secure disable, regular bind/,
    );
    const listed = await gateway('ldap', 'list');
    assert.match(listed.out, /corp +127\.0\.0\.1 +\d+ +disable +regular +uid/);
    assert.doesNotMatch(listed.out + added.out, new RegExp(SERVICE_PASSWORD));

    const reached = await gateway('ldap', 'test', 'corp');
    assert.equal(reached.code, 0, reached.err);
    assert.match(reached.out, /127\.0\.0\.1 answered/);
    const right = await runCliWithStdin(
      ['gateway', 'ldap', 'test', 'corp', '--user', 'dana', '--password-stdin', ...data],
      'dana-directory-pw\n',
    );
    assert.match(right.out, /The password of dana is right/);
    const wrong = await runCliWithStdin(
      ['gateway', 'ldap', 'test', 'corp', '--user', 'dana', '--password-stdin', ...data],
      'not-her-password\n',
    );
    assert.equal(wrong.code, 1);

    const user = await gateway('user', 'add', 'dana', '--ldap-server', 'corp', '--no-two-factor');
    assert.equal(user.code, 0, user.err);
    const group = await gateway(
      'group',
      'add',
      'staff',
      '--member',
      'dana',
      '--match',
      `corp:cn=vpn,ou=groups,dc=example,dc=com`,
      '--radius-attribute',
      'Filter-Id=vpn',
      '--radius-attribute',
      'Fortinet-Group-Name=staff',
    );
    assert.equal(group.code, 0, group.err);
    assert.match(
      group.out,
      /Group staff: 1 member\(s\), 1 directory match\(es\), 2 RADIUS reply attribute\(s\)/,
    );
    assert.match(
      (await gateway('group', 'list')).out,
      /staff +dana +corp:cn=vpn,ou=groups,dc=example,dc=com +Filter-Id=vpn Fortinet-Group-Name=staff/,
    );
    const badMatch = await gateway('group', 'add', 'x', '--match', 'no-colon');
    assert.match(badMatch.err, /--match takes SERVER:GROUP-DN/);
    assert.equal((await gateway('group', 'remove', 'staff')).code, 0);
    const inUse = await gateway('ldap', 'remove', 'corp');
    assert.equal(inUse.code, 1);
    assert.match(inUse.err, /TW_LDAP_SERVER_IN_USE/);
    await gateway('user', 'delete', 'dana');
    const removed = await gateway('ldap', 'remove', 'corp');
    assert.equal(removed.code, 0, removed.err);
  });

  it('syncs an auto-enrol group on demand and names each member it could not enrol', async () => {
    await gateway(
      'ldap',
      'add',
      'sync',
      '--server',
      '127.0.0.1',
      '--port',
      String(directory.port),
      '--dn',
      PEOPLE_DN,
    );
    const group = await gateway(
      'group',
      'add',
      'everyone',
      '--match',
      `sync:cn=vpn,${GROUPS_DN}`,
      '--auto-enrol',
    );
    assert.equal(group.code, 0, group.err);
    assert.match(group.out, /auto-enrol\.\nMembers get their token at the next sync/);
    // No licence is imported here: the one member is reported, nothing is half-made.
    const synced = await gateway('ldap', 'sync');
    assert.equal(synced.code, 0, synced.err);
    assert.match(
      synced.out,
      /Directory sync: 0 added, 0 kept, 0 leaving .*, 0 removed, 1 failed\./,
    );
    assert.match(synced.out, /dana: .*\(TW_DELIVERY_ADDRESS_MISSING\)/);
    assert.match((await gateway('user', 'list')).out, /^(?![\s\S]*dana)/);
    await gateway('group', 'remove', 'everyone');
    await gateway('ldap', 'remove', 'sync');
  });

  it('names the flag of a bad value and the host that does not answer', async () => {
    const badPort = await gateway(
      'ldap',
      'add',
      'x',
      '--server',
      '127.0.0.1',
      '--dn',
      PEOPLE_DN,
      '--port',
      '0',
    );
    assert.equal(badPort.code, 1);
    assert.match(badPort.err, /--port/);
    await gateway(
      'ldap',
      'add',
      'dead',
      '--server',
      '127.0.0.1',
      '--port',
      '1',
      '--dn',
      PEOPLE_DN,
      '--timeout',
      '1',
    );
    const down = await gateway('ldap', 'test', 'dead');
    assert.equal(down.code, 1);
    assert.match(down.err, /TW_DIRECTORY_UNAVAILABLE/);
  });
});
