import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createStore } from '../../src/store/store.js';
import { assertRejectsCode } from '../helpers/assert-code.js';
import { runCli, spawnCli, waitForOutput } from '../helpers/cli.js';
import {
  createTestDatabase,
  engines,
  postgresOutage,
  type TestDatabase,
  terminateBackends,
} from '../helpers/databases.js';

const postgres = engines.find((e) => e.engine === 'postgres');
const SERIAL = 'FGT60F0000000001';

/** Waits until `check` holds, polling; fails with the last value after `ms`. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, ms = 30_000) {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read().catch((error: unknown) => error as T);
    if (check(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`condition not met within ${ms} ms; last: ${JSON.stringify(last)}`);
}

// Threat: PostgreSQL restarts (or its backends are terminated) under running services. pg's idle
// clients then emit 'error'; unheard, that ends the process, and every VPN login with it.
describe('services survive a PostgreSQL outage', { skip: postgres?.skip ?? 'no postgres' }, () => {
  let database: TestDatabase;
  let dir: string;
  let provisioner: ChildProcess;
  let gateway: ChildProcess;
  let provisionerUrl = '';
  let gatewayUrl = '';
  const db = () => ['--db', database.url, '--data', dir];

  before(async () => {
    database = await createTestDatabase('postgres');
    dir = await mkdtemp(join(tmpdir(), 'tokenward-outage-'));
    provisioner = spawnCli(['provisioner', 'serve', '--listen', '127.0.0.1:0', ...db()]);
    const banner = await waitForOutput(provisioner, /Press Ctrl-C/);
    provisionerUrl = /Health: +(http:\/\/127\.0\.0\.1:\d+)\/healthz/.exec(banner)?.[1] ?? '';
    const added = await runCli(['provisioner', 'gateway', 'add', SERIAL, ...db()]);
    const secret = /Secret .*: (twgs_\S+)/.exec(added.out)?.[1] ?? '';
    const enrolled = await runCli([
      'gateway',
      'enroll',
      '--provisioner',
      provisionerUrl,
      '--serial',
      SERIAL,
      '--secret',
      secret,
      ...db(),
    ]);
    assert.equal(enrolled.code, 0, enrolled.err);
    gateway = spawnCli(['gateway', 'serve', '--http', '127.0.0.1:0', ...db()]);
    const served = await waitForOutput(gateway, /Tokenward gateway is running/);
    gatewayUrl = /Gateway HTTP: (http:\/\/127\.0\.0\.1:\d+)/.exec(served)?.[1] ?? '';
  });
  after(async () => {
    for (const child of [gateway, provisioner]) {
      if (child !== undefined && child.exitCode === null) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
    }
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const login = () =>
    fetch(`${gatewayUrl}/api/v1/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nobody', password: 'x' }),
    }).then(async (response) => ({
      status: response.status,
      code: ((await response.json()) as { error?: { code?: string } }).error?.code,
    }));
  const gatewayRequest = () =>
    fetch(`${provisionerUrl}/SoftToken/Provisioning.asmx/Process`, {
      method: 'POST',
      headers: {
        authorization: `TW1-HMAC-SHA256 sn=${SERIAL},ts=${Math.floor(Date.now() / 1000)},nonce=${'A'.repeat(22)},sig=${Buffer.alloc(32).toString('base64')}`,
      },
      body: '{"d":{"__type":"SoftToken.PollingRequest","__version":"4"}}',
    }).then(async (response) => ({
      status: response.status,
      code: ((await response.json()) as { d: { error?: { code?: string } } }).d.error?.code,
    }));
  const health = (url: string) => fetch(`${url}/healthz`).then((response) => response.status);

  it('answer 503 TW_STORE_UNAVAILABLE while the database is away, then serve again unrestarted', async () => {
    assert.deepEqual(await login(), { status: 401, code: 'TW_AUTH_REJECTED' });
    const outage = await postgresOutage(database.url);
    try {
      assert.deepEqual(await login(), { status: 503, code: 'TW_STORE_UNAVAILABLE' });
      assert.deepEqual(await gatewayRequest(), { status: 503, code: 'TW_STORE_UNAVAILABLE' });
      assert.equal(await health(gatewayUrl), 503);
      assert.equal(await health(provisionerUrl), 503);
    } finally {
      await outage.end();
    }
    await eventually(login, (answer) => answer.status === 401);
    assert.deepEqual(await gatewayRequest(), { status: 401, code: 'TW_GATEWAY_AUTH_INVALID' });
    assert.equal(await health(provisionerUrl), 200);
    assert.equal(await health(gatewayUrl), 200);
    assert.equal(gateway.exitCode, null, 'gateway still running');
    assert.equal(provisioner.exitCode, null, 'provisioner still running');
  });

  it('stop on SIGTERM, even after an outage', async () => {
    for (const child of [gateway, provisioner]) {
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 0);
    }
  });
});

// The same, for a connection cut while it is checked out between two statements (a transaction):
// pg emits 'error' on that client, which no pool listener hears.
describe('a connection cut in the middle of a transaction', {
  skip: postgres?.skip ?? 'no postgres',
}, () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase('postgres');
  });
  after(async () => {
    await database?.drop();
  });

  it('fails that transaction with TW_STORE_UNAVAILABLE, and the next one works', async () => {
    const store = await createStore(database.url);
    try {
      await assertRejectsCode(
        store.transaction(async (tx) => {
          await tx.settings.set('outage.before', 1, 0);
          await terminateBackends(database.url);
          await tx.settings.set('outage.after', 1, 0);
        }),
        'TW_STORE_UNAVAILABLE',
      );
      await store.settings.set('outage.next', 1, 0);
      assert.equal(await store.settings.get('outage.next'), 1);
      assert.equal(await store.settings.get('outage.before'), undefined, 'rolled back');
    } finally {
      await store.close();
    }
  });
});
