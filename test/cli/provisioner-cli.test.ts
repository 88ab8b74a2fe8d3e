import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, spawnCli, waitForOutput } from '../helpers/cli.js';

describe('tokenward provisioner (CLI)', () => {
  let data: string;
  let dataArgs: string[];
  before(async () => {
    data = await mkdtemp(join(tmpdir(), 'tokenward-cli-'));
    dataArgs = ['--data', data];
  });
  after(() => rm(data, { recursive: true, force: true }));

  it('has --help and --version on every command', async () => {
    const groups = [
      [],
      ['provisioner'],
      ['provisioner', 'serve'],
      ['provisioner', 'gateway', 'add'],
      ['provisioner', 'license', 'move'],
      ['provisioner', 'token', 'list'],
    ];
    for (const group of groups) {
      const help = await runCli([...group, '--help']);
      assert.equal(help.code, 0, group.join(' '));
      assert.match(help.out, /Usage: /);
      const version = await runCli([...group, '--version']);
      assert.deepEqual([version.code, version.out], [0, '0.1.0'], group.join(' '));
    }
  });

  it('enrols a gateway, printing its secret once', async () => {
    const added = await runCli([
      'provisioner',
      'gateway',
      'add',
      'fgt60f0000000001',
      '--cluster',
      'hq',
      ...dataArgs,
    ]);
    assert.equal(added.code, 0, added.err);
    assert.match(
      added.out,
      /Gateway FGT60F0000000001 enrolled in cluster "hq"\.\nSecret \(shown once.*\): twgs_[\w-]{86}$/,
    );
    const listed = await runCli(['provisioner', 'gateway', 'list', '--json', ...dataArgs]);
    const [gateway] = JSON.parse(listed.out) as { serial: string; cluster: string }[];
    assert.deepEqual([gateway?.serial, gateway?.cluster], ['FGT60F0000000001', 'hq']);
    assert.ok(!listed.out.includes('twgs_'), 'the secret is never shown again');
  });

  it('creates, lists and moves licences, and lists their tokens', async () => {
    const created = await runCli([
      'provisioner',
      'license',
      'create',
      '--tokens',
      '3',
      ...dataArgs,
    ]);
    assert.equal(created.code, 0, created.err);
    const code =
      /Redemption code \(import it on the gateway\): ([0-9A-F-]{24})/.exec(created.out)?.[1] ?? '';
    assert.ok(code !== '');
    const moved = await runCli([
      'provisioner',
      'license',
      'move',
      code,
      '--to-cluster',
      'hq',
      ...dataArgs,
    ]);
    assert.equal(moved.code, 0, moved.err);
    const tokens = await runCli([
      'provisioner',
      'token',
      'list',
      '--cluster',
      'hq',
      '--state',
      'new',
      '--json',
      ...dataArgs,
    ]);
    assert.equal((JSON.parse(tokens.out) as unknown[]).length, 3);
    const table = await runCli(['provisioner', 'license', 'list', ...dataArgs]);
    assert.match(table.out, /^LICENCE +KIND +TOKENS +CLUSTER/);
    assert.match(table.out, /TWPACK\d{10} +pack +3 +hq/);
  });

  it('explains bad input with a code and exits non-zero', async () => {
    const bad = await runCli(['provisioner', 'gateway', 'add', 'short', ...dataArgs]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /^Error TW_SERIAL_INVALID: /);
    const dup = await runCli(['provisioner', 'gateway', 'add', 'FGT60F0000000001', ...dataArgs]);
    assert.match(dup.err, /^Error TW_STORE_CONFLICT: Gateway FGT60F0000000001 already exists/);
    const state = await runCli(['provisioner', 'token', 'list', '--state', 'lost', ...dataArgs]);
    assert.match(state.err, /^Error TW_OPTION_INVALID: --state is one of/);
    const usage = await runCli(['provisioner', 'license', 'create', ...dataArgs]);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /required option '--tokens <n>' not specified/);
  });

  it('serves until SIGTERM, printing where everything is', async () => {
    const child = spawnCli(['provisioner', 'serve', '--listen', '127.0.0.1:0', ...dataArgs]);
    try {
      const banner = await waitForOutput(child, /Press Ctrl-C to stop\./);
      const url = /Health: +(http:\/\/127\.0\.0\.1:\d+)\/healthz/.exec(banner)?.[1];
      assert.ok(url !== undefined, banner);
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('names the flag to change when the port is taken', async () => {
    const first = spawnCli(['provisioner', 'serve', '--listen', '127.0.0.1:0', ...dataArgs]);
    try {
      const banner = await waitForOutput(first, /Press Ctrl-C to stop\./);
      const taken = /Health: +http:\/\/(127\.0\.0\.1:\d+)\/healthz/.exec(banner)?.[1] ?? '';
      const second = await runCli([
        'provisioner',
        'serve',
        '--listen',
        taken,
        '--log-level',
        'silent',
        ...dataArgs,
      ]);
      assert.equal(second.code, 1);
      assert.match(
        second.err,
        /Error TW_LISTEN_FAILED: Cannot listen on .*EADDRINUSE.*--listen HOST:PORT/,
      );
    } finally {
      first.kill('SIGKILL');
    }
  });
});
