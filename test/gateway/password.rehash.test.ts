import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { hashPassword } from '../../src/crypto/password-hash.js';
import { createAuthEngine } from '../../src/gateway/auth/auth-engine.js';
import { createNotifier } from '../../src/gateway/notifier.js';
import { createProvisionerConnection } from '../../src/gateway/provisioner-link.js';
import { createLogger } from '../../src/log/create-logger.js';
import { engines } from '../helpers/databases.js';
import { gatewayOnStore } from '../helpers/gateway-on-store.js';

// Threat: hashes made with the earlier scrypt default (below OWASP's scrypt minimum) staying
// weak for ever. They keep working, and become argon2id at the next successful login only.
const context = { frontEnd: 'http', sourceIp: '198.51.100.20' } as const;

for (const { engine, skip } of engines) {
  describe(`password hashes from before argon2id [${engine}]`, { skip }, () => {
    const f = gatewayOnStore(engine);

    it('log in as before, and are rehashed to argon2id at the next right password only', async () => {
      const password = 'staple-battery-horse';
      await f.gateway.addUser({ name: 'olga', password, twoFactor: 'disable' });
      const legacy = await hashPassword(password, { logN: 10, r: 8, p: 1 });
      await f.store.users.update('olga', { passwordHash: legacy });
      const auth = createAuthEngine({
        store: f.store,
        cipher: f.cipher,
        log: createLogger({ level: 'silent' }),
        notifier: createNotifier({}),
        connection: createProvisionerConnection({
          store: f.store,
          cipher: f.cipher,
          clock: Date.now,
        }),
      });
      const stored = async () => (await f.store.users.find('olga'))?.passwordHash ?? '';

      const wrong = await auth.login({ username: 'olga', password: 'not-her-password', context });
      assert.equal(wrong.result, 'reject');
      assert.equal(await stored(), legacy, 'a wrong password changes nothing');

      const right = await auth.login({ username: 'olga', password, context });
      assert.equal(right.result, 'accept', 'the scrypt hash still logs her in');
      // The rehash runs beside the login: wait for it, with a deadline, never a fixed sleep.
      const deadline = Date.now() + 20_000;
      while (!(await stored()).startsWith('$argon2id$') && Date.now() < deadline) await sleep(20);
      assert.match(await stored(), /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      const again = await auth.login({ username: 'olga', password, context });
      assert.equal(again.result, 'accept', 'and the new hash is of the same password');
    });
  });
}
