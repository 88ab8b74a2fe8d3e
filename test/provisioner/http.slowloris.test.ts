import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createAtRestCipher } from '../../src/crypto/at-rest-cipher.js';
import type { ListenerLimits } from '../../src/http/listener-limits.js';
import { createLogger } from '../../src/log/create-logger.js';
import { buildProvisionerServer } from '../../src/provisioner/http/server.js';
import { createProvisioner } from '../../src/provisioner/provisioner.js';
import { createStore, type Store } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';

// Threat: slow clients. A body sent at one byte per 5 s held a provisioner connection for 100 s
// and more (Node's default request timeout is 300 s); 1,100 of them took /healthz down.
const limits: ListenerLimits = {
  headersTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
  keepAliveTimeoutMs: 1_000,
  idleTimeoutMs: 5_000,
  maxConnections: 200,
};

describe('HTTP listener limits against slow clients', () => {
  let database: TestDatabase;
  let store: Store;
  let app: ReturnType<typeof buildProvisionerServer>;
  let port: number;
  before(async () => {
    database = await createTestDatabase('sqlite');
    store = await createStore(database.url);
    const log = createLogger({ level: 'silent' });
    const provisioner = createProvisioner({
      store,
      cipher: createAtRestCipher(Buffer.alloc(32, 7)),
      log,
    });
    app = buildProvisionerServer({ provisioner, log, limits });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
  });
  after(async () => {
    await app?.close();
    await store?.close();
    await database?.drop();
  });

  /** A client that sends `head` and then one more byte every 200 ms; resolves when the server closes it. */
  const slowClient = (head: string, drip: string) => {
    const socket: Socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write(head);
    const timer = setInterval(() => socket.write(drip), 200);
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    return {
      closed: closed.finally(() => clearInterval(timer)),
      end: () => {
        clearInterval(timer);
        socket.destroy();
      },
    };
  };
  const within = <T>(promise: Promise<T>, ms: number, what: string) =>
    Promise.race([
      promise,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`${what} not within ${ms} ms`)), ms).unref(),
      ),
    ]);

  it('cuts a body that trickles in, and headers that trickle in', async () => {
    const body = slowClient(
      'POST /SoftToken/Provisioning.asmx/Mobile HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{',
      ' ',
    );
    const headers = slowClient('POST /SoftToken/Provisioning.asmx/Mobile HTTP/1.1\r\n', 'X');
    try {
      // Deadlines far above the limits (2 s, 1 s), far below Node's defaults (300 s, 60 s).
      await within(body.closed, 30_000, 'the trickling body cut');
      await within(headers.closed, 30_000, 'the trickling headers cut');
    } finally {
      body.end();
      headers.end();
    }
  });

  it('keeps answering /healthz while 100 slow clients hold connections', async () => {
    const clients = Array.from({ length: 100 }, () =>
      slowClient(
        'POST /SoftToken/Provisioning.asmx/Process HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n',
        ' ',
      ),
    );
    try {
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(health.status, 200);
      await within(Promise.all(clients.map((c) => c.closed)), 30_000, 'all slow clients cut');
    } finally {
      for (const client of clients) client.end();
    }
  });
});
