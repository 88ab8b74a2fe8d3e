import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import parsePrometheusTextFormat, { type PrometheusFamily } from 'parse-prometheus-text-format';
import { TOKEN_STATES } from '../../src/core/token-state.js';
import { startGatewayService } from '../../src/gateway/service.js';
import { createLogger } from '../../src/log/create-logger.js';
import { buildAccessRequest } from '../../src/protocol/radius/radius-client.js';
import { engines } from '../helpers/databases.js';
import {
  type GatewayHarness,
  startGatewayHarness,
  type TokenUser,
} from '../helpers/gateway-harness.js';
import { pendingPushes } from '../helpers/pushes.js';
import { radclient, radclientComponent } from '../helpers/radclient.js';

const SECRET = 'radius-shared-secret-metrics';
const SCRAPE_TOKEN = 'scrape-token-for-the-metrics-test';

/** The samples of one metric family, each as labels and value. */
function samples(families: PrometheusFamily[], name: string) {
  const family = families.find((f) => f.name === name);
  return (family?.metrics ?? []).map((m) => ({
    labels: m.labels ?? {},
    value: Number(m.value),
  }));
}

/** The sum of a family's samples that carry these labels. */
function total(
  families: PrometheusFamily[],
  name: string,
  labels: Record<string, string> = {},
): number {
  const matching = samples(families, name).filter((s) =>
    Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  );
  return matching.reduce((sum, s) => sum + s.value, 0);
}

