import assert from 'node:assert/strict';
import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  hkdfSync,
  randomBytes,
  verify,
} from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { requireComponent } from '../helpers/components.js';
import { engines } from '../helpers/databases.js';
import {
  type ProvisionerHarness,
  startProvisionerHarness,
  type TestGateway,
  type TestPhone,
} from '../helpers/provisioner-harness.js';
import { okEntries } from '../helpers/softtoken-entries.js';
import { makeTestCertificates } from '../helpers/test-ca.js';

const openssl = await requireComponent('openssl', 'apt-get install openssl');
const SUBJECT = 'mailto:security@example.com';

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** One request the push service received. */
interface Delivery {
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/**
 * Opens an aes128gcm Web Push message (RFC 8291 section 3.4, RFC 8188 section 2) with the
 * browser's private key and auth secret, as the browser would.
 */
function decryptWebPush(
  body: Buffer,
  browser: { ecdh: ReturnType<typeof createECDH>; auth: Buffer },
): { plaintext: string; serverKey: Buffer } {
  const salt = body.subarray(0, 16);
  const idLength = body[20] ?? 0;
  const serverKey = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  const shared = browser.ecdh.computeSecret(serverKey);
  const keyInfo = Buffer.concat([
    Buffer.from('WebPush: info\0'),
    browser.ecdh.getPublicKey(),
    serverKey,
  ]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, browser.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, 'Content-Encoding: aes128gcm\0', 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, 'Content-Encoding: nonce\0', 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([
    decipher.update(record.subarray(0, record.length - 16)),
    decipher.final(),
  ]);
  // The last record ends with the delimiter 0x02, then zero padding (RFC 8188 section 2).
  let end = padded.length - 1;
  while (end > 0 && padded[end] === 0) end--;
  assert.equal(padded[end], 2, 'the padding delimiter of the last record');
  return { plaintext: padded.subarray(0, end).toString('utf8'), serverKey };
}

/** Checks the VAPID header (RFC 8292 section 2): an ES256 JWT for the push service's origin. */
function verifyVapid(authorization: string, audience: string, now: number) {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization);
  assert.ok(match, `a VAPID Authorization header: ${authorization}`);
  const [, jwt = '', key = ''] = match;
  const [header = '', claims = '', signature = ''] = jwt.split('.');
  const raw = Buffer.from(key, 'base64url');
  const publicKey = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: b64url(raw.subarray(1, 33)),
      y: b64url(raw.subarray(33, 65)),
    },
    format: 'jwk',
  });
  assert.ok(
    verify(
      'sha256',
      Buffer.from(`${header}.${claims}`),
      { key: publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    ),
    'the JWT is signed by the key in k=',
  );
  assert.deepEqual(JSON.parse(Buffer.from(header, 'base64url').toString()), {
    typ: 'JWT',
    alg: 'ES256',
  });
  const body = JSON.parse(Buffer.from(claims, 'base64url').toString()) as {
    aud: string;
    exp: number;
    sub: string;
  };
  assert.equal(body.aud, audience);
  assert.equal(body.sub, SUBJECT);
  assert.ok(body.exp * 1000 > now && body.exp * 1000 <= now + 24 * 3_600_000, 'exp within 24 h');
  return key;
}

