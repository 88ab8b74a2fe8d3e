import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, runCliWithStdin, spawnCli, waitForOutput } from '../helpers/cli.js';
import { radclient, radclientComponent } from '../helpers/radclient.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';

const EPHEMERAL = ['--listen', '127.0.0.1:0', '--http', '127.0.0.1:0', '--radius', '127.0.0.1:0'];

interface Banner {
  readonly text: string;
  readonly console: string;
  readonly adminPassword?: string;
  readonly radiusPort: number;
  readonly radiusSecret?: string;
  readonly provisioner: string;
}

function parseBanner(text: string): Banner {
  const adminPassword = /Admin: +admin \/ (\S+) +\(shown once/.exec(text)?.[1];
  const radiusSecret = /secret (\S+) +\(shown once\)/.exec(text)?.[1];
  return {
    text,
    console: /Console: +(http:\/\/127\.0\.0\.1:\d+)\//.exec(text)?.[1] ?? '',
    ...(adminPassword === undefined ? {} : { adminPassword }),
    radiusPort: Number(/RADIUS: +127\.0\.0\.1:(\d+)\/udp/.exec(text)?.[1]),
    ...(radiusSecret === undefined ? {} : { radiusSecret }),
    provisioner: /Provisioner: +(http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1] ?? '',
  };
}

describe('tokenward up: everything in one process', { skip: radclientComponent.skip }, () => {
  let root: string;
  let data: string[];
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawnCli(['up', ...data, ...EPHEMERAL, '--log-level', 'warn']);
    return parseBanner(await waitForOutput(child, /Press Ctrl-C to stop\./, 30_000));
  };
  const stop = async () => {
    if (child === undefined) return 0;
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    const [code] = (await exited) as [number];
    child = undefined;
    return code;
  };

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'tokenward-up-'));
    data = ['--data', join(root, 'data')];
    smtp = await startSmtpSink();
  });
  after(async () => {
    child?.kill('SIGKILL');
    await smtp?.close();
    await rm(root, { recursive: true, force: true });
  });

  let first: Banner;
  let current: Banner;
  it('prints one banner on the first run: console, admin password, RADIUS secret, next steps', async () => {
    first = await start();
    assert.match(first.text, /^Tokenward is up \(first run: set up just now\)\./);
    assert.match(first.adminPassword ?? '', /^[A-Za-z0-9][\w-]{15}$/);
    assert.match(first.radiusSecret ?? '', /^[A-Za-z0-9][\w-]{23}$/, 'never taken for an option');
    assert.ok(first.radiusPort > 0 && first.console !== '' && first.provisioner !== '');
    assert.match(
      first.text,
      /Next: .+\n {2}1\. .+\n {2}2\. .+\n {2}3\. .+\nPress Ctrl-C to stop\.\n$/,
    );
    const health = await fetch(`${first.console}/healthz`);
    assert.equal(health.status, 200);
  });

  it('takes a RADIUS login with a code from the mobile client', async () => {
    const mail = ['gateway', 'mail', 'set', '--host', '127.0.0.1', '--port', String(smtp.port)];
    assert.equal(
      (await runCli([...mail, '--tls', 'none', '--from', 'vpn@example.com', ...data])).code,
      0,
    );
    const added = await runCliWithStdin(
      [
        'gateway',
        'user',
        'add',
        'alice',
        '--password-stdin',
        '--email',
        'alice@example.com',
        '--token',
        'auto',
        ...data,
      ],
      'horse-battery-staple\n',
    );
    assert.equal(added.code, 0, added.err);
    const code = /^ {4}([A-Z2-7]{16})$/m.exec(smtp.received.at(-1)?.text ?? '')?.[1] ?? '';
    const phone = ['--device', join(root, 'phone')];
    const activated = await runCli([
      'mobile',
      'activate',
      code,
      '--server',
      first.provisioner,
      ...phone,
    ]);
    assert.equal(activated.code, 0, activated.err);
    assert.equal((await runCli(['gateway', 'token', 'poll', ...data])).code, 0);

    const shown = JSON.parse((await runCli(['mobile', 'code', '--json', ...phone])).out) as {
      code: string;
    };
    const reply = await radclient(first.radiusPort, first.radiusSecret ?? '', [
      'User-Name = "alice"',
      `User-Password = "horse-battery-staple${shown.code}"`,
      'Message-Authenticator = 0x00',
    ]);
    assert.equal(reply.type, 'Access-Accept', reply.output);
  });

  it('stops cleanly on Ctrl-C and keeps everything across a restart', async () => {
    assert.equal(await stop(), 0);
    const again = await start();
    current = again;
    assert.match(again.text, /^Tokenward is up\.\n/);
    assert.equal(again.adminPassword, undefined, 'the password is shown only once');
    assert.match(again.text, /secret set at the first run/);
    const users = await runCli(['gateway', 'user', 'list', ...data]);
    assert.match(users.out, /^alice /m);
    const challenged = await radclient(again.radiusPort, first.radiusSecret ?? '', [
      'User-Name = "alice"',
      'User-Password = "horse-battery-staple"',
      'Message-Authenticator = 0x00',
    ]);
    assert.equal(challenged.type, 'Access-Challenge', 'the same user, token and RADIUS secret');
  });

  it('names the flag to change when a port is taken or the data directory cannot be written', async () => {
    const taken = new URL(current.console).port;
    const clash = await runCli(['up', ...data, ...EPHEMERAL, '--http', `127.0.0.1:${taken}`]);
    assert.equal(clash.code, 1);
    assert.match(
      clash.err,
      /^Error TW_LISTEN_FAILED: Cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)\. Choose another address with --http/,
    );
    assert.equal(await stop(), 0);
    const file = join(root, 'a-file');
    await writeFile(file, 'not a directory');
    const unwritable = await runCli(['up', '--data', join(file, 'data'), ...EPHEMERAL]);
    assert.equal(unwritable.code, 1);
    assert.match(unwritable.err, /cannot be created or written .*--data DIR/);
  });
});
