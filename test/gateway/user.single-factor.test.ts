import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertRejectsCode } from '../helpers/assert-code.js';
import { runCliWithStdin } from '../helpers/cli.js';
import { engines } from '../helpers/databases.js';
import { gatewayOnStore } from '../helpers/gateway-on-store.js';

// Threat: single-factor users by accident. `user add carl --password-stdin` with no token,
// e-mail or SMS made a password-only user silently, with a one-character password.
for (const { engine, skip } of engines) {
  describe(`users get a second factor and a real password [${engine}]`, { skip }, () => {
    const f = gatewayOnStore(engine);

    it('refuses a user without a second factor unless asked for explicitly, and audits it', async () => {
      await assertRejectsCode(
        f.gateway.addUser({ name: 'carl', password: 'horse-battery-3' }),
        'TW_TWO_FACTOR_REQUIRED',
      );
      assert.equal(await f.store.users.find('carl'), undefined);
      await f.gateway.addUser({ name: 'carl', password: 'horse-battery-3', twoFactor: 'disable' });
      const [entry] = await f.store.auditLog.list({ limit: 1 });
      assert.deepEqual([entry?.action, entry?.detail], ['user.add', { twoFactor: 'disable' }]);
    });

    it('takes single-factor users when two-factor-required is disabled', async () => {
      await f.gateway.changeSettings([
        { path: 'user setting', name: 'two-factor-required', value: 'disable' },
      ]);
      await f.gateway.addUser({ name: 'dora', password: 'horse-battery-4' });
      await f.gateway.changeSettings([
        { path: 'user setting', name: 'two-factor-required', value: 'enable' },
      ]);
    });

    it('holds every password to one policy: length, common passwords, the user name', async () => {
      for (const password of ['x', 'short', 'password123', 'Passw0rd', 'erin-the-user-erin']) {
        await assertRejectsCode(
          f.gateway.addUser({ name: 'erin', password, twoFactor: 'disable' }),
          'TW_PASSWORD_WEAK',
        );
      }
      const weakInFile = [
        'config user local',
        '    edit "fred"',
        '        set passwd "12345678"',
        '    next',
        'end',
      ].join('\n');
      await assertRejectsCode(f.gateway.importConfig(weakInFile), 'TW_CONFIG_INVALID');
      assert.equal(await f.store.users.find('fred'), undefined);
    });
  });
}

describe('gateway user add and console-admin (CLI)', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'tokenward-single-factor-'));
    await writeFile(join(root, 'placeholder'), '');
  });
  after(() => rm(root, { recursive: true, force: true }));
  const data = () => ['--data', join(root, 'data')];

  it('refuses a password-only user, takes one with --no-two-factor and warns', async () => {
    const refused = await runCliWithStdin(
      ['gateway', 'user', 'add', 'carl', '--password-stdin', ...data()],
      'horse-battery-3\n',
    );
    assert.equal(refused.code, 1);
    assert.match(refused.err, /TW_TWO_FACTOR_REQUIRED/);
    const weak = await runCliWithStdin(
      ['gateway', 'user', 'add', 'carl', '--password-stdin', '--no-two-factor', ...data()],
      'x\n',
    );
    assert.match(weak.err, /TW_PASSWORD_WEAK/);
    const allowed = await runCliWithStdin(
      ['gateway', 'user', 'add', 'carl', '--password-stdin', '--no-two-factor', ...data()],
      'horse-battery-3\n',
    );
    assert.equal(allowed.code, 0, allowed.err);
    assert.match(allowed.err, /TW_WARN_SINGLE_FACTOR_USER/);
  });

  it('holds the console admin to 12 characters', async () => {
    const short = await runCliWithStdin(
      ['gateway', 'console-admin', '--password-stdin', ...data()],
      'elevenchars\n',
    );
    assert.match(short.err, /TW_PASSWORD_WEAK/);
  });
});
