import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { AllInOne } from '../../src/all-in-one/all-in-one.js';
import { createNotifier } from '../../src/gateway/notifier.js';
import { createMobileToken, type MobileToken } from '../../src/mobile/mobile-token.js';
import { startTestAllInOne } from '../helpers/all-in-one.js';
import { runCli, runCliWithStdin, spawnCli } from '../helpers/cli.js';
import { requireComponent } from '../helpers/components.js';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/databases.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';

const run = promisify(execFile);
const PASSWORD = 'correct-horse-5';
const CONTEXT = { frontEnd: 'http', sourceIp: '203.0.113.9' } as const;

/** A running gateway with alice's token on a phone and carol who logs in by password alone. */
async function gatewayInUse(root: string, databaseUrl?: string) {
  const smtp = await startSmtpSink();
  const notifier = createNotifier({
    smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none', from: 'vpn@example.com' },
  });
  const running = await startTestAllInOne(root, notifier, databaseUrl);
  await running.gateway.addUser({
    name: 'alice',
    password: PASSWORD,
    email: 'alice@example.com',
    token: 'auto',
  });
  await running.gateway.addUser({ name: 'carol', password: PASSWORD, twoFactor: 'disable' });
  const code = /^ {4}([A-Z2-7]{16})$/m.exec(smtp.received[0]?.text ?? '')?.[1] ?? '';
  const phone = createMobileToken({ dir: join(root, 'phone'), version: '1.0.0' });
  await phone.activate({ code, server: running.provisionerUrl });
  await running.gateway.poll();
  const serial = (await running.gateway.showUser('alice')).tokenSerial ?? '';
  return { smtp, notifier, running, phone, serial };
}

/** Alice logs in with the password and her phone's current code. */
async function aliceLogsIn(running: AllInOne, phone: MobileToken, serial: string) {
  const outcome = await running.auth.login({
    username: 'alice',
    password: PASSWORD,
    code: (await phone.code(serial)).code,
    context: CONTEXT,
  });
  assert.equal(outcome.result, 'accept', JSON.stringify(outcome));
}

/** A new directory with the master key of `dataDir` in it, as an operator copies it. */
async function withKeyOf(dataDir: string, root: string, name: string) {
  const dir = join(root, name, 'data');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await copyFile(join(dataDir, 'master.key'), join(dir, 'master.key'));
  return dir;
}

describe('tokenward backup and restore [sqlite]', () => {
  let root: string;
  let dataDir: string;
  let used: Awaited<ReturnType<typeof gatewayInUse>>;
  const restored: AllInOne[] = [];
  let file: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'tokenward-backup-'));
    dataDir = join(root, 'data');
    used = await gatewayInUse(root);
    file = join(root, 'gateway.twbackup');
  });
  after(async () => {
    for (const one of restored) await one.close();
    await used?.running.close();
    await used?.smtp.close();
    await rm(root, { recursive: true, force: true });
  });

  it('backs up while logins run; the restored gateway logs alice in with her token', async () => {
    let logins = 0;
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        const outcome = await used.running.auth.login({
          username: 'carol',
          password: PASSWORD,
          context: CONTEXT,
        });
        assert.equal(outcome.result, 'accept');
        logins += 1;
      }
    })();
    const child = spawnCli(['backup', '--out', file, '--data', dataDir]);
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const [code] = (await once(child, 'exit')) as [number];
    stopped = true;
    await loop;
    assert.equal(code, 0, out);
    assert.match(
      out,
      /^Backup written: .+ \(\d+ bytes, encrypted\)\. It opens only with this master key/,
    );
    assert.ok(logins > 0);
    const bytes = await readFile(file);
    assert.ok(
      !bytes.includes('SQLite format 3') && !bytes.includes('alice@example.com'),
      'encrypted',
    );
    assert.ok(
      !bytes.includes(await readFile(join(dataDir, 'master.key'), 'utf8')),
      'no master key',
    );

    const target = await withKeyOf(dataDir, root, 'restored');
    const restore = await runCli(['restore', '--from', file, '--data', target]);
    assert.equal(restore.code, 0, restore.err);
    assert.match(restore.out, /sealed values checked, each opens with the master key/);
    const again = await startTestAllInOne(join(root, 'restored'), used.notifier);
    restored.push(again);
    await aliceLogsIn(again, used.phone, used.serial);
    const carol = (await again.gateway.listAuthLog({ username: 'carol', limit: 100_000 })).length;
    assert.ok(carol >= 1 && carol <= logins + 1, `${carol} of carol's logins in the snapshot`);
  });

  it('refuses another master key, a damaged file and a directory with a database; writes nothing', async () => {
    const otherKey = join(root, 'other', 'data');
    await mkdir(otherKey, { recursive: true, mode: 0o700 });
    await writeFile(join(otherKey, 'master.key'), `${randomBytes(32).toString('base64')}\n`, {
      mode: 0o600,
    });
    const mismatch = await runCli(['restore', '--from', file, '--data', otherKey]);
    assert.equal(mismatch.code, 1);
    assert.match(
      mismatch.err,
      /^Error TW_MASTER_KEY_MISMATCH: This backup was made under another master key/,
    );
    assert.deepEqual(await readdir(otherKey), ['master.key']);

    const damaged = join(root, 'damaged.twbackup');
    const bytes = await readFile(file);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] ?? 0) ^ 0x01;
    await writeFile(damaged, bytes);
    const target = await withKeyOf(dataDir, root, 'damaged');
    const refused = await runCli(['restore', '--from', damaged, '--data', target]);
    assert.match(refused.err, /^Error TW_BACKUP_INVALID: /);
    assert.deepEqual(await readdir(target), ['master.key']);

    const notEmpty = await runCli(['restore', '--from', file, '--data', dataDir]);
    assert.match(notEmpty.err, /^Error TW_RESTORE_TARGET_NOT_EMPTY: /);
    const notABackup = await runCli([
      'restore',
      '--from',
      join(dataDir, 'master.key'),
      '--data',
      target,
    ]);
    assert.match(notABackup.err, /^Error TW_BACKUP_INVALID: /);
  });

  it('carries the master key under a passphrase when asked, and opens only with that passphrase', async () => {
    const carried = join(root, 'with-key.twbackup');
    const noPassphrase = await runCli([
      'backup',
      '--out',
      carried,
      '--data',
      dataDir,
      '--with-master-key',
    ]);
    assert.match(noPassphrase.err, /^Error TW_SECRET_STDIN_REQUIRED: .*--passphrase-stdin/);
    const made = await runCliWithStdin(
      ['backup', '--out', carried, '--data', dataDir, '--with-master-key', '--passphrase-stdin'],
      'a long passphrase for the backup\n',
    );
    assert.equal(made.code, 0, made.err);
    const empty = join(root, 'carried', 'data');
    const wrong = await runCliWithStdin(
      ['restore', '--from', carried, '--data', empty, '--passphrase-stdin'],
      'not the passphrase\n',
    );
    assert.match(wrong.err, /Error TW_BACKUP_PASSPHRASE_WRONG: /);
    assert.deepEqual(await readdir(empty).catch(() => []), []);
    const right = await runCliWithStdin(
      ['restore', '--from', carried, '--data', empty, '--passphrase-stdin'],
      'a long passphrase for the backup\n',
    );
    assert.equal(right.code, 0, right.err);
    assert.equal(
      await readFile(join(empty, 'master.key'), 'utf8'),
      await readFile(join(dataDir, 'master.key'), 'utf8'),
    );
    const again = await startTestAllInOne(join(root, 'carried'), used.notifier);
    restored.push(again);
    assert.equal((await again.gateway.showUser('alice')).tokenSerial, used.serial);
  });
});

