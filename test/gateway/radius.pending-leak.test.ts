import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { newRadiusClient } from '../../src/gateway/new-radius-client.js';
import { createLogger } from '../../src/log/create-logger.js';
import { engines, postgresOutage } from '../helpers/databases.js';
import { type GatewayHarness, startGatewayHarness } from '../helpers/gateway-harness.js';
import { radclient, radclientComponent } from '../helpers/radclient.js';

const postgres = engines.find((e) => e.engine === 'postgres');
const SECRET = 'radius-shared-secret-pending';

// Threat: a decision that throws (the database away) left its retransmission-cache entry pending
// for ever: memory grew with every such request, and the NAS's retransmissions of it were never
// answered, even once the database was back.
describe('RADIUS: a failed decision leaves nothing pending', {
  skip: radclientComponent.skip || (postgres?.skip ?? 'no postgres'),
}, () => {
  let g: GatewayHarness;
  let port: number;
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const logged = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      if (lines.some((line) => pattern.test(line))) return resolve();
      waiters.push({ pattern, resolve });
      setTimeout(() => reject(new Error(`no log line ${pattern} within 20 s`)), 20_000).unref();
    });

  before(async () => {
    g = await startGatewayHarness('postgres');
    await g.gateway.addUser({ name: 'carol', password: 'battery-staple-9', twoFactor: 'disable' });
    await g.store.radiusClients.add(
      newRadiusClient({ name: 'vpn', address: '127.0.0.1', secret: SECRET }, g.cipher, g.clock.now),
    );
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        const line = chunk.toString();
        lines.push(line);
        for (const waiter of waiters.filter((w) => w.pattern.test(line))) waiter.resolve();
        done();
      },
    });
    ({ port } = await g.radius(createLogger({ level: 'warn', destination })));
  });
  after(async () => {
    await g?.close();
  });

  const carol = (options = {}) =>
    radclient(
      port,
      SECRET,
      ['User-Name = "carol"', 'User-Password = "battery-staple-9"', 'Message-Authenticator = 0x00'],
      options,
    );

  it('answers the retransmission of a request whose first decision failed', async () => {
    assert.equal((await carol()).type, 'Access-Accept'); // the client is known (and cached) now
    const outage = await postgresOutage(g.databaseUrl);
    let ended = false;
    try {
      // radclient retransmits the same packet (same id and authenticator) every 2 s.
      const reply = carol({ timeoutSeconds: 2, retries: 8 });
      await logged(/radius request unanswered: database away/);
      await outage.end();
      ended = true;
      assert.equal((await reply).type, 'Access-Accept');
    } finally {
      if (!ended) await outage.end();
    }
  });
});
