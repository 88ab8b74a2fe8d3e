import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** PEM files of a test CA and a server certificate it signed. */
export interface TestCertificates {
  readonly caPath: string;
  readonly certPath: string;
  readonly keyPath: string;
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/**
 * A CA made with openssl in `dir` (P-256, two days) and a certificate it signed for `host` (an
 * IP address of 127.0.0.0/8): what a TLS test's server presents and its client trusts.
 */
export async function makeTestCertificates(
  dir: string,
  host = '127.0.0.1',
  name = 'ca',
): Promise<TestCertificates> {
  const file = (part: string) => join(dir, `${name}-${part}`);
  await run('openssl', [
    'req',
    '-x509',
    ...EC_KEY,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
  ]);
  await run('openssl', [
    'req',
    ...EC_KEY,
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
    '-subj',
    `/CN=${host}`,
  ]);
  await writeFile(file('san.ext'), `subjectAltName=IP:${host}\n`);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.pem'),
    '-days',
    '2',
    '-extfile',
    file('san.ext'),
  ]);
  return {
    caPath: file('ca.pem'),
    certPath: file('server.pem'),
    keyPath: file('server.key'),
    ca: await readFile(file('ca.pem'), 'utf8'),
    cert: await readFile(file('server.pem'), 'utf8'),
    key: await readFile(file('server.key'), 'utf8'),
  };
}
