import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoginContext } from '../../src/gateway/auth/auth-outcome.js';
import { buildGatewayServer } from '../../src/gateway/http/server.js';
import { createLogger } from '../../src/log/create-logger.js';
import { engines } from '../helpers/databases.js';
import { gatewayWithAlice } from '../helpers/gateway-harness.js';

const viaNas = (client: string): LoginContext => ({
  frontEnd: 'radius',
  client,
  sourceIp: '10.0.0.9',
});
const viaHttp: LoginContext = { frontEnd: 'http', sourceIp: '203.0.113.1' };

// Threat: a login session opened through one front end finished through another: a RADIUS State
// answered over the HTTP API (which has no shared secret), or a State from one NAS answered by a
// packet from another.
for (const { engine, skip } of engines) {
  describe(`login sessions are bound to their front end and client [${engine}]`, { skip }, () => {
    const f = gatewayWithAlice(engine);
    const nextStep = () => {
      f.g.clock.advance(60_000);
      f.alice.phoneClock.advance(60_000);
    };
    const answer = async (opened: LoginContext, answered: LoginContext) => {
      nextStep();
      const challenge = await f.g.challenge(f.alice, opened);
      return f.g.auth.answerCode(challenge.sessionId, await f.alice.code(), {
        username: 'alice',
        context: answered,
      });
    };

    it('refuses a RADIUS session answered over HTTP, and an HTTP one answered over RADIUS', async () => {
      for (const [opened, answered] of [
        [viaNas('vpn1'), viaHttp],
        [viaHttp, viaNas('vpn1')],
        [viaNas('vpn1'), { frontEnd: 'cli' } as const],
      ] as const) {
        const outcome = await answer(opened, answered);
        assert.equal(outcome.result, 'reject');
        assert.equal(outcome.reason, 'session-binding-mismatch');
      }
    });

    it('refuses a session opened through one RADIUS client and answered from another', async () => {
      const outcome = await answer(viaNas('vpn1'), viaNas('vpn2'));
      assert.equal(outcome.reason, 'session-binding-mismatch');
    });

    it('accepts the answer through the same front end and client', async () => {
      assert.equal((await answer(viaNas('vpn1'), viaNas('vpn1'))).result, 'accept');
      assert.equal((await answer(viaHttp, viaHttp)).result, 'accept');
    });

    it('refuses a RADIUS State posted to the HTTP login API', async () => {
      nextStep();
      const challenge = await f.g.challenge(f.alice, viaNas('vpn1'));
      const http = buildGatewayServer({
        gateway: f.g.gateway,
        log: createLogger({ level: 'silent' }),
        auth: f.g.auth,
      });
      const response = await http.inject({
        method: 'POST',
        url: '/api/v1/auth/otp',
        payload: { session_id: challenge.sessionId, code: await f.alice.code() },
      });
      await http.close();
      assert.equal(response.statusCode, 401);
      const [entry] = await f.g.store.authLog.list({ username: 'alice', limit: 1 });
      assert.equal(entry?.reason, 'session-binding-mismatch');
    });
  });
}
