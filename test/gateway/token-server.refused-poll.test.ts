import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTokenwardError } from '../../src/core/errors.js';
import { buildGatewayServer } from '../../src/gateway/http/server.js';
import { createLogger } from '../../src/log/create-logger.js';
import { gatewayWithAlice } from '../helpers/gateway-harness.js';

// Threat: a gateway the token server refuses (its clock 400 s off) that says all is well:
// "Polled 3 tokens; 0 changed.", exit 0, `reachable`, while no activation can ever complete.
describe('refused polls are told, not swallowed', () => {
  const fixture = gatewayWithAlice('sqlite');

  it('fails the poll with the refusal, says by how much the clock is off, and shows it in diagnose and /healthz', async () => {
    const { g } = fixture;
    g.clock.advance(400_000);
    try {
      await assert.rejects(g.gateway.poll({ all: true }), (error: unknown) => {
        assert.ok(isTokenwardError(error, 'TW_GATEWAY_AUTH_STALE'), String(error));
        const skew = Number(error.data?.skew_seconds);
        assert.ok(skew >= 399 && skew <= 401, `skew ${skew}`);
        assert.match(error.message, /clock is \d+ s ahead of the token server's/);
        return true;
      });
      const info = await g.gateway.diagnose();
      assert.match(
        info,
        /\nToken server status: unreachable\nToken server refused this gateway: TW_GATEWAY_AUTH_STALE: /,
      );
      const http = buildGatewayServer({
        gateway: g.gateway,
        log: createLogger({ level: 'silent' }),
      });
      const health = (await http.inject({ method: 'GET', url: '/healthz' })).json() as Record<
        string,
        unknown
      >;
      assert.equal(health.status, 'degraded');
      assert.equal(health.token_server, 'refused');
      assert.equal((health.token_server_error as { code: string }).code, 'TW_GATEWAY_AUTH_STALE');
      await http.close();
    } finally {
      g.clock.advance(-400_000);
    }
    await g.gateway.poll({ all: true });
    assert.match(await g.gateway.diagnose(), /Token server status: reachable$/);
  });
});
