import type { AddressInfo } from 'node:net';
import { createAtRestCipher } from '../../src/crypto/at-rest-cipher.js';
import { generateIdentityKeyPair, registrationId } from '../../src/crypto/identity-signature.js';
import { generateSealingKeyPair } from '../../src/crypto/x25519.js';
import { createLogger } from '../../src/log/create-logger.js';
import { createGatewayClient } from '../../src/protocol/softtoken/gateway-client.js';
import { createMobileClient } from '../../src/protocol/softtoken/mobile-client.js';
import {
  createResponseChecker,
  type ResponseChecker,
} from '../../src/protocol/softtoken/response-checker.js';
import { openSeed } from '../../src/protocol/softtoken/seed-sealing.js';
import {
  DEFAULT_PROVISIONER_CONFIG,
  type ProvisionerConfig,
} from '../../src/provisioner/config.js';
import { buildProvisionerServer } from '../../src/provisioner/http/server.js';
import { createProvisioner, type Provisioner } from '../../src/provisioner/provisioner.js';
import type { WebPushOptions } from '../../src/provisioner/web-push.js';
import type { DatabaseEngine } from '../../src/store/database.js';
import { createStore, type Store } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

/** A clock tests move by hand: time is a parameter, never faked globally. */
export interface TestClock {
  readonly now: number;
  advance(ms: number): void;
  /** Back to the starting point (or to real time). */
  reset(): void;
}

/** Fixed at the start (the default), or running with real time for tests of real clients. */
export function testClock(realTime: boolean): TestClock {
  const start = Date.now();
  let offset = 0;
  return {
    get now() {
      return (realTime ? Date.now() : start) + offset;
    },
    advance(ms) {
      offset += ms;
    },
    reset() {
      offset = 0;
    },
  };
}

export interface ProvisionerHarness {
  readonly url: string;
  readonly store: Store;
  readonly provisioner: Provisioner;
  readonly clock: TestClock;
  readonly database: TestDatabase;
  /**
   * One checker for every phone of the harness: compiling the schemas takes about 30 ms, so one
   * per phone blocked the event loop for seconds when a test made 100 phones, long enough for the
   * server to close its idle keep-alive sockets just as the client reused them (ECONNRESET).
   */
  readonly checker: ResponseChecker;
  enrolGateway(serial: string, cluster?: string): Promise<TestGateway>;
  newPhone(osVer?: string): TestPhone;
  close(): Promise<void>;
}

export type TestGateway = Awaited<ReturnType<typeof enrol>>;
export type TestPhone = ReturnType<typeof phone>;

/** A real provisioner over HTTP on a random 127.0.0.1 port, on a fresh database. */
export async function startProvisionerHarness(
  engine: DatabaseEngine,
  config: ProvisionerConfig = DEFAULT_PROVISIONER_CONFIG,
  options: { realTime?: boolean; webPush?: Partial<WebPushOptions> } = {},
): Promise<ProvisionerHarness> {
  const database = await createTestDatabase(engine);
  const store = await createStore(database.url);
  const clock = testClock(options.realTime === true);
  const log = createLogger({ level: 'silent' });
  const provisioner = createProvisioner({
    store,
    cipher: createAtRestCipher(Buffer.alloc(32, 7)),
    log,
    clock: () => clock.now,
    config,
    ...(options.webPush === undefined ? {} : { webPush: options.webPush }),
  });
  const app = buildProvisionerServer({ provisioner, log });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const harness: ProvisionerHarness = {
    url,
    store,
    provisioner,
    clock,
    database,
    checker: createResponseChecker(),
    enrolGateway: (serial, cluster) => enrol(harness, serial, cluster),
    newPhone: (osVer) => phone(harness, osVer),
    async close() {
      await app.close();
      await store.close();
      await database.drop();
    },
  };
  return harness;
}

async function enrol(harness: ProvisionerHarness, serial: string, cluster?: string) {
  const sealing = generateSealingKeyPair();
  const sealingKey = Buffer.from(sealing.publicKey).toString('base64');
  const added = await harness.provisioner.admin.addGateway(
    { serial, ...(cluster === undefined ? {} : { cluster }), sealingKey },
    harness.clock.now,
  );
  const client = createGatewayClient(
    harness.url,
    { serial, secret: added.secret },
    () => harness.clock.now,
  );
  return {
    serial,
    secret: added.secret,
    sealing,
    client,
    openSeed: (sealed: string, token: string) =>
      openSeed(sealing.privateKey, sealed, token, serial),
  };
}

function phone(harness: ProvisionerHarness, osVer = '1.0.0_CLI') {
  const identity = generateIdentityKeyPair();
  const sealing = generateSealingKeyPair();
  const regId = registrationId(identity.publicKey);
  const client = createMobileClient(
    harness.url,
    { registrationId: regId, identityPrivateKey: identity.privateKey },
    () => harness.clock.now,
    harness.checker,
  );
  const keys = {
    identity_key: Buffer.from(identity.publicKey).toString('base64'),
    sealing_key: Buffer.from(sealing.publicKey).toString('base64'),
    mobile_device_version: osVer,
  };
  return {
    regId,
    identity,
    sealing,
    client,
    activate: (code: string) => client.send('MobileProvision', { activation_code: code, ...keys }),
    redeemTransfer: (code: string) =>
      client.send('MobileProvision', { transfer_code: code, ...keys }),
    openSeed: (sealed: string, token: string) => openSeed(sealing.privateKey, sealed, token, regId),
  };
}
