import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TokenwardError } from '../core/errors.js';
import { loadMasterKey } from '../crypto/master-key.js';
import { openSealedStore } from '../store/open-sealed-store.js';
import { writeBackupFile } from './backup-file.js';

export interface BackupOptions {
  readonly dataDir: string;
  readonly databaseUrl: string;
  readonly masterKeyFromEnvironment?: string | undefined;
  /** The backup file to make; never overwritten. */
  readonly out: string;
  /** Carry the master key inside, sealed under this passphrase (`--with-master-key`). */
  readonly passphrase?: string | undefined;
  readonly now: () => number;
}

/**
 * `tokenward backup`: a consistent snapshot of the SQLite database taken while the services run
 * (`VACUUM INTO`), encrypted into one file. Without a passphrase the file opens only with the
 * master key, which stays out of it.
 */
export async function backup(options: BackupOptions): Promise<{ readonly bytes: number }> {
  if (!options.databaseUrl.startsWith('sqlite:')) {
    throw new TokenwardError('TW_BACKUP_ENGINE_UNSUPPORTED');
  }
  if (
    await stat(options.out).then(
      () => true,
      () => false,
    )
  ) {
    throw new TokenwardError('TW_OPTION_INVALID', {
      message: `${options.out} exists: a backup never overwrites a file. Give --out a new name.`,
      data: { field: '--out' },
    });
  }
  const keyOptions = {
    dataDir: options.dataDir,
    fromEnvironment: options.masterKeyFromEnvironment,
    create: false,
  };
  const masterKey = await loadMasterKey(keyOptions);
  // Opened as a service would: the key must be the database's, and no rotation half-done.
  const { store } = await openSealedStore({
    ...keyOptions,
    databaseUrl: options.databaseUrl,
    now: options.now(),
    mustExist: true,
  });
  // In the data directory, private (0600), as the database itself: it is the database, in clear.
  const snapshot = join(options.dataDir, `backup-${randomBytes(6).toString('hex')}.snapshot`);
  try {
    await (
      await open(snapshot, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600)
    ).close();
    await store.snapshotTo(snapshot);
    await writeBackupFile(
      snapshot,
      options.out,
      { masterKey, passphrase: options.passphrase },
      options.now(),
    );
  } finally {
    await rm(snapshot, { force: true });
    await store.close();
  }
  return { bytes: (await stat(options.out)).size };
}
