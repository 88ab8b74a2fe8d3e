import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../../src/protocol/fortios/config-document.js';
import { runCli, runCliWithStdin, spawnCli, waitForOutput } from '../helpers/cli.js';
import {
  type ProvisionerHarness,
  startProvisionerHarness,
} from '../helpers/provisioner-harness.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';

describe('tokenward gateway (CLI)', () => {
  let h: ProvisionerHarness;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let dir: string;
  let data: string[];
  const gateway = (...args: string[]) => runCli(['gateway', ...args, ...data]);

  before(async () => {
    h = await startProvisionerHarness('sqlite', undefined, { realTime: true });
    smtp = await startSmtpSink();
    dir = await mkdtemp(join(tmpdir(), 'tokenward-gateway-cli-'));
    data = ['--data', dir];
  });
  after(async () => {
    await smtp?.close();
    await h?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('enrols, imports the trial, adds a user whose activation is mailed, polls and shows the result', async () => {
    const added = await h.provisioner.admin.addGateway({ serial: 'FGT60F0000000001' }, h.clock.now);
    const wrong = await gateway(
      'enroll',
      '--provisioner',
      h.url,
      '--serial',
      added.serial,
      '--secret',
      'twgs_wrong',
    );
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /TW_GATEWAY_AUTH_INVALID/);
    const enrolled = await gateway(
      'enroll',
      '--provisioner',
      h.url,
      '--serial',
      added.serial,
      '--secret',
      added.secret,
    );
    assert.equal(enrolled.code, 0, enrolled.err);

    const imported = await gateway('license', 'import', '0000-0000-0000-0000-0000');
    assert.match(imported.out, /^Licence TWTRIAL\d{9}: 2 tokens/);
    assert.equal(
      (
        await gateway(
          'mail',
          'set',
          '--host',
          '127.0.0.1',
          '--port',
          String(smtp.port),
          '--tls',
          'none',
          '--from',
          'vpn@example.com',
        )
      ).code,
      0,
    );

    const user = await runCliWithStdin(
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
    assert.equal(user.code, 0, user.err);
    assert.match(
      user.out,
      /^User alice added with token TWMOB[0-9A-F]{11}; activation sent by e-mail to alice@example\.com\.$/,
    );
    const code = /^ {4}([A-Z2-7]{16})$/m.exec(smtp.received[0]?.text ?? '')?.[1] ?? '';
    const phone = await runCli([
      'mobile',
      'activate',
      code,
      '--server',
      h.url,
      '--device',
      join(dir, 'phone'),
    ]);
    assert.equal(phone.code, 0, phone.err);

    // The source document's log line, printed by the poll that saw the change.
    assert.match(
      (await gateway('token', 'poll')).out,
      /^ftm_cfg_update_token_state: Update REGID for [A-Z0-9]{16} regid:[0-9a-f]{64} os_ver:\S+\nPolled 1 tokens; 1 changed\.$/,
    );
    const info = (await gateway('diagnose', 'fortitoken', 'info')).out;
    assert.match(info, /^FORTITOKEN DRIFT STATUS\n/);
    assert.match(info, /TWMOB[0-9A-F]{11} +provisioned +0/);
    assert.match(info, /Total activated token: 1\nToken server status: reachable$/);

    const shown = await gateway('config', 'show', 'user', 'fortitoken');
    const [section] = parseConfig(shown.out);
    const settings = section?.entries
      .find((e) => e.settings.some((s) => s.key === 'reg-id'))
      ?.settings.map((s) => s.key);
    assert.deepEqual(settings, [
      'license',
      'activation-code',
      'activation-expire',
      'reg-id',
      'os-ver',
    ]);
    const users = await gateway('config', 'show', 'user', 'local');
    assert.match(users.out, /set passwd ENC \S+/);
    assert.ok(!users.out.includes(' pw'), 'no password in clear');
  });

  it('manages RADIUS clients; the secret is read from stdin and never shown', async () => {
    const added = await runCliWithStdin(
      [
        'gateway',
        'radius-client',
        'add',
        'vpn1',
        '--address',
        '10.0.0.0/24',
        '--secret-stdin',
        '--message-authenticator',
        'optional',
        ...data,
      ],
      'a-long-shared-secret\n',
    );
    assert.equal(added.code, 0, added.err);
    assert.match(added.err, /^Warning TW_WARN_RADIUS_MESSAGE_AUTHENTICATOR_OPTIONAL: /);
    const listed = await gateway('radius-client', 'list');
    assert.match(listed.out, /^vpn1 +10\.0\.0\.0\/24 +both +optional$/m);
    const shown = await gateway('config', 'show', 'user', 'radius-client');
    assert.match(shown.out, /set secret ENC \S+/);
    assert.ok(!`${listed.out}${shown.out}`.includes('a-long-shared-secret'));
    const bad = await runCliWithStdin(
      [
        'gateway',
        'radius-client',
        'add',
        'vpn2',
        '--address',
        '10.0.0.300',
        '--secret-stdin',
        ...data,
      ],
      'x\n',
    );
    assert.match(bad.err, /^Error TW_ADDRESS_INVALID: "10.0.0.300" is not an IP address/m);
    assert.equal((await gateway('radius-client', 'remove', 'vpn1')).code, 0);
  });

  it('serves: polls the token server, logging as FortiOS does, until SIGTERM', async () => {
    const child = spawnCli([
      'gateway',
      'serve',
      '--http',
      '127.0.0.1:0',
      '--radius',
      '127.0.0.1:0',
      ...data,
    ]);
    try {
      const banner = await waitForOutput(child, /Tokenward gateway is running/);
      assert.match(banner, /^RADIUS: 127\.0\.0\.1:\d+\/udp/m);
      const health = /health (http:\/\/127\.0\.0\.1:\d+\/healthz)/.exec(banner)?.[1] ?? '';
      const body = (await (await fetch(health)).json()) as { status: string; token_server: string };
      assert.equal(body.status, 'ok');
      await waitForOutput(child, /ftm_cfg_poll_token_states: Poll token status!/, 20_000, 'stderr');
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
