import { after, before } from 'node:test';
import { type AtRestCipher, createAtRestCipher } from '../../src/crypto/at-rest-cipher.js';
import { createGateway, type Gateway } from '../../src/gateway/gateway.js';
import { createNotifier } from '../../src/gateway/notifier.js';
import { createLogger } from '../../src/log/create-logger.js';
import type { DatabaseEngine } from '../../src/store/database.js';
import { createStore, type Store } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

/**
 * Registers, in the calling `describe`, hooks that open a fresh database with a gateway on it
 * (no provisioner, no mail) and close it after. Read `store`, `gateway`, `cipher` in tests.
 */
export function gatewayOnStore(engine: DatabaseEngine): {
  store: Store;
  gateway: Gateway;
  cipher: AtRestCipher;
} {
  const fixture = { cipher: createAtRestCipher(Buffer.alloc(32, 3)) } as {
    store: Store;
    gateway: Gateway;
    cipher: AtRestCipher;
  };
  let database: TestDatabase | undefined;
  before(async () => {
    database = await createTestDatabase(engine);
    fixture.store = await createStore(database.url);
    fixture.gateway = createGateway({
      store: fixture.store,
      cipher: fixture.cipher,
      log: createLogger({ level: 'silent' }),
      notifier: createNotifier({}),
    });
  });
  after(async () => {
    await fixture.store?.close();
    await database?.drop();
  });
  return fixture;
}
