import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createStore } from '../../src/store/store.js';
import { runCli, runCliWithStdin } from '../helpers/cli.js';
import {
  type ProvisionerHarness,
  startProvisionerHarness,
} from '../helpers/provisioner-harness.js';
import { importTrial, provision } from '../helpers/provisioning-flows.js';

// Threat: secrets where other users of the machine read them. `--secret` and `--pin` are in
// /proc/PID/cmdline for every user to see; SQLite files were created 0644; a short PIN or RADIUS
// secret falls to an offline guess.
describe('secrets kept off the command line and out of readable files', () => {
  let h: ProvisionerHarness;
  let root: string;
  before(async () => {
    h = await startProvisionerHarness('sqlite', undefined, { realTime: true });
    root = await mkdtemp(join(tmpdir(), 'tokenward-secrets-'));
  });
  after(async () => {
    await h?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('enrols a gateway with the secret on standard input, and warns when it is an argument', async () => {
    const data = ['--data', join(root, 'gw')];
    const added = await h.provisioner.admin.addGateway({ serial: 'FGT60F0000000001' }, h.clock.now);
    const args = ['gateway', 'enroll', '--provisioner', h.url, '--serial', added.serial];
    const piped = await runCliWithStdin([...args, '--secret-stdin', ...data], `${added.secret}\n`);
    assert.equal(piped.code, 0, piped.err);
    assert.doesNotMatch(piped.err, /TW_WARN_SECRET_IN_ARGV/);
    const other = await h.provisioner.admin.addGateway({ serial: 'FGT60F0000000003' }, h.clock.now);
    const argued = await runCli([
      'gateway',
      'enroll',
      '--provisioner',
      h.url,
      '--serial',
      other.serial,
      '--secret',
      other.secret,
      '--data',
      join(root, 'gw-other'),
    ]);
    assert.equal(argued.code, 0, argued.err);
    assert.match(argued.err, /^Warning TW_WARN_SECRET_IN_ARGV: .*--secret-stdin/m);
    assert.ok(!argued.err.includes(other.secret), 'the warning does not repeat it');
    const none = await runCli([...args, ...data]);
    assert.match(none.err, /TW_SECRET_STDIN_REQUIRED: .*--secret-stdin/);
  });

  it('creates SQLite files 0600', async () => {
    const path = join(root, 'fresh.db');
    const store = await createStore(`sqlite:${path}`);
    await store.settings.set('x', 1, 0);
    await store.close();
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  });

  it('takes the PIN on standard input, and refuses a new vault with a short PIN', async () => {
    const gateway = await h.enrolGateway('FGT60F0000000002');
    const [first = '', second = ''] = await importTrial(gateway);
    const device = ['--device', join(root, 'phone')];
    const { code } = await provision(gateway, first);
    const activated = await runCliWithStdin(
      ['mobile', 'activate', code, '--server', h.url, '--pin-stdin', ...device],
      'a long passphrase\n',
    );
    assert.equal(activated.code, 0, activated.err);
    const shown = await runCliWithStdin(
      ['mobile', 'code', first, '--pin-stdin', ...device],
      'a long passphrase\n',
    );
    assert.match(shown.out, /\d{6}/);
    const short = await runCliWithStdin(
      [
        'mobile',
        'activate',
        (await provision(gateway, second)).code,
        '--server',
        h.url,
        '--pin-stdin',
        '--device',
        join(root, 'phone-2'),
      ],
      '1234\n',
    );
    assert.equal(short.code, 1);
    assert.match(short.err, /TW_VAULT_PIN_WEAK/);
  });

  it('warns of a RADIUS shared secret shorter than 16 characters', async () => {
    const added = await runCliWithStdin(
      [
        'gateway',
        'radius-client',
        'add',
        'vpn',
        '--address',
        '10.0.0.1',
        '--secret-stdin',
        '--data',
        join(root, 'gw'),
      ],
      'short\n',
    );
    assert.equal(added.code, 0, added.err);
    assert.match(added.err, /TW_WARN_RADIUS_SECRET_SHORT/);
  });
});