// Web Push to a closed phone app: the provisioner announces a waiting push to the push service
// of the browser's subscription, the payload readable only with the browser's keys (RFC 8291)
// and the request signed with the provisioner's VAPID key (RFC 8292). The push service here is
// the test's own HTTPS server; the browser's subscription keys are made here too.
for (const { engine, skip } of engines) {
  describe(`Web Push to the phone app [${engine}]`, { skip: skip || openssl.skip }, () => {
    let dir: string;
    let service: Server;
    let serviceUrl: string;
    let h: ProvisionerHarness;
    let gateway: TestGateway;
    let phone: TestPhone;
    let serial: string;
    const deliveries: Delivery[] = [];
    const waiters: (() => void)[] = [];
    let answerStatus = 201;
    const browser = { ecdh: createECDH('prime256v1'), auth: randomBytes(16) };
    browser.ecdh.generateKeys();

    const nextDelivery = async (count: number) => {
      const deadline = performance.now() + 15_000;
      while (deliveries.length < count) {
        if (performance.now() > deadline) throw new Error('no Web Push arrived within 15 s');
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 500).unref();
        });
      }
      return deliveries[count - 1] as Delivery;
    };
    const push = () =>
      gateway.client.send('Push', {
        token: serial,
        session_id: randomBytes(8).toString('hex'),
        context: {
          username: 'alice',
          user_ip: '198.51.100.7',
          user_agent: 'vpn',
          realm: 'FGT60F0000000001',
          timestamp: Math.floor(Date.now() / 1000),
          log_message: 'vpn login as alice',
        },
      });

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'tokenward-web-push-'));
      const tls = await makeTestCertificates(dir);
      service = createServer({ key: tls.key, cert: tls.cert }, (request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          deliveries.push({
            path: request.url ?? '',
            headers: request.headers,
            body: Buffer.concat(chunks),
          });
          response.writeHead(answerStatus).end();
          for (const wake of waiters.splice(0)) wake();
        });
      });
      await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
      serviceUrl = `https://127.0.0.1:${(service.address() as AddressInfo).port}`;
      h = await startProvisionerHarness(engine, undefined, {
        realTime: true,
        webPush: { subject: SUBJECT, agent: new Agent({ ca: tls.ca }) },
      });
      gateway = await h.enrolGateway('FGT60F0000000001');
      const pack = await h.provisioner.admin.createLicence({ tokens: 1 }, h.clock.now);
      const imported = await gateway.client.send('LicenseImport', { code: pack.code });
      serial = imported.d.tokens?.[0]?.token ?? '';
      const provisioned = await gateway.client.send('Provision', { tokens: [{ token: serial }] });
      phone = h.newPhone('1.0.0_PWA');
      await phone.activate(okEntries(provisioned.d.tokens)[0]?.activation_code ?? '');
    });
    after(async () => {
      await h?.close();
      await new Promise<void>((resolve) => service?.close(() => resolve()));
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    });

    it('refuses a subscription whose endpoint is not https', async () => {
      const answer = await phone.client.send('MobilePushSubscribe', {
        subscription: {
          endpoint: 'http://127.0.0.1:1/push',
          keys: { p256dh: b64url(browser.ecdh.getPublicKey()), auth: b64url(browser.auth) },
        },
      });
      assert.equal(answer.d.result, 0);
      assert.equal(answer.d.error?.code, 'TW_MESSAGE_INVALID');
    });

    it('announces a push to the subscribed browser: encrypted to its keys, VAPID-signed', async () => {
      const subscribed = await phone.client.send('MobilePushSubscribe', {
        subscription: {
          endpoint: `${serviceUrl}/push/browser-1`,
          keys: { p256dh: b64url(browser.ecdh.getPublicKey()), auth: b64url(browser.auth) },
        },
      });
      assert.equal(subscribed.d.subscribed, true);
      const created = await push();
      const delivery = await nextDelivery(1);
      assert.equal(delivery.path, '/push/browser-1');
      assert.equal(delivery.headers['content-encoding'], 'aes128gcm');
      assert.equal(delivery.headers.ttl, '60');
      assert.equal(delivery.headers.urgency, 'high');
      const key = verifyVapid(String(delivery.headers.authorization), serviceUrl, Date.now());
      const published = (await (await fetch(`${h.url}/app/push-key`)).json()) as {
        vapid_public_key: string;
      };
      assert.equal(key, published.vapid_public_key, 'the key the app subscribes with');
      const { plaintext } = decryptWebPush(delivery.body, browser);
      assert.deepEqual(JSON.parse(plaintext), {
        push_id: created.d.push_id,
        token: serial,
        username: 'alice',
        user_ip: '198.51.100.7',
        application: 'vpn',
      });
      assert.ok(!delivery.body.includes(Buffer.from('alice')), 'nothing readable on the way');
    });

    it('forgets a subscription the push service says is gone, and keeps the push for the app', async () => {
      answerStatus = 410;
      const created = await push();
      await nextDelivery(2);
      const deadline = performance.now() + 10_000;
      while ((await h.store.devices.find(phone.regId))?.webPush != null) {
        if (performance.now() > deadline) throw new Error('the subscription was kept');
        await new Promise((resolve) => setImmediate(resolve));
      }
      const polled = await phone.client.send('MobilePushPoll', { wait: 0 });
      assert.ok(polled.d.pushes?.some((p) => p.push_id === created.d.push_id));
      answerStatus = 201;
    });
  });
}
