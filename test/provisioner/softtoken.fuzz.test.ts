import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { signGatewayRequest } from '../../src/crypto/gateway-signature.js';
import type { Store } from '../../src/store/store.js';
import { engines } from '../helpers/databases.js';
import {
  type ProvisionerHarness,
  startProvisionerHarness,
  type TestGateway,
} from '../helpers/provisioner-harness.js';
import { importTrial } from '../helpers/provisioning-flows.js';

const CASES = 10_000;
const CONCURRENCY = 8;

type Json = Record<string, unknown>;

/** A valid message of each type (naming no token or push that exists), to break field by field. */
function validMessages(
  gateway: string,
  regId: string,
): { endpoint: 'Process' | 'Mobile'; message: Json }[] {
  const base = {
    __version: '4',
    serial_number: gateway,
    __device_version: '7.4',
    __device_build: '2573',
    __clustered_sns: [{ sn: gateway }],
  };
  const mobile = {
    __version: '4',
    registration_id: regId,
    timestamp: Math.floor(Date.now() / 1000),
    signature: `${'A'.repeat(86)}==`,
  };
  const key = `${'A'.repeat(43)}=`;
  return [
    {
      endpoint: 'Process',
      message: {
        __type: 'SoftToken.LicenseImportRequest',
        ...base,
        code: '1234-5678-9ABC-DEF0-1234',
      },
    },
    {
      endpoint: 'Process',
      message: {
        __type: 'SoftToken.ProvisionRequest',
        ...base,
        tokens: [{ token: 'TWMOB00000000000', expire_hours: 72, label: 'a@b' }],
      },
    },
    {
      endpoint: 'Process',
      message: {
        __type: 'SoftToken.PollingRequest',
        ...base,
        tokens: [{ token: 'TWMOB00000000000', seed_version: 1 }],
      },
    },
    {
      endpoint: 'Process',
      message: {
        __type: 'SoftToken.RevokeRequest',
        ...base,
        tokens: [{ token: 'TWMOB00000000000' }],
      },
    },
    {
      endpoint: 'Process',
      message: {
        __type: 'SoftToken.PushRequest',
        ...base,
        token: 'TWMOB00000000000',
        session_id: 's',
        context: {
          username: 'u',
          user_ip: '1.2.3.4',
          user_agent: 'a',
          realm: 'r',
          timestamp: 1,
          log_message: 'm',
        },
        number: 5,
        ttl: 60,
      },
    },
    {
      endpoint: 'Process',
      message: { __type: 'SoftToken.PushStatusRequest', ...base, push_ids: ['nope'], wait: 0 },
    },
    {
      endpoint: 'Mobile',
      message: {
        __type: 'SoftToken.MobileProvisionRequest',
        ...mobile,
        activation_code: 'AEHQAAAAAAAAAAAA',
        identity_key: key,
        sealing_key: key,
        mobile_device_version: '1.0.0_CLI',
      },
    },
    {
      endpoint: 'Mobile',
      message: { __type: 'SoftToken.MobilePushPollRequest', ...mobile, wait: 0 },
    },
    {
      endpoint: 'Mobile',
      message: {
        __type: 'SoftToken.MobilePushReplyRequest',
        ...mobile,
        push_id: 'p',
        token: 'TWMOB00000000000',
        action: 'approve',
        token_code: '123456',
        number: 1,
        hmac: key,
      },
    },
    {
      endpoint: 'Mobile',
      message: { __type: 'SoftToken.MobileTransferRequest', ...mobile, token: 'TWMOB00000000000' },
    },
  ];
}

