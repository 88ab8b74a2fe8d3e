import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAuthEngine } from '../../src/gateway/auth/auth-engine.js';
import { defaultHasher, type PasswordHasher } from '../../src/gateway/auth/first-factor.js';
import { buildGatewayServer } from '../../src/gateway/http/server.js';
import { createNotifier } from '../../src/gateway/notifier.js';
import { createProvisionerConnection } from '../../src/gateway/provisioner-link.js';
import { createLogger } from '../../src/log/create-logger.js';
import { engines } from '../helpers/databases.js';
import { gatewayOnStore } from '../helpers/gateway-on-store.js';

// Threat (to availability): a flood of logins, each a password hash. Every request queued behind
// the hashes before it, so under a flood every login timed out at the NAS while the gateway kept
// hashing for clients long gone. Now the queue is bounded and the login beyond it is refused at
// once, with a code and a time to retry.
for (const { engine, skip } of engines) {
  describe(`login: a flood of password checks [${engine}]`, { skip }, () => {
    const f = gatewayOnStore(engine);

    it('refuses the login beyond the hash queue at once: HTTP 503 TW_AUTH_BUSY, Retry-After', async () => {
      let started = 0;
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const held: PasswordHasher = {
        hash: defaultHasher.hash,
        needsRehash: defaultHasher.needsRehash,
        verify: async (password, stored) => {
          started++;
          await gate;
          return defaultHasher.verify(password, stored);
        },
      };
      const log = createLogger({ level: 'silent' });
      const auth = createAuthEngine({
        store: f.store,
        cipher: f.cipher,
        log,
        notifier: createNotifier({}),
        connection: createProvisionerConnection({
          store: f.store,
          cipher: f.cipher,
          clock: Date.now,
        }),
        passwords: held,
        hashPool: { workers: 1, queue: 1 },
      });
      const http = buildGatewayServer({ gateway: f.gateway, log, auth });
      try {
        // An async wrapper dispatches each request at once (inject's result is lazy).
        const login = async (username: string) =>
          http.inject({
            method: 'POST',
            url: '/api/v1/auth',
            payload: { username, password: 'a-password-guess' },
          });
        const logins = ['first', 'second', 'third'].map(login);
        // One hash runs (held), one waits: the third is answered while the others still wait.
        const refused = await Promise.race(logins);
        assert.equal(refused.statusCode, 503);
        assert.equal(refused.headers['retry-after'], '1');
        assert.equal((refused.json() as { error: { code: string } }).error.code, 'TW_AUTH_BUSY');
        assert.equal(started, 1, 'the refused login never started a hash');
        release();
        const statuses = (await Promise.all(logins)).map((r) => r.statusCode).sort();
        assert.deepEqual(statuses, [401, 401, 503], 'the two it took are answered');
        assert.equal((await login('fourth')).statusCode, 401, 'the queue is free again');
      } finally {
        release();
        await http.close();
      }
    });
  });
}
