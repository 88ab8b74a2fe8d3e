import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { waitForOutput } from '../helpers/cli.js';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;

// The operator's install: the packed package, installed globally on its own, must run with
// nothing of the repository beside it (a missing file shows only there: the console's page
// was once left out of the package).
describe('npm pack, then npm install -g of the packed file', () => {
  let dir: string;
  let tarball: string;
  let files: string[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tokenward-pack-'));
    const packed = await run('npm', ['pack', '--json', '--pack-destination', dir], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    const [report] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    assert.ok(report !== undefined);
    tarball = join(dir, report.filename);
    files = report.files.map((file) => file.path);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('packs the built CLI, the console, the phone app and its sources; no tests, no benchmarks', () => {
    for (const needed of [
      'bin/tokenward.js',
      'dist/cli/bin.js',
      'console/index.html',
      'console/src/main.ts',
      'src/gateway/console/console-api-types.ts',
      'app/static/index.html',
      'app/src/main.ts',
      'src/crypto/canonical-json.ts',
      'packaging/systemd/tokenward-up.service',
      'README.md',
    ]) {
      assert.ok(files.includes(needed), `${needed} is in the package`);
    }
    assert.deepEqual(
      files.filter((path) => /^(test|bench|\.ci)\//.test(path)),
      [],
    );
  });

  it('installs globally and runs up: console, phone app, health, version', async () => {
    const prefix = join(dir, 'prefix');
    await run(
      'npm',
      ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball],
      { cwd: dir, maxBuffer: 64 * 1024 * 1024 },
    );
    const bin = join(prefix, 'bin', 'tokenward');
    const version = await run(bin, ['--version'], { cwd: dir });
    const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    assert.equal(version.stdout.trim(), manifest.version);

    const up = spawn(
      bin,
      [
        'up',
        '--data',
        join(dir, 'data'),
        '--listen',
        '127.0.0.1:0',
        '--http',
        '127.0.0.1:0',
        '--radius',
        '127.0.0.1:0',
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const banner = await waitForOutput(up, /Press Ctrl-C to stop\./, 60_000);
      const consoleUrl = /Console: +(http:\/\/127\.0\.0\.1:\d+)\//.exec(banner)?.[1] ?? '';
      const provisioner = /Provisioner: +(http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1] ?? '';
      const page = await fetch(`${consoleUrl}/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<html/);
      // The console's bundle too, made at start from the installed console/src.
      const consoleScript = await fetch(`${consoleUrl}/console.js`);
      assert.equal(consoleScript.status, 200);
      assert.ok((await consoleScript.text()).length > 10_000);
      const health = (await (await fetch(`${consoleUrl}/healthz`)).json()) as { status: string };
      assert.equal(health.status, 'ok');
      const app = await fetch(`${provisioner}/app/`);
      assert.equal(app.status, 200);
      // Bundled at start from the installed app/src (and the src it imports).
      const script = await fetch(`${provisioner}/app/main.js`);
      assert.equal(script.status, 200);
      assert.ok((await script.text()).length > 10_000);
    } finally {
      const exited = once(up, 'exit');
      up.kill('SIGINT');
      await exited;
    }
  });
});