const postgres = engines.find((e) => e.engine === 'postgres')?.skip ?? 'no PostgreSQL';
const pgDump = await requireComponent('pg_dump', 'apt-get install postgresql-client');

describe('PostgreSQL: the pg_dump recipe, then tokenward check', {
  skip: postgres || pgDump.skip,
}, () => {
  let root: string;
  let source: TestDatabase;
  let target: TestDatabase;
  let used: Awaited<ReturnType<typeof gatewayInUse>>;
  let again: AllInOne | undefined;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'tokenward-pgdump-'));
    source = await createTestDatabase('postgres');
    target = await createTestDatabase('postgres');
    used = await gatewayInUse(root, source.url);
  });
  after(async () => {
    await again?.close();
    await used?.running.close();
    await used?.smtp.close();
    await source?.drop();
    await target?.drop();
    await rm(root, { recursive: true, force: true });
  });

  it('restores a pg_dump that tokenward check opens, and alice logs in on it', async () => {
    const dataDir = join(root, 'data');
    const refused = await runCli([
      'backup',
      '--out',
      join(root, 'x'),
      '--data',
      dataDir,
      '--db',
      source.url,
    ]);
    assert.match(refused.err, /^Error TW_BACKUP_ENGINE_UNSUPPORTED: .*pg_dump/);

    // docs/operations.md: the recipe, as typed there.
    const dump = join(root, 'tokenward.pgdump');
    await run('pg_dump', ['--format=custom', '--no-owner', `--file=${dump}`, source.url]);
    await run('pg_restore', ['--no-owner', `--dbname=${target.url}`, dump]);

    const checked = await runCli(['check', '--data', dataDir, '--db', target.url]);
    assert.equal(checked.code, 0, checked.err);
    assert.match(checked.out, /fortitokens\.seedEnc: 1/);
    assert.match(
      checked.out,
      /The database opens with this master key: \d+ sealed values checked\./,
    );

    const otherKey = join(root, 'other');
    await mkdir(otherKey, { mode: 0o700 });
    await writeFile(join(otherKey, 'master.key'), `${randomBytes(32).toString('base64')}\n`, {
      mode: 0o600,
    });
    const mismatch = await runCli(['check', '--data', otherKey, '--db', target.url]);
    assert.match(mismatch.err, /^Error TW_MASTER_KEY_MISMATCH: /);

    await used.running.close();
    again = await startTestAllInOne(root, used.notifier, target.url);
    await aliceLogsIn(again, used.phone, used.serial);
  });
});
