import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type AllInOne, startAllInOne } from '../../src/all-in-one/all-in-one.js';
import { loadTlsFiles } from '../../src/http/tls-files.js';
import { createLogger } from '../../src/log/create-logger.js';
import { assertRejectsCode } from '../helpers/assert-code.js';
import { makeTestCertificates, type TestCertificates } from '../helpers/test-ca.js';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

// Threat: the console's session cookie or an admin's password crossing the network in clear.
// With --tls-cert and --tls-key the gateway's listener speaks HTTPS only, marks the cookie
// Secure and tells browsers (HSTS) never to come back over HTTP.
describe('console over HTTPS', () => {
  let root: string;
  let certificates: TestCertificates;
  let running: AllInOne;
  const call = (method: string, path: string, headers: Record<string, string>, body?: string) =>
    new Promise<Answer>((resolve, reject) => {
      const url = new URL(path, running.httpUrl);
      request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method,
          headers,
          ca: certificates.ca,
        },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => {
            text += chunk.toString();
          });
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }),
          );
        },
      )
        .on('error', reject)
        .end(body);
    });

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'tokenward-console-https-'));
    certificates = await makeTestCertificates(root);
    const local = { host: '127.0.0.1', port: 0 };
    running = await startAllInOne({
      dataDir: join(root, 'data'),
      databaseUrl: `sqlite:${join(root, 'data', 'tokenward.db')}`,
      provisioner: local,
      http: local,
      radius: local,
      log: createLogger({ level: 'silent' }),
      httpTls: { cert: Buffer.from(certificates.cert), key: Buffer.from(certificates.key) },
    });
  });
  after(async () => {
    await running?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('signs in over HTTPS with a Secure cookie and sends HSTS', async () => {
    assert.match(running.httpUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
    const page = await call('GET', '/', {});
    assert.equal(page.status, 200);
    assert.equal(page.headers['strict-transport-security'], 'max-age=31536000');
    const signedIn = await call(
      'POST',
      '/console/api/session',
      { 'content-type': 'application/json' },
      JSON.stringify({ user: 'admin', password: running.firstRun?.adminPassword ?? '' }),
    );
    assert.equal(signedIn.status, 200, signedIn.body);
    const cookie = String(signedIn.headers['set-cookie']);
    assert.match(cookie, /; Secure/);
    assert.match(cookie, /; HttpOnly;.*SameSite=Strict/);
    const session = await call('GET', '/console/api/session', {
      cookie: cookie.split(';')[0] ?? '',
    });
    assert.equal(JSON.parse(session.body).user, 'admin');
  });

  it('refuses plain HTTP on the same port', async () => {
    const plain = await fetch(`${running.httpUrl.replace('https:', 'http:')}/healthz`).then(
      (response) => response.status,
      () => 'refused',
    );
    assert.notEqual(plain, 200);
  });

  it('names the missing half of a certificate and key pair', async () => {
    await assertRejectsCode(loadTlsFiles({ certFile: certificates.certPath }), 'TW_TLS_INCOMPLETE');
    await assertRejectsCode(
      loadTlsFiles({ certFile: join(root, 'none.pem'), keyFile: certificates.keyPath }),
      'TW_FILE_UNREADABLE',
    );
  });
});
