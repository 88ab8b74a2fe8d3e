import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createAtRestCipher } from '../../src/crypto/at-rest-cipher.js';
import { loadMasterKey } from '../../src/crypto/master-key.js';
import { assertRejectsCode, assertThrowsCode } from '../helpers/assert-code.js';

const directories: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tokenward-key-'));
  directories.push(dir);
  return dir;
};
after(() => Promise.all(directories.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('master key', () => {
  it('is created once as a 0600 file and read back the same', async () => {
    const dataDir = await tempDir();
    const first = await loadMasterKey({ dataDir });
    assert.equal((await stat(join(dataDir, 'master.key'))).mode & 0o777, 0o600);
    assert.deepEqual(await loadMasterKey({ dataDir }), first);
    assert.equal(first.length, 32);
  });

  it('is the same for processes that start at once', async () => {
    const dataDir = await tempDir();
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadMasterKey({ dataDir })));
    for (const key of keys) assert.deepEqual(key, keys[0]);
  });

  it('comes from TOKENWARD_MASTER_KEY (base64 or hex) when set', async () => {
    const dataDir = await tempDir();
    const hex = 'ab'.repeat(32);
    assert.deepEqual(
      await loadMasterKey({ dataDir, fromEnvironment: hex }),
      Buffer.from(hex, 'hex'),
    );
    const b64 = Buffer.alloc(32, 3).toString('base64');
    assert.deepEqual(await loadMasterKey({ dataDir, fromEnvironment: b64 }), Buffer.alloc(32, 3));
    await assertRejectsCode(
      loadMasterKey({ dataDir, fromEnvironment: 'c2hvcnQ=' }),
      'TW_MASTER_KEY_INVALID',
    );
  });

  it('is refused when other users can read it', async () => {
    const dataDir = await tempDir();
    await loadMasterKey({ dataDir });
    await chmod(join(dataDir, 'master.key'), 0o644);
    await assertRejectsCode(loadMasterKey({ dataDir }), 'TW_MASTER_KEY_INVALID');
  });

  it('is refused when the file is not 32 bytes', async () => {
    const dataDir = await tempDir();
    await writeFile(join(dataDir, 'master.key'), 'too short\n', { mode: 0o600 });
    await assertRejectsCode(loadMasterKey({ dataDir }), 'TW_MASTER_KEY_INVALID');
    assert.equal(await readFile(join(dataDir, 'master.key'), 'utf8'), 'too short\n');
  });
});

describe('at-rest cipher', () => {
  const cipher = createAtRestCipher(Buffer.alloc(32, 1));
  const seed = Buffer.from('12345678901234567890');

  it('decrypts what it encrypted for the same row', () => {
    const value = cipher.encrypt(seed, 'token-seed:TWMOB0123456789A');
    assert.match(value, /^v1\.[\w-]+\.[\w-]+$/);
    assert.deepEqual(Buffer.from(cipher.decrypt(value, 'token-seed:TWMOB0123456789A')), seed);
  });

  it('refuses another master key, another row, and altered text', () => {
    const value = cipher.encrypt(seed, 'token-seed:A');
    const other = createAtRestCipher(Buffer.alloc(32, 2));
    assertThrowsCode(() => other.decrypt(value, 'token-seed:A'), 'TW_SEALED_DATA_INVALID');
    assertThrowsCode(() => cipher.decrypt(value, 'token-seed:B'), 'TW_SEALED_DATA_INVALID');
    const altered = value.slice(0, -2) + (value.endsWith('A') ? 'B' : 'A') + value.slice(-1);
    assertThrowsCode(() => cipher.decrypt(altered, 'token-seed:A'), 'TW_SEALED_DATA_INVALID');
    assertThrowsCode(() => cipher.decrypt('plain text', 'token-seed:A'), 'TW_SEALED_DATA_INVALID');
  });
});
