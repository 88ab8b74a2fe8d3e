import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  scryptSync,
  timingSafeEqual,
} from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TokenwardError } from '../core/errors.js';
import { ensureDirectory } from '../fs/ensure-directory.js';

/**
 * The phone's encrypted store of its identity and tokens: one file, `vault`, AES-256-GCM under a
 * key derived from a PIN (scrypt, RFC 7914) or, without a PIN, kept in `vault.key` (0600). A key
 * check value tells a wrong PIN from a damaged file. Writes go to a temporary file that is
 * synced and renamed over `vault`; the version it replaces is kept as `vault.prev`, so a crash at
 * any point leaves a readable vault.
 */
export interface VaultFile<T> {
  /** Undefined when the device has no vault yet. */
  load(): Promise<T | undefined>;
  save(data: T): Promise<void>;
  /** True when the key is a file (no PIN): the caller shows TW_WARN_VAULT_KEYFILE. */
  readonly usesKeyFile: boolean;
}

interface Envelope {
  format: 'tokenward-vault';
  version: 1;
  kdf: { type: 'scrypt'; salt: string; logN: number; r: number; p: number } | { type: 'keyfile' };
  check: string;
  nonce: string;
  data: string;
}

const SCRYPT = { logN: 15, r: 8, p: 1 };
/** A new vault's PIN has at least this many characters (an existing vault keeps its own). */
const MIN_PIN_LENGTH = 6;

