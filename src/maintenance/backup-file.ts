import {
  createCipheriv,
  createDecipheriv,
  hkdfSync,
  randomBytes,
  scrypt as scryptCallback,
} from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { TokenwardError } from '../core/errors.js';
import { createAtRestCipher } from '../crypto/at-rest-cipher.js';

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  length: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

const FORMAT = 'tokenward-backup';
const KEY_CHECK_TEXT = 'tokenward backup key check v1';
const KEY_CHECK_AAD = 'tokenward-backup-key-check';
const MASTER_KEY_AAD = 'tokenward-backup-master-key';
const TAG_LENGTH = 16;
const HEADER_LIMIT = 4096;
// scrypt at 2^15 x 8 (RFC 7914 section 2): about 100 ms and 32 MiB, once per backup or restore.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/**
 * The first line of a backup file (JSON); the rest is the SQLite file encrypted with AES-256-GCM
 * under the file key, this line as the AAD, and the 16-byte tag at the end. The file key is
 * derived from the master key (HKDF, RFC 5869), or with `--with-master-key` from a passphrase
 * (scrypt), the master key then sealed in `masterKey`.
 */
interface BackupHeader {
  readonly format: typeof FORMAT;
  readonly version: 1;
  readonly createdAt: string;
  readonly kdf: 'hkdf-master-key' | 'scrypt-passphrase';
  readonly salt: string;
  readonly nonce: string;
  readonly keyCheck: string;
  readonly masterKey?: string;
}

/** What the file key is made from: the master key, or a passphrase (the key then inside). */
export interface BackupKey {
  readonly masterKey: Uint8Array;
  readonly passphrase?: string | undefined;
}

async function fileKey(
  kdf: BackupHeader['kdf'],
  salt: Buffer,
  secret: { readonly masterKey?: Uint8Array | undefined; readonly passphrase?: string | undefined },
): Promise<Buffer> {
  if (kdf === 'scrypt-passphrase') return scrypt(secret.passphrase ?? '', salt, 32, SCRYPT);
  return Buffer.from(
    hkdfSync('sha256', secret.masterKey ?? new Uint8Array(), salt, 'tokenward backup v1', 32),
  );
}

/** Encrypts the snapshot at `source` into the new file `out` (mode 0600, on disk when done). */
export async function writeBackupFile(source: string, out: string, key: BackupKey, now: number) {
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const kdf = key.passphrase === undefined ? 'hkdf-master-key' : 'scrypt-passphrase';
  const bodyKey = await fileKey(kdf, salt, key);
  const sealer = createAtRestCipher(bodyKey);
  const header: BackupHeader = {
    format: FORMAT,
    version: 1,
    createdAt: new Date(now).toISOString(),
    kdf,
    salt: salt.toString('base64'),
    nonce: nonce.toString('base64'),
    keyCheck: sealer.encrypt(Buffer.from(KEY_CHECK_TEXT), KEY_CHECK_AAD),
    ...(key.passphrase === undefined
      ? {}
      : { masterKey: sealer.encrypt(key.masterKey, MASTER_KEY_AAD) }),
  };
  const line = Buffer.from(`${JSON.stringify(header)}\n`);
  const cipher = createCipheriv('aes-256-gcm', bodyKey, nonce).setAAD(line);
  const handle = await open(
    out,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
    0o600,
  ).catch((error: NodeJS.ErrnoException) => {
    throw new TokenwardError('TW_OPTION_INVALID', {
      message: `Cannot write ${out} (${error.code}): check that its directory exists and is writable, and that no file has that name.`,
      data: { field: '--out' },
    });
  });
  try {
    await handle.write(line);
    for await (const chunk of createReadStream(source)) await handle.write(cipher.update(chunk));
    await handle.write(cipher.final());
    await handle.write(cipher.getAuthTag());
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(out, { force: true });
    throw error;
  }
  await handle.close();
}

/** A backup file's header and where its body lies, or TW_BACKUP_INVALID. */
export async function readBackupHeader(path: string) {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new TokenwardError('TW_OPTION_INVALID', {
      message: `Cannot read ${path} (${error.code}). Check --from.`,
      data: { field: '--from' },
    });
  });
  try {
    const { size } = await handle.stat();
    const start = Buffer.alloc(Math.min(HEADER_LIMIT, size));
    await handle.read(start, 0, start.length, 0);
    const end = start.indexOf(0x0a);
    const header = end < 0 ? undefined : parseHeader(start.subarray(0, end).toString());
    if (header === undefined || size <= end + 1 + TAG_LENGTH) {
      throw new TokenwardError('TW_BACKUP_INVALID');
    }
    const tag = Buffer.alloc(TAG_LENGTH);
    await handle.read(tag, 0, TAG_LENGTH, size - TAG_LENGTH);
    return {
      path,
      header,
      line: start.subarray(0, end + 1),
      bodyStart: end + 1,
      bodyEnd: size - TAG_LENGTH,
      tag,
    };
  } finally {
    await handle.close();
  }
}