for (const { engine, skip } of engines) {
  describe(`gateway /metrics [${engine}]`, { skip: skip || radclientComponent.skip }, () => {
    let g: GatewayHarness;
    let alice: TokenUser;
    let service: Awaited<ReturnType<typeof startGatewayService>>;
    let radiusPort: number;

    const scrape = async () => {
      const response = await fetch(`${service.httpUrl}/metrics`, {
        headers: { authorization: `Bearer ${SCRAPE_TOKEN}` },
      });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      return parsePrometheusTextFormat(await response.text());
    };
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${service.httpUrl}/api/v1${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await response.json()) as { result: string; session_id?: string };
    };
    const radius = (username: string, password: string) =>
      // A long timeout: radclient retransmits only if the gateway takes 30 s.
      radclient(
        radiusPort,
        SECRET,
        [
          `User-Name = "${username}"`,
          `User-Password = "${password}"`,
          'Message-Authenticator = 0x00',
        ],
        { timeoutSeconds: 30 },
      );

    before(async () => {
      g = await startGatewayHarness(engine);
      alice = await g.tokenUser('alice');
      await g.gateway.addUser({
        name: 'carol',
        password: 'battery-staple-9',
        twoFactor: 'disable',
      });
      await g.gateway.saveRadiusClient({ name: 'vpn', address: '127.0.0.1', secret: SECRET });
      service = await startGatewayService({
        gateway: g.gateway,
        auth: g.auth,
        log: createLogger({ level: 'silent' }),
        metrics: g.metrics,
        metricsToken: SCRAPE_TOKEN,
        http: { host: '127.0.0.1', port: 0 },
        radius: { host: '127.0.0.1', port: 0 },
        onPollFailed: () => undefined,
      });
      radiusPort = service.radius?.port ?? 0;
    });
    after(async () => {
      await service?.close();
      await g?.close();
    });

    it('counts every login decision exactly as the auth log has it', async () => {
      // A mix over both front ends: accepted, refused, challenged, by code and by push.
      assert.equal(
        (await post('/auth', { username: 'carol', password: 'battery-staple-9' })).result,
        'accept',
      );
      assert.equal(
        (await post('/auth', { username: 'carol', password: 'wrong' })).result,
        'reject',
      );
      await post('/auth', { username: 'nobody', password: 'wrong' });
      const byCode = await post('/auth', { username: 'alice', password: alice.password });
      assert.equal(byCode.result, 'challenge');
      await post('/auth/otp', { session_id: byCode.session_id, code: await alice.code() });
      const byPush = await post('/auth', { username: 'alice', password: alice.password });
      const waiting = post('/auth/push', { session_id: byPush.session_id });
      const [push] = await pendingPushes(alice.phone);
      await alice.phone.answerPush(push.pushId, 'approve');
      assert.equal((await waiting).result, 'accept');
      assert.equal((await radius('carol', 'battery-staple-9')).type, 'Access-Accept');
      assert.equal((await radius('carol', 'also-wrong')).type, 'Access-Reject');
      assert.equal((await radius('alice', alice.password)).type, 'Access-Challenge');

      const families = await scrape();
      const entries = await g.store.authLog.list({ limit: 1000 });
      const expected = new Map<string, number>();
      for (const entry of entries) {
        const reason = entry.reason.split(/[:,]/)[0] ?? '';
        const key = [entry.result, entry.frontEnd, entry.method, reason].join('|');
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
      const counted = new Map(
        samples(families, 'tokenward_logins_total').map(({ labels, value }) => [
          [labels.result, labels.front_end, labels.method, labels.reason].join('|'),
          value,
        ]),
      );
      assert.deepEqual(counted, expected);
      assert.equal(entries.length, 10);
      // The parser loses a histogram's labels (prom-client writes `le` first): read its
      // counts from the registry.
      const durations = (await g.metrics.registry.getMetricsAsJSON()).find(
        (metric) => metric.name === 'tokenward_login_duration_seconds',
      );
      const observed = (durations?.values ?? []).filter(
        (v) => 'metricName' in v && String(v.metricName).endsWith('_count'),
      );
      assert.equal(
        observed.reduce((sum, v) => sum + v.value, 0),
        entries.length,
      );
      assert.equal(total(families, 'tokenward_pushes_total', { outcome: 'sent' }), 1);
      assert.equal(total(families, 'tokenward_pushes_total', { outcome: 'approved' }), 1);
    });

    it('counts RADIUS datagrams: each decided, answered again from the cache, or dropped', async () => {
      const before = await scrape();
      const socket = createSocket('udp4');
      try {
        const answers: Buffer[] = [];
        socket.on('message', (datagram) => answers.push(datagram));
        const { datagram } = buildAccessRequest({
          identifier: 7,
          secret: SECRET,
          username: 'carol',
          password: 'battery-staple-9',
        });
        const send = async (bytes: Buffer, replies: number) => {
          await new Promise<void>((resolve, reject) =>
            socket.send(bytes, radiusPort, '127.0.0.1', (error) =>
              error ? reject(error) : resolve(),
            ),
          );
          const deadline = Date.now() + 20_000;
          while (answers.length < replies) {
            assert.ok(Date.now() < deadline, `${answers.length} of ${replies} answers`);
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        };
        await send(datagram, 1);
        await send(datagram, 2);
        assert.deepEqual(answers[1], answers[0], 'the retransmission gets the same answer');
        await send(Buffer.from('not a RADIUS packet'), 2);
      } finally {
        socket.close();
      }
      const deadline = Date.now() + 20_000;
      let after = await scrape();
      while (
        total(after, 'tokenward_radius_dropped_total') ===
        total(before, 'tokenward_radius_dropped_total')
      ) {
        assert.ok(Date.now() < deadline, 'the malformed datagram is counted as dropped');
        after = await scrape();
      }
      const delta = (name: string, labels?: Record<string, string>) =>
        total(after, name, labels) - total(before, name, labels);
      assert.equal(delta('tokenward_radius_requests_total'), 3);
      assert.equal(delta('tokenward_radius_retransmissions_total'), 1);
      assert.equal(delta('tokenward_radius_dropped_total', { reason: 'malformed' }), 1);
      assert.equal(delta('tokenward_logins_total', { front_end: 'radius' }), 1);

      // Every datagram so far: a decision in the auth log, a retransmission or a drop.
      const radiusLogins = (await g.store.authLog.list({ limit: 1000 })).filter(
        (entry) => entry.frontEnd === 'radius',
      ).length;
      assert.equal(
        total(after, 'tokenward_radius_requests_total'),
        radiusLogins +
          total(after, 'tokenward_radius_retransmissions_total') +
          total(after, 'tokenward_radius_dropped_total'),
      );
    });

    it('reads tokens by state, licence seats, the store and the poll loop at each scrape', async () => {
      const deadline = Date.now() + 20_000;
      let families = await scrape();
      while (total(families, 'tokenward_poll_rounds_total', { result: 'ok' }) === 0) {
        assert.ok(Date.now() < deadline, 'a poll round is counted');
        families = await scrape();
      }
      assert.ok(total(families, 'tokenward_poll_last_success_timestamp_seconds') > 0);
      const tokens = await g.store.fortitokens.list();
      assert.ok(
        tokens.some((token) => token.state === 'provisioned'),
        "alice's token",
      );
      for (const state of TOKEN_STATES) {
        assert.equal(
          total(families, 'tokenward_tokens', { state }),
          tokens.filter((token) => token.state === state).length,
          state,
        );
      }
      assert.equal(total(families, 'tokenward_licence_seats'), tokens.length);
      assert.equal(total(families, 'tokenward_licence_seats', { seat: 'used' }), 1, "alice's");
      assert.equal(total(families, 'tokenward_store_up'), 1);
      assert.ok(total(families, 'tokenward_process_resident_memory_bytes') > 0);
    });

    it('answers 401 without the bearer token, or with a wrong one', async () => {
      for (const headers of [
        {},
        { authorization: 'Bearer not-the-token' },
        { authorization: SCRAPE_TOKEN },
      ]) {
        const response = await fetch(`${service.httpUrl}/metrics`, { headers });
        assert.equal(response.status, 401);
        assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer /);
        const body = (await response.json()) as { error?: { code?: string; message?: string } };
        assert.equal(body.error?.code, 'TW_AUTH_REJECTED');
        assert.doesNotMatch(JSON.stringify(body), new RegExp(SCRAPE_TOKEN));
      }
    });
  });
}
