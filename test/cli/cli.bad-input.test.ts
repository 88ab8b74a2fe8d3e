import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { mintActivationCode } from '../../src/core/activation-code.js';
import { runCli } from '../helpers/cli.js';

// Threat (to the operator's time, and the brief's rule): common mistakes answered with
// TW_INTERNAL and a stack-trace message instead of what to change. Every command below gets a
// bad value; each must fail with a code other than TW_INTERNAL, and most name the flag.
describe('the CLI answers bad input with a coded error, never TW_INTERNAL', () => {
  let root: string;
  let notProvisioner: Server;
  let notProvisionerUrl: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'tokenward-bad-input-'));
    await writeFile(join(root, 'a-file'), 'not a directory');
    await writeFile(join(root, 'not-a-config'), 'secret line one\nsecret line two\n');
    // Some other HTTP service (the gateway's port, say): JSON, but not SoftToken.
    notProvisioner = createServer((_request, response) => {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"error":"Not Found"}');
    });
    await new Promise<void>((resolve) => notProvisioner.listen(0, '127.0.0.1', resolve));
    notProvisionerUrl = `http://127.0.0.1:${(notProvisioner.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => notProvisioner.close(resolve));
    await rm(root, { recursive: true, force: true });
  });

  const data = () => ['--data', join(root, 'data')];
  const device = () => ['--device', join(root, 'phone')];
  const code = () => mintActivationCode('activation', 60).code;
  const cases: [string, () => string[], RegExp][] = [
    ['auth-log --limit abc', () => ['gateway', 'auth-log', '--limit', 'abc', ...data()], /--limit/],
    [
      'config import of a missing file',
      () => ['gateway', 'config', 'import', join(root, 'missing'), ...data()],
      /TW_FILE_UNREADABLE/,
    ],
    [
      'config import of a directory',
      () => ['gateway', 'config', 'import', root, ...data()],
      /TW_FILE_UNREADABLE/,
    ],
    [
      'config import of a file that is not a config',
      () => ['gateway', 'config', 'import', join(root, 'not-a-config'), ...data()],
      /TW_CONFIG_SYNTAX/,
    ],
    [
      '--data under a file',
      () => ['gateway', 'user', 'list', '--data', join(root, 'a-file', 'data')],
      /--data/,
    ],
    [
      '--data under /proc',
      () => ['gateway', 'user', 'list', '--data', '/proc/tokenward-nope'],
      /--data/,
    ],
    ['up --data under /proc', () => ['up', '--data', '/proc/tokenward-nope'], /--data/],
    [
      'mobile --device under a file',
      () => ['mobile', 'list', '--device', join(root, 'a-file', 'phone')],
      /--device/,
    ],
    [
      'mail set --port 99999',
      () => [
        'gateway',
        'mail',
        'set',
        '--host',
        'h',
        '--port',
        '99999',
        '--from',
        'a@b.example',
        ...data(),
      ],
      /--port/,
    ],
    [
      'sms set --webhook file:',
      () => ['gateway', 'sms', 'set', '--webhook', 'file:///etc/passwd', ...data()],
      /--webhook/,
    ],
    [
      'enroll --provisioner ftp:',
      () => [
        'gateway',
        'enroll',
        '--provisioner',
        'ftp://x',
        '--serial',
        'FGT60F0000000001',
        '--secret',
        'x',
        ...data(),
      ],
      /--provisioner/,
    ],
    [
      'enroll --provisioner without a scheme',
      () => [
        'gateway',
        'enroll',
        '--provisioner',
        'localhost:8440',
        '--serial',
        'FGT60F0000000001',
        '--secret',
        'x',
        ...data(),
      ],
      /--provisioner/,
    ],
    [
      'token provision --expire-hours 0',
      () => ['gateway', 'token', 'provision', 'FGT60F0000000001', '--expire-hours', '0', ...data()],
      /TW_/,
    ],
    [
      'mobile activate --server without a scheme',
      () => ['mobile', 'activate', code(), '--server', 'localhost:8440', ...device()],
      /--server/,
    ],
    [
      'mobile activate --server at another service',
      () => ['mobile', 'activate', code(), '--server', notProvisionerUrl, ...device()],
      /TW_NOT_A_PROVISIONER/,
    ],
    [
      'licence create --tokens abc',
      () => ['provisioner', 'license', 'create', '--tokens', 'abc', ...data()],
      /TW_INPUT_INVALID/,
    ],
    [
      'serve --http nonsense',
      () => ['gateway', 'serve', '--http', 'nonsense', ...data()],
      /--http/,
    ],
    [
      'an unknown database scheme',
      () => ['gateway', 'user', 'list', '--db', 'mysql://x', ...data()],
      /TW_DATABASE_URL_INVALID/,
    ],
    [
      'backup of a directory that holds no gateway',
      () => ['backup', '--out', join(root, 'b'), '--data', join(root, 'nothing-here')],
      /TW_MASTER_KEY_INVALID.*--data/,
    ],
    [
      'restore from a file that is not there',
      () => ['restore', '--from', join(root, 'missing'), '--data', join(root, 'nothing-here')],
      /--from/,
    ],
    [
      'restore from a file that is not a backup',
      () => ['restore', '--from', join(root, 'a-file'), '--data', join(root, 'nothing-here')],
      /TW_BACKUP_INVALID/,
    ],
    [
      'restore into PostgreSQL',
      () => ['restore', '--from', join(root, 'a-file'), '--db', 'postgres://x@127.0.0.1/y'],
      /TW_BACKUP_ENGINE_UNSUPPORTED/,
    ],
    [
      'rekey --batch-size 0',
      () => ['rekey', '--batch-size', '0', '--data', join(root, 'nothing-here')],
      /--batch-size/,
    ],
    [
      'migrate --dry-run of a directory that holds no database',
      () => ['migrate', '--dry-run', '--data', join(root, 'nothing-here')],
      /TW_DATABASE_URL_INVALID.*--data/,
    ],
    [
      'check of a directory that holds no gateway',
      () => ['check', '--data', join(root, 'nothing-here')],
      /TW_MASTER_KEY_INVALID.*--data/,
    ],
  ];

  for (const [name, args, expected] of cases) {
    it(name, async () => {
      const run = await runCli(args());
      assert.notEqual(run.code, 0, `${name} succeeded: ${run.out}`);
      assert.doesNotMatch(run.err, /TW_INTERNAL/, run.err);
      assert.match(run.err, expected);
      assert.doesNotMatch(run.err, /secret line/, 'a file that is not a config is not echoed');
    });
  }
});
