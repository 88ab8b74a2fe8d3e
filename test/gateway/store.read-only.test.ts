import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { buildGatewayServer } from '../../src/gateway/http/server.js';
import { createLogger } from '../../src/log/create-logger.js';
import { engines, terminateBackends } from '../helpers/databases.js';
import { gatewayWithAlice } from '../helpers/gateway-harness.js';

const postgres = engines.find((e) => e.engine === 'postgres');

/** Makes one database read-only for new connections (as a full disk or a standby does). */
async function readOnly(url: string, on: boolean): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: new URL('/postgres', url).toString() });
  await admin.connect();
  try {
    await admin.query(
      `ALTER DATABASE ${name} SET default_transaction_read_only = ${on ? 'on' : 'off'}`,
    );
  } finally {
    await admin.end();
  }
  await terminateBackends(url);
}

// Threat (to availability, unseen): a store that reads but cannot write (a full disk, a database
// turned read-only). Logins failed closed while /healthz said ok, so no monitor noticed.
describe('a store that cannot write', { skip: postgres?.skip ?? 'no postgres' }, () => {
  const f = gatewayWithAlice('postgres');

  it('is reported by /healthz (503, read-only), and logins fail closed with TW_STORE_UNAVAILABLE', async () => {
    const http = buildGatewayServer({
      gateway: f.g.gateway,
      log: createLogger({ level: 'silent' }),
      auth: f.g.auth,
    });
    try {
      assert.equal((await http.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
      await readOnly(f.g.databaseUrl, true);
      try {
        const health = await http.inject({ method: 'GET', url: '/healthz' });
        assert.equal(health.statusCode, 503);
        assert.equal((health.json() as { database: string }).database, 'read-only');
        const login = await http.inject({
          method: 'POST',
          url: '/api/v1/auth',
          payload: { username: 'alice', password: f.alice.password },
        });
        assert.equal(login.statusCode, 503);
        assert.equal(
          (login.json() as { error: { code: string } }).error.code,
          'TW_STORE_UNAVAILABLE',
        );
      } finally {
        await readOnly(f.g.databaseUrl, false);
      }
      assert.equal((await http.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    } finally {
      await http.close();
    }
  });
});
