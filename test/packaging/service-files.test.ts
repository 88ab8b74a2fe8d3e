import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { validate } from 'dockerfile-utils';
import { requireComponent } from '../helpers/components.js';

const run = promisify(execFile);
const PACKAGING = new URL('../../packaging/', import.meta.url).pathname;
const BIN = new URL('../../bin/tokenward.js', import.meta.url).pathname;
const systemdAnalyze = await requireComponent('systemd-analyze', 'apt-get install systemd');

describe('systemd units', { skip: systemdAnalyze.skip }, () => {
  let dir: string;
  let units: string[];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tokenward-units-'));
    units = (await readdir(join(PACKAGING, 'systemd'))).filter((name) => name.endsWith('.service'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has one unit per service: provisioner, gateway, up', () => {
    assert.deepEqual(units.sort(), [
      'tokenward-gateway.service',
      'tokenward-provisioner.service',
      'tokenward-up.service',
    ]);
  });

  it('pass systemd-analyze verify without a word about them', async () => {
    // verify wants ExecStart's program to exist: the repository's bin stands in for the
    // installed /usr/local/bin/tokenward, nothing else is changed.
    const copies: string[] = [];
    for (const unit of units) {
      const text = await readFile(join(PACKAGING, 'systemd', unit), 'utf8');
      const copy = join(dir, unit);
      await writeFile(copy, text.replaceAll('/usr/local/bin/tokenward', BIN));
      copies.push(copy);
    }
    const verified = await run('systemd-analyze', ['verify', ...copies]).catch(
      (error: { stdout: string; stderr: string; code: number }) => error,
    );
    const about = `${verified.stdout}${verified.stderr}`
      .split('\n')
      .filter((line) => units.some((unit) => line.includes(unit)));
    assert.deepEqual(about, []);
    assert.ok(!('code' in verified) || verified.code === 0, verified.stderr);
  });

  it('run hardened: own user, read-only system, no new privileges, one capability at most', async () => {
    for (const unit of units) {
      const text = await readFile(join(PACKAGING, 'systemd', unit), 'utf8');
      for (const setting of [
        'DynamicUser=yes',
        'ProtectSystem=strict',
        'NoNewPrivileges=yes',
        'ProtectHome=yes',
        'PrivateTmp=yes',
        'UMask=0077',
      ]) {
        assert.match(text, new RegExp(`^${setting}$`, 'm'), `${unit}: ${setting}`);
      }
      const bounding = /^CapabilityBoundingSet=(.*)$/m.exec(text)?.[1];
      assert.ok(bounding === '' || bounding === 'CAP_NET_BIND_SERVICE', `${unit}: ${bounding}`);
      const listens = /--radius 0\.0\.0\.0:1812/.test(text);
      assert.equal(
        bounding === 'CAP_NET_BIND_SERVICE',
        listens,
        `${unit}: the capability only for port 1812`,
      );
    }
  });
});

describe('the Containerfile', () => {
  it('is a valid Dockerfile: no problem found by the Docker language service', async () => {
    const text = await readFile(join(PACKAGING, 'Containerfile'), 'utf8');
    assert.deepEqual(
      validate(text).map((problem) => `${problem.range.start.line + 1}: ${problem.message}`),
      [],
    );
  });

  it('runs the installed package as an unprivileged user, with a health check', async () => {
    const text = await readFile(join(PACKAGING, 'Containerfile'), 'utf8');
    const stages = text.split(/^FROM /m).slice(1);
    assert.equal(stages.length, 2, 'a build stage and the stage that runs');
    for (const stage of stages) assert.match(stage, /^node:20-bookworm-slim\b/);
    const running = stages[1] ?? '';
    assert.deepEqual(
      [...running.matchAll(/^USER (.+)$/gm)].map((m) => m[1]),
      ['node'],
    );
    assert.match(running, /^HEALTHCHECK .*\n.*\/healthz/m);
    assert.match(running, /^COPY --from=build \/opt\/tokenward \/opt\/tokenward$/m);
    assert.doesNotMatch(running, /^RUN .*(apt-get install|npm ci)/m, 'no compiler or dev tools');
  });
});