export type BackupFile = Awaited<ReturnType<typeof readBackupHeader>>;

/**
 * The master key the backup opens with: the given one (TW_MASTER_KEY_MISMATCH if the backup was
 * made under another), or the one sealed inside under the passphrase.
 */
export async function openBackupKey(
  file: BackupFile,
  given: { readonly masterKey?: Uint8Array | undefined; readonly passphrase?: string | undefined },
): Promise<{ readonly masterKey: Uint8Array; readonly bodyKey: Buffer }> {
  const { header } = file;
  if (header.kdf === 'scrypt-passphrase' && given.passphrase === undefined) {
    throw new TokenwardError('TW_SECRET_STDIN_REQUIRED', {
      message:
        'This backup carries its master key under a passphrase: give it on standard input with --passphrase-stdin.',
      data: { field: '--passphrase-stdin' },
    });
  }
  if (header.kdf === 'hkdf-master-key' && given.masterKey === undefined) {
    throw new TokenwardError('TW_MASTER_KEY_INVALID', {
      message:
        'This backup opens with the master key of the gateway it was made on: copy that master.key (mode 0600) into the new --data directory, or set TOKENWARD_MASTER_KEY.',
    });
  }
  const bodyKey = await fileKey(header.kdf, Buffer.from(header.salt, 'base64'), given);
  const opener = createAtRestCipher(bodyKey);
  try {
    opener.decrypt(header.keyCheck, KEY_CHECK_AAD);
  } catch {
    if (header.kdf === 'scrypt-passphrase') throw new TokenwardError('TW_BACKUP_PASSPHRASE_WRONG');
    throw new TokenwardError('TW_MASTER_KEY_MISMATCH', {
      message:
        'This backup was made under another master key than the one in --data (or TOKENWARD_MASTER_KEY): copy the master.key of the gateway the backup was made on. Nothing was restored.',
    });
  }
  const masterKey =
    header.masterKey === undefined
      ? given.masterKey
      : opener.decrypt(header.masterKey, MASTER_KEY_AAD);
  if (masterKey === undefined) throw new TokenwardError('TW_BACKUP_INVALID');
  return { masterKey, bodyKey };
}

/** Decrypts the body into the new file `out`; a body that does not authenticate leaves nothing. */
export async function decryptBackupBody(
  file: BackupFile,
  bodyKey: Buffer,
  out: string,
): Promise<void> {
  const decipher = createDecipheriv(
    'aes-256-gcm',
    bodyKey,
    Buffer.from(file.header.nonce, 'base64'),
    {
      authTagLength: TAG_LENGTH,
    },
  )
    .setAAD(file.line)
    .setAuthTag(file.tag);
  const handle = await open(out, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    const encrypted = createReadStream(file.path, { start: file.bodyStart, end: file.bodyEnd - 1 });
    for await (const chunk of encrypted) await handle.write(decipher.update(chunk));
    // Throws unless the tag authenticates the whole body and the header line.
    await handle.write(decipher.final());
    await handle.sync();
    await handle.close();
  } catch (error) {
    await handle.close();
    await rm(out, { force: true });
    if (error instanceof TokenwardError) throw error;
    throw new TokenwardError('TW_BACKUP_INVALID', { cause: error });
  }
}

function parseHeader(text: string): BackupHeader | undefined {
  try {
    const header = JSON.parse(text) as Partial<BackupHeader>;
    const strings = [header.salt, header.nonce, header.keyCheck, header.createdAt];
    if (
      header.format !== FORMAT ||
      header.version !== 1 ||
      (header.kdf !== 'hkdf-master-key' && header.kdf !== 'scrypt-passphrase') ||
      strings.some((value) => typeof value !== 'string') ||
      (header.masterKey !== undefined && typeof header.masterKey !== 'string')
    ) {
      return undefined;
    }
    return header as BackupHeader;
  } catch {
    return undefined;
  }
}
