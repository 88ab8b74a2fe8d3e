import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createLogger } from '../../src/log/create-logger.js';
import { startProvisionerService } from '../../src/provisioner/service.js';
import { requireComponent } from '../helpers/components.js';

const run = promisify(execFile);
const openssl = await requireComponent('openssl', 'apt-get install openssl');

/** A logger whose JSON lines the test can read. */
function capturedLog() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, log: createLogger({ level: 'info', destination }) };
}

describe('provisioner service', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tokenward-service-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('warns with a code when it listens off loopback without TLS', async () => {
    const { lines, log } = capturedLog();
    const running = await startProvisionerService({
      dataDir: dir,
      databaseUrl: `sqlite:${join(dir, 'plain.db')}`,
      host: '0.0.0.0',
      port: 0,
      log,
    });
    await running.close();
    assert.ok(lines.some((line) => line.code === 'TW_WARN_PLAINTEXT_LISTENER'));
  });

  it('serves HTTPS with the given certificate and key, without the warning', {
    skip: openssl.skip,
  }, async () => {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    const { lines, log } = capturedLog();
    const running = await startProvisionerService({
      dataDir: dir,
      databaseUrl: `sqlite:${join(dir, 'tls.db')}`,
      host: '0.0.0.0',
      port: 0,
      log,
      tlsCertFile: cert,
      tlsKeyFile: key,
    });
    try {
      assert.match(running.url, /^https:\/\//);
      const port = new URL(running.url).port;
      const ca = await readFile(cert);
      const body = await new Promise<string>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path: '/healthz', ca }, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => {
            text += chunk.toString();
          });
          response.on('end', () => resolve(text));
        })
          .on('error', reject)
          .end();
      });
      assert.deepEqual(JSON.parse(body), { status: 'ok', database: 'ok' });
      assert.ok(!lines.some((line) => line.code === 'TW_WARN_PLAINTEXT_LISTENER'));
    } finally {
      await running.close();
    }
  });
});