export function openVaultFile<T>(dir: string, pin: string | undefined): VaultFile<T> {
  const path = join(dir, 'vault');
  const keyPath = join(dir, 'vault.key');

  const keyFor = async (kdf: Envelope['kdf'], create: boolean): Promise<Buffer> => {
    if (kdf.type === 'scrypt') {
      if (pin === undefined) throw new TokenwardError('TW_VAULT_PIN_REQUIRED');
      const N = 2 ** kdf.logN;
      return scryptSync(pin.normalize('NFC'), Buffer.from(kdf.salt, 'base64'), 32, {
        N,
        r: kdf.r,
        p: kdf.p,
        maxmem: 256 * N * kdf.r,
      });
    }
    if (pin !== undefined) {
      throw new TokenwardError('TW_VAULT_PIN_INVALID', {
        message:
          'This token vault is kept with a key file, not a PIN. Run the command without --pin.',
      });
    }
    if (create) await writeExclusive(keyPath, randomBytes(32).toString('base64'));
    await refuseExposed(keyPath);
    const key = Buffer.from((await readFile(keyPath, 'utf8')).trim(), 'base64');
    if (key.length !== 32)
      throw new TokenwardError('TW_VAULT_CORRUPT', { detail: 'vault.key is not 32 bytes' });
    return key;
  };

  /** Decrypts one vault file's text; a wrong PIN and damage are told apart. */
  const decryptVault = async (text: string): Promise<T> => {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(text) as Envelope;
      if (envelope.format !== 'tokenward-vault' || envelope.version !== 1)
        throw new Error('format');
    } catch (error) {
      throw new TokenwardError('TW_VAULT_CORRUPT', {
        detail: 'not a vault envelope',
        cause: error,
      });
    }
    const key = await keyFor(envelope.kdf, false);
    if (!timingSafeEqualB64(checkValue(key), envelope.check)) {
      if (envelope.kdf.type === 'scrypt') throw new TokenwardError('TW_VAULT_PIN_INVALID');
      throw new TokenwardError('TW_VAULT_CORRUPT', { detail: 'key file does not match' });
    }
    try {
      const data = Buffer.from(envelope.data, 'base64');
      const decipher = createDecipheriv(
        'aes-256-gcm',
        dataKey(key),
        Buffer.from(envelope.nonce, 'base64'),
        { authTagLength: 16 },
      );
      decipher.setAuthTag(data.subarray(data.length - 16));
      const plain = Buffer.concat([
        decipher.update(data.subarray(0, data.length - 16)),
        decipher.final(),
      ]);
      return JSON.parse(plain.toString('utf8')) as T;
    } catch (error) {
      throw new TokenwardError('TW_VAULT_CORRUPT', { detail: 'does not decrypt', cause: error });
    }
  };

  return {
    usesKeyFile: pin === undefined,

    async load() {
      const current = await readIfPresent(path);
      if (current !== undefined) return decryptVault(current);
      // A vault lost between writes (deleted, or a restore that missed it) with its previous
      // version beside it: recover that one, never start an empty vault over it.
      const previous = await readIfPresent(`${path}.prev`);
      if (previous === undefined) return undefined;
      const recovered = await decryptVault(previous);
      await copyFile(`${path}.prev`, path, constants.COPYFILE_EXCL);
      return recovered;
    },

    async save(data) {
      await ensureDirectory(dir, '--device DIR');
      let kdf: Envelope['kdf'];
      try {
        kdf = (JSON.parse(await readFile(path, 'utf8')) as Envelope).kdf;
      } catch {
        if (pin !== undefined && [...pin].length < MIN_PIN_LENGTH) {
          throw new TokenwardError('TW_VAULT_PIN_WEAK');
        }
        kdf =
          pin === undefined
            ? { type: 'keyfile' }
            : { type: 'scrypt', salt: randomBytes(16).toString('base64'), ...SCRYPT };
      }
      const key = await keyFor(kdf, true);
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', dataKey(key), nonce);
      const sealed = Buffer.concat([
        cipher.update(JSON.stringify(data), 'utf8'),
        cipher.final(),
        cipher.getAuthTag(),
      ]);
      const envelope: Envelope = {
        format: 'tokenward-vault',
        version: 1,
        kdf,
        check: checkValue(key),
        nonce: nonce.toString('base64'),
        data: sealed.toString('base64'),
      };
      const temporary = `${path}.${process.pid}.tmp`;
      const handle = await open(temporary, 'w', 0o600);
      try {
        await handle.writeFile(JSON.stringify(envelope));
        await handle.sync();
      } finally {
        await handle.close();
      }
      // Keep the version being replaced, then swap the new one in atomically. With no current
      // vault, the previous one stays as it is.
      const previous = `${path}.prev`;
      if ((await readIfPresent(path)) !== undefined) {
        await unlink(previous).catch(() => undefined);
        await link(path, previous);
      }
      await rename(temporary, path);
      const directory = await open(dir, 'r');
      await directory.sync().finally(() => directory.close());
    },
  };
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    // Nothing there (ENOTDIR: the directory is a file; saving will say so, naming --device).
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function dataKey(key: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'tokenward vault data v1', 32));
}

function checkValue(key: Buffer): string {
  return createHmac('sha256', key)
    .update('tokenward vault check v1')
    .digest()
    .subarray(0, 16)
    .toString('base64');
}

function timingSafeEqualB64(a: string, b: string): boolean {
  const left = Buffer.from(a, 'base64');
  const right = Buffer.from(b, 'base64');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Creates a 0600 file unless it exists (then leaves it alone). */
async function writeExclusive(path: string, content: string): Promise<void> {
  try {
    const handle = await open(
      path,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
      0o600,
    );
    await handle.writeFile(`${content}\n`).finally(() => handle.close());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** A key file others may read is refused, as master.key is: the vault is only as safe as it. */
async function refuseExposed(path: string): Promise<void> {
  const mode = await stat(path).then(
    (found) => found.mode,
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      throw new TokenwardError('TW_VAULT_CORRUPT', {
        message: `${path} is missing: the vault cannot be opened without it. Restore it from your backup.`,
      });
    },
  );
  if ((mode & 0o077) !== 0) {
    throw new TokenwardError('TW_MASTER_KEY_INVALID', {
      message: `${path} is readable by other users. Run: chmod 600 ${path}`,
    });
  }
}
