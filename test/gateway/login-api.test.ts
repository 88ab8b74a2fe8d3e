import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { buildGatewayServer } from '../../src/gateway/http/server.js';
import { createLogger } from '../../src/log/create-logger.js';
import { engines } from '../helpers/databases.js';
import {
  type GatewayHarness,
  startGatewayHarness,
  type TokenUser,
} from '../helpers/gateway-harness.js';
import { pendingPushes } from '../helpers/pushes.js';

interface Answer {
  result: 'accept' | 'reject' | 'challenge' | 'error';
  username?: string;
  session_id?: string;
  methods?: string[];
  message?: string;
  expires?: number;
  error?: { code: string; message: string };
}

for (const { engine, skip } of engines) {
  describe(`HTTP login API [${engine}]`, { skip }, () => {
    let g: GatewayHarness;
    let alice: TokenUser;
    let app: ReturnType<typeof buildGatewayServer>;
    let base: string;

    before(async () => {
      g = await startGatewayHarness(engine);
      alice = await g.tokenUser('alice');
      await g.gateway.addUser({
        name: 'carol',
        password: 'battery-staple-9',
        twoFactor: 'disable',
      });
      app = buildGatewayServer({
        gateway: g.gateway,
        log: createLogger({ level: 'silent' }),
        auth: g.auth,
      });
      await app.listen({ host: '127.0.0.1', port: 0 });
      base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1`;
    });
    after(async () => {
      await app?.close();
      await g?.close();
    });

    const post = async (path: string, body: unknown) => {
      const response = await fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Answer };
    };
    const challenge = async () => {
      const started = await post('/auth', {
        username: 'alice',
        password: alice.password,
        source_ip: '198.51.100.4',
        application: 'Wiki',
      });
      assert.equal(started.status, 200);
      assert.equal(started.body.result, 'challenge');
      return started.body;
    };

    it('answers challenge, then accept for the code; the session id then no longer works', async () => {
      const started = await challenge();
      assert.deepEqual(started.methods, ['otp', 'push']);
      assert.match(started.session_id ?? '', /^[A-Za-z0-9_-]{32}$/);
      assert.ok((started.expires ?? 0) * 1000 > Date.now());
      const code = await alice.code();
      const accepted = await post('/auth/otp', { session_id: started.session_id, code });
      assert.deepEqual(accepted, {
        status: 200,
        body: { result: 'accept', username: 'alice', groups: [] },
      });

      const reused = await post('/auth/otp', { session_id: started.session_id, code });
      assert.equal(reused.status, 401);
      assert.equal(reused.body.error?.code, 'TW_AUTH_REJECTED');
      const [entry] = await g.store.authLog.list({ limit: 1 });
      assert.equal(entry?.reason, 'session-invalid');
    });

    it('accepts a user without two-factor at once', async () => {
      const accepted = await post('/auth', { username: 'carol', password: 'battery-staple-9' });
      assert.deepEqual(accepted, {
        status: 200,
        body: { result: 'accept', username: 'carol', groups: [] },
      });
    });

    it('answers every refusal alike: 401 TW_AUTH_REJECTED', async () => {
      const wrong = await post('/auth', { username: 'carol', password: 'nope' });
      const unknown = await post('/auth', { username: 'nobody', password: 'nope' });
      assert.equal(wrong.status, 401);
      assert.deepEqual(wrong, unknown);
      assert.equal(wrong.body.error?.code, 'TW_AUTH_REJECTED');
      await g.gateway.unlockUser('carol');
    });

    it('waits for the phone on /auth/push and accepts the approval', async () => {
      const started = await challenge();
      const waiting = post('/auth/push', { session_id: started.session_id });
      const [push] = await pendingPushes(alice.phone);
      assert.deepEqual([push.context.user_ip, push.context.user_agent], ['198.51.100.4', 'Wiki']);
      await alice.phone.answerPush(push.pushId, 'approve');
      assert.deepEqual(await waiting, {
        status: 200,
        body: { result: 'accept', username: 'alice', groups: [] },
      });
    });

    it('refuses malformed bodies with TW_INPUT_INVALID, naming the field', async () => {
      for (const [path, body] of [
        ['/auth', { username: 'alice' }],
        ['/auth', { username: 'alice', password: 'x', extra: 1 }],
        ['/auth/otp', { session_id: 'x' }],
        ['/auth/push', {}],
        ['/auth', 'not an object'],
      ] as const) {
        const refused = await post(path, body);
        assert.equal(refused.status, 400, `${path} ${JSON.stringify(body)}`);
        assert.equal(refused.body.error?.code, 'TW_INPUT_INVALID');
      }
      const missing = await post('/auth', { username: 'alice' });
      assert.match(missing.body.error?.message ?? '', /password/);
    });

    it('answers a broken JSON body with 400, not a stack trace', async () => {
      const response = await fetch(`${base}/auth`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"username": ',
      });
      assert.equal(response.status, 400);
      const body = (await response.json()) as Answer;
      assert.equal(body.error?.code, 'TW_INPUT_INVALID');
      assert.ok(!JSON.stringify(body).includes('at '), 'no stack');
    });
  });
}