/** Every path to a value in `value`, e.g. ['tokens', 0, 'token']. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries = Array.isArray(value)
    ? value.map((v, i) => [i, v] as const)
    : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => paths(child, [...prefix, key]))];
}

function replaced(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as Json) }) as Json;
  const key = String(head);
  if (rest.length === 0 && replacement === undefined) delete copy[key];
  else copy[key] = replaced(copy[key], rest, replacement);
  return copy;
}

async function snapshot(store: Store): Promise<string> {
  const rows = await Promise.all([
    store.clusters.list(),
    store.gateways.list().then((all) => all.map(({ lastSeenAt: _seen, ...rest }) => rest)),
    store.licences.list(),
    store.tokens.list(),
    store.auditLog.list({ limit: 10_000 }),
    // Less the row /healthz writes to prove the store takes writes (the test asks it).
    store.settings.all().then((all) => [...all].filter(([key]) => key !== 'store.health-probe')),
  ]);
  return JSON.stringify(rows);
}

for (const { engine, skip } of engines) {
  describe(`SoftToken endpoints under fuzzing [${engine}]`, { skip }, () => {
    let h: ProvisionerHarness;
    let gateway: TestGateway;
    before(async () => {
      h = await startProvisionerHarness(engine);
      gateway = await h.enrolGateway('FGT60F0000000001');
      await importTrial(gateway);
    });
    after(() => h?.close());

    it(`answers ${CASES} hostile requests with a coded result 0 or a 4xx, never a 5xx, and changes nothing`, async () => {
      const before = await snapshot(h.store);
      const messages = validMessages(gateway.serial, 'a'.repeat(64));
      const mutation = fc
        .record({
          index: fc.nat(messages.length - 1),
          pick: fc.nat(),
          value: fc.oneof(fc.jsonValue(), fc.constant(undefined)),
        })
        .map(({ index, pick, value }) => {
          const { endpoint, message } = messages[index] ?? {
            endpoint: 'Process' as const,
            message: {},
          };
          const all = paths(message).filter((p) => p.length > 0);
          const path = all[pick % all.length] ?? [];
          return { endpoint, body: JSON.stringify({ d: replaced(message, path, value) }) };
        });
      const anyEndpoint = fc.constantFrom('Process' as const, 'Mobile' as const);
      const request = fc.oneof(
        { weight: 6, arbitrary: mutation },
        {
          weight: 2,
          arbitrary: fc.record({
            endpoint: anyEndpoint,
            body: fc.jsonValue().map((v) => JSON.stringify({ d: v })),
          }),
        },
        {
          weight: 2,
          arbitrary: fc.record({
            endpoint: anyEndpoint,
            body: fc.jsonValue().map((v) => JSON.stringify(v)),
          }),
        },
        {
          weight: 2,
          arbitrary: fc.record({
            endpoint: anyEndpoint,
            body: fc.uint8Array({ maxLength: 1024 }).map((b) => Buffer.from(b)),
          }),
        },
        {
          weight: 1,
          arbitrary: fc.record({
            endpoint: anyEndpoint,
            body: fc
              .integer({ min: 1, max: 120_000 })
              .map((n) => `{"d":${'['.repeat(n)}${']'.repeat(n)}}`),
          }),
        },
        {
          weight: 1,
          arbitrary: fc.record({
            endpoint: anyEndpoint,
            body: fc
              .integer({ min: 1, max: 40_000 })
              .map((n) => `{"d":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`),
          }),
        },
      );
      const cases = [
        ...fc.sample(request, CASES),
        { endpoint: 'Process' as const, body: `{"d":"${'x'.repeat(300 * 1024)}"}` },
        { endpoint: 'Mobile' as const, body: Buffer.alloc(5 * 1024 * 1024, 0x7b) },
      ];

      const failures: string[] = [];
      const send = async ({
        endpoint,
        body,
      }: {
        endpoint: 'Process' | 'Mobile';
        body: string | Buffer;
      }) => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (endpoint === 'Process') {
          headers.authorization = signGatewayRequest({
            serial: gateway.serial,
            secret: gateway.secret,
            body,
            now: h.clock.now,
          });
        }
        const response = await fetch(new URL(`/SoftToken/Provisioning.asmx/${endpoint}`, h.url), {
          method: 'POST',
          headers,
          body,
        });
        const text = await response.text();
        let d: { result?: unknown; error?: { code?: unknown } | null } | undefined;
        try {
          d = (JSON.parse(text) as { d?: typeof d }).d;
        } catch {
          d = undefined;
        }
        const coded =
          d?.result === 0 && typeof d.error?.code === 'string' && d.error.code.startsWith('TW_');
        // A mutation can land on a valid, harmless request (an empty poll): that may succeed.
        const valid = response.status === 200 && (d?.result === 1 || d?.result === 2);
        if (response.status >= 500 || !(coded || valid)) {
          failures.push(
            `${response.status} ${text.slice(0, 200)} <- ${String(body).slice(0, 200)}`,
          );
        }
      };
      for (let start = 0; start < cases.length; start += CONCURRENCY) {
        await Promise.all(cases.slice(start, start + CONCURRENCY).map(send));
      }
      assert.deepEqual(failures.slice(0, 5), []);
      assert.equal((await fetch(new URL('/healthz', h.url))).status, 200, 'still serving');
      assert.equal(await snapshot(h.store), before, 'the store is unchanged');
    });
  });
}
