import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { buildActivationUri } from '../../src/core/activation-uri.js';
import { parseOtpauthUri } from '../../src/core/otpauth-uri.js';
import { generateTotp } from '../../src/core/totp.js';
import { qrPng } from '../../src/protocol/qr.js';
import { runCli } from '../helpers/cli.js';
import { requireComponent } from '../helpers/components.js';
import {
  type ProvisionerHarness,
  startProvisionerHarness,
  type TestGateway,
} from '../helpers/provisioner-harness.js';
import { importTrial, provision } from '../helpers/provisioning-flows.js';
import { okEntries } from '../helpers/softtoken-entries.js';

const run = promisify(execFile);
const oathtool = await requireComponent('oathtool', 'apt-get install oathtool');

const codeAt = (seed: Uint8Array, now: number) =>
  generateTotp({ seed, now, algorithm: 'SHA1', digits: 6, period: 60 });
const context = {
  username: 'alice',
  user_ip: '203.0.113.7',
  user_agent: 'OpenVPN',
  realm: 'vpn',
  timestamp: 1_700_000_000,
  log_message: 'VPN login',
};

describe('tokenward mobile, against a real provisioner', () => {
  let h: ProvisionerHarness;
  let gateway: TestGateway;
  let root: string;
  let serials: string[];
  const phone = (name: string) => ['--device', join(root, name)];
  const mobile = (name: string, ...args: string[]) => runCli(['mobile', ...args, ...phone(name)]);

  before(async () => {
    h = await startProvisionerHarness('sqlite', undefined, { realTime: true });
    gateway = await h.enrolGateway('FGT60F0000000001');
    serials = await importTrial(gateway);
    const pack = await h.provisioner.admin.createLicence(
      { tokens: 4, exportPolicy: 'allowed' },
      h.clock.now,
    );
    const imported = await gateway.client.send('LicenseImport', { code: pack.code });
    serials.push(...(imported.d.tokens ?? []).map((t) => t.token));
    root = await mkdtemp(join(tmpdir(), 'tokenward-phones-'));
  });
  after(async () => {
    await h?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('creates a device identity on first use and shows it without private keys', async () => {
    const info = await mobile('info-phone', 'info');
    assert.equal(info.code, 0, info.err);
    assert.match(info.out, /^reg-id: +[0-9a-f]{64}\nos-ver: +0\.1\.0_CLI\n/);
    assert.match(info.err, /^Warning TW_WARN_VAULT_KEYFILE: /);
    const vault = await readFile(join(root, 'info-phone', 'vault'), 'utf8');
    assert.ok(
      !vault.includes('PRIVATE') && !vault.includes('"device"'),
      'the vault file is ciphertext',
    );
  });

  it("activates with a code; its codes are the provisioner seed's, and oathtool agrees", {
    skip: oathtool.skip,
  }, async () => {
    const token = await provision(gateway, serials[0] ?? '', { label: 'alice@vpn.example.com' });
    const noisy = token.code.toLowerCase().replace(/(.{4})(?!$)/g, '$1 ');
    const activated = await mobile('a', 'activate', noisy, '--server', h.url);
    assert.equal(activated.code, 0, activated.err);
    assert.match(
      activated.out,
      new RegExp(
        `^Activated ${token.serial} \\(alice@vpn\\.example\\.com\\)\\.\\nCode: \\d{6} \\(valid \\d+ s\\)$`,
      ),
    );
    const shown = JSON.parse((await mobile('a', 'code', token.serial, '--json')).out) as {
      code: string;
      valid_for: number;
    };
    const now = Date.now();
    const expected = [codeAt(token.seed, now - 1000), codeAt(token.seed, now)];
    assert.ok(expected.includes(shown.code), `${shown.code} not in ${expected}`);
    const { stdout } = await run('oathtool', [
      '--totp',
      '--time-step-size=60s',
      '--digits=6',
      Buffer.from(token.seed).toString('hex'),
    ]);
    assert.ok([stdout.trim(), codeAt(token.seed, now - 1000)].includes(shown.code));
  });

  it('refuses phone B with the used-code reason, and gives phone A the same token again', async () => {
    const token = await provision(gateway, serials[1] ?? '');
    assert.equal((await mobile('b-first', 'activate', token.code, '--server', h.url)).code, 0);
    const refused = await mobile('b-second', 'activate', token.code, '--server', h.url);
    assert.equal(refused.code, 1);
    assert.equal(
      refused.err.split('\n').at(-1),
      'Failed. Activation Code is invalid: this token was already activated on another device. Ask your administrator to send a new activation code. (TW_ACTIVATION_CODE_INVALID)',
    );
    const again = await mobile('b-first', 'activate', token.code, '--server', h.url);
    assert.match(again.out, new RegExp(`^Activated ${token.serial} `));
  });

  it('activates from the activation link and from its QR image; one phone, one reg-id', async () => {
    const [viaLink, viaQr] = [
      await provision(gateway, serials[2] ?? ''),
      await provision(gateway, serials[3] ?? ''),
    ];
    assert.equal((await mobile('c', 'activate', buildActivationUri(viaLink.code, h.url))).code, 0);
    const png = join(root, 'activation.png');
    await writeFile(png, await qrPng(buildActivationUri(viaQr.code, h.url)));
    const scanned = await mobile('c', 'activate', '--qr', png);
    assert.equal(scanned.code, 0, scanned.err);
    const polled = await gateway.client.send('Polling', {
      tokens: [{ token: viaLink.serial }, { token: viaQr.serial }],
    });
    const regIds = okEntries(polled.d.tokens).map((t) => t.registration_id);
    assert.equal(regIds[0], regIds[1]);
    assert.match((await mobile('c', 'info')).out, new RegExp(`reg-id: +${regIds[0]}`));

    // Revoked and provisioned again to the same phone: the same reg-id again (the source document).
    await gateway.client.send('Revoke', { tokens: [{ token: viaLink.serial }] });
    assert.equal(
      (
        await mobile(
          'c',
          'activate',
          (
            await provision(gateway, viaLink.serial)
          ).code,
          '--server',
          h.url,
        )
      ).code,
      0,
    );
    const again = await gateway.client.send('Polling', { tokens: [{ token: viaLink.serial }] });
    assert.equal(okEntries(again.d.tokens)[0]?.registration_id, regIds[0]);
  });

  it('approves, denies, refuses a wrong number, and finds expired pushes closed', async () => {
    const serial = serials[0] ?? '';
    const push = async (extra: { number?: number; ttl?: number } = {}) =>
      String(
        (await gateway.client.send('Push', { token: serial, session_id: 's', context, ...extra })).d
          .push_id,
      );
    const status = async (id: string) =>
      okEntries((await gateway.client.send('PushStatus', { push_ids: [id] })).d.pushes)[0];

    const shownCode = async () =>
      JSON.parse((await mobile('a', 'code', serial, '--json')).out).code as string;
    const approved = await push({ number: 42 });
    const before = await shownCode();
    assert.equal((await mobile('a', 'push', 'approve', approved, '--number', '42')).code, 0);
    const codes = [before, await shownCode()];
    const decided = await status(approved);
    assert.equal(decided?.status, 'approved');
    assert.ok(codes.includes(decided?.token_code ?? ''), 'the approval carries the current code');

    const denied = await push();
    assert.equal((await mobile('a', 'push', 'deny', denied)).code, 0);
    assert.equal((await status(denied))?.status, 'denied');

    const mismatched = await push({ number: 17 });
    const wrong = await mobile('a', 'push', 'approve', mismatched, '--number', '71');
    assert.match(wrong.err, /\(TW_PUSH_NUMBER_MISMATCH\)$/);
    assert.equal((await status(mismatched))?.status, 'denied');

    const listened = push();
    const listener = await mobile('a', 'push', 'listen', '--approve', '--max', '1');
    assert.match(
      listener.out,
      /^Push [\w-]+: alice from 203\.0\.113\.7 \(OpenVPN\) at .*\nApproved\.$/,
    );
    assert.equal((await status(await listened))?.status, 'approved');

    const expiring = await push({ ttl: 10 });
    h.clock.advance(11_000);
    assert.equal((await status(expiring))?.status, 'expired');
    assert.match((await mobile('a', 'push', 'approve', expiring)).err, /\(TW_PUSH_CLOSED\)$/);
    h.clock.advance(-11_000);
  });

  it('transfers a token: the new phone takes it with a new seed, the old one shows it moved', async () => {
    const serial = serials[0] ?? '';
    const transfer = await mobile('a', 'transfer', serial);
    assert.equal(transfer.code, 0, transfer.err);
    const code = /Transfer code for \w+: ([A-Z2-7]{16})/.exec(transfer.out)?.[1] ?? '';
    assert.match(transfer.out, /tokenward mobile activate --transfer [A-Z2-7]{16} --server http/);
    const oldCode = JSON.parse((await mobile('a', 'code', serial, '--json')).out).code as string;

    const moved = await mobile('d', 'activate', '--transfer', code, '--server', h.url);
    assert.equal(moved.code, 0, moved.err);
    const polled = await gateway.client.send('Polling', {
      tokens: [{ token: serial, seed_version: 1 }],
    });
    const [entry] = okEntries(polled.d.tokens);
    const newSeed = gateway.openSeed(entry?.seed ?? '', serial);
    const newCode = JSON.parse((await mobile('d', 'code', serial, '--json')).out).code as string;
    const now = Date.now();
    assert.ok([codeAt(newSeed, now - 2000), codeAt(newSeed, now)].includes(newCode));
    assert.notEqual(oldCode, codeAt(newSeed, now), "the old phone's codes no longer match");

    const listed = JSON.parse((await mobile('a', 'list', '--json')).out) as {
      serial: string;
      status: string;
    }[];
    assert.equal(listed.find((t) => t.serial === serial)?.status, 'moved');
    assert.match((await mobile('a', 'code', serial)).err, /\(TW_TOKEN_MOVED\)$/);
  });

  it('exports only where the licence allows it', async () => {
    const refused = await mobile('b-first', 'export', serials[1] ?? '', '--otpauth');
    assert.match(refused.err, /\(TW_EXPORT_FORBIDDEN\)$/);
    const token = await provision(gateway, serials[4] ?? '', { label: 'bob@vpn' });
    await mobile('e', 'activate', token.code, '--server', h.url);
    const exported = await mobile('e', 'export', token.serial, '--otpauth');
    assert.equal(exported.code, 0, exported.err);
    const uri = exported.out.split('\n')[0] ?? '';
    assert.deepEqual(Buffer.from(parseOtpauthUri(uri).seed), Buffer.from(token.seed));
  });

  it('keeps the vault safe: wrong PIN, truncated file, interrupted write', async () => {
    const token = await provision(gateway, serials[5] ?? '');
    const pinned = (...args: string[]) =>
      runCli(['mobile', ...args, '--device', join(root, 'f'), '--pin', 'correct horse']);
    assert.equal((await pinned('activate', token.code, '--server', h.url)).code, 0);
    assert.doesNotMatch(
      (await pinned('info')).err,
      /TW_WARN_VAULT_KEYFILE/,
      'no key-file warning with a PIN',
    );

    const wrong = await runCli(['mobile', 'code', '--device', join(root, 'f'), '--pin', 'wrong']);
    assert.match(wrong.err, /\(TW_VAULT_PIN_INVALID\)$/);
    const missing = await runCli(['mobile', 'code', '--device', join(root, 'f')]);
    assert.match(missing.err, /\(TW_VAULT_PIN_REQUIRED\)$/);

    // A write interrupted between the temporary file and the rename leaves the vault as it was.
    const vaultPath = join(root, 'f', 'vault');
    const intact = await readFile(vaultPath);
    await writeFile(`${vaultPath}.4242.tmp`, intact.subarray(0, 40));
    assert.equal((await pinned('code', token.serial)).code, 0);

    // A truncated vault is refused, never overwritten; the previous version is kept beside it
    // (a syncing list writes the vault, so vault.prev then holds the token too).
    await pinned('list');
    const previous = await readFile(`${vaultPath}.prev`);
    await writeFile(vaultPath, intact.subarray(0, intact.length - 30));
    assert.match((await pinned('code', token.serial)).err, /\(TW_VAULT_CORRUPT\)$/);
    assert.match((await pinned('list')).err, /\(TW_VAULT_CORRUPT\)$/);
    await writeFile(vaultPath, previous);
    assert.equal((await pinned('code', token.serial)).code, 0, 'restored from vault.prev');
  });
});
