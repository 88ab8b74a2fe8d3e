import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import {
  type ProvisionerHarness,
  startProvisionerHarness,
  type TestGateway,
} from '../helpers/provisioner-harness.js';
import { importTrial, provision } from '../helpers/provisioning-flows.js';

// Threat (to the user's only second factor): `vault` gone with `vault.prev` beside it. The phone
// started a new, empty vault, and its next save replaced vault.prev, the last copy of the token.
describe('phone vault: recovery and key file permissions', () => {
  let h: ProvisionerHarness;
  let gateway: TestGateway;
  let serials: string[];
  let root: string;
  before(async () => {
    h = await startProvisionerHarness('sqlite', undefined, { realTime: true });
    gateway = await h.enrolGateway('FGT60F0000000001');
    serials = await importTrial(gateway);
    root = await mkdtemp(join(tmpdir(), 'tokenward-vault-'));
  });
  after(async () => {
    await h?.close();
    await rm(root, { recursive: true, force: true });
  });
  const mobile = (device: string, ...args: string[]) =>
    runCli(['mobile', ...args, '--device', device]);

  it('recovers the token from vault.prev when vault is missing, and keeps vault.prev', async () => {
    const device = join(root, 'phone-a');
    const serial = serials[0] ?? '';
    const { code } = await provision(gateway, serial);
    assert.equal((await mobile(device, 'activate', code, '--server', h.url)).code, 0);
    assert.equal((await mobile(device, 'list')).code, 0); // a second save: vault.prev exists
    const previous = await readFile(join(device, 'vault.prev'), 'utf8');
    await unlink(join(device, 'vault'));

    const listed = await mobile(device, 'list');
    assert.equal(listed.code, 0, listed.err);
    assert.match(listed.out, new RegExp(serial));
    assert.ok((await stat(join(device, 'vault'))).isFile(), 'vault restored');
    const after = await mobile(device, 'code', serial);
    assert.equal(after.code, 0, after.err);
    assert.notEqual(await readFile(join(device, 'vault.prev'), 'utf8').catch(() => ''), '');
    assert.ok(previous.length > 0);
  });

  it('refuses a vault.key that other users can read', async () => {
    const device = join(root, 'phone-b');
    const serial = serials[1] ?? '';
    const { code } = await provision(gateway, serial);
    assert.equal((await mobile(device, 'activate', code, '--server', h.url)).code, 0);
    await chmod(join(device, 'vault.key'), 0o644);
    const refused = await mobile(device, 'code', serial); // reads only, writes nothing
    assert.equal(refused.code, 1);
    assert.match(refused.err, /chmod 600 .*\(TW_MASTER_KEY_INVALID\)/);
  });
});
