import { rename, rm, stat } from 'node:fs/promises';
import { TokenwardError } from '../core/errors.js';
import { createAtRestCipher } from '../crypto/at-rest-cipher.js';
import { findMasterKey, writeMasterKey } from '../crypto/master-key.js';
import { ensureDirectory } from '../fs/ensure-directory.js';
import { openSealedStore } from '../store/open-sealed-store.js';
import { decryptBackupBody, openBackupKey, readBackupHeader } from './backup-file.js';
import { checkSealedValues } from './check-sealed-values.js';

export interface RestoreOptions {
  readonly dataDir: string;
  readonly databaseUrl: string;
  readonly masterKeyFromEnvironment?: string | undefined;
  /** The backup file. */
  readonly from: string;
  /** The passphrase of a backup made `--with-master-key`. */
  readonly passphrase?: string | undefined;
  readonly now: () => number;
}

/**
 * `tokenward restore`: a backup into a data directory without a database. The backup must open
 * with the master key there (or carry its own, under the passphrase); the database is written
 * whole or not at all, then opened as a service would and every sealed value checked.
 */
export async function restore(options: RestoreOptions) {
  if (!options.databaseUrl.startsWith('sqlite:')) {
    throw new TokenwardError('TW_BACKUP_ENGINE_UNSUPPORTED');
  }
  const path = options.databaseUrl.slice('sqlite:'.length);
  if (
    await stat(path).then(
      (found) => found.size > 0,
      () => false,
    )
  ) {
    throw new TokenwardError('TW_RESTORE_TARGET_NOT_EMPTY', { data: { field: '--data' } });
  }
  const file = await readBackupHeader(options.from);
  const keyOptions = {
    dataDir: options.dataDir,
    fromEnvironment: options.masterKeyFromEnvironment,
  };
  const present = await findMasterKey(keyOptions);
  const { masterKey, bodyKey } = await openBackupKey(file, {
    masterKey: present,
    passphrase: options.passphrase,
  });
  if (present !== undefined && !Buffer.from(present).equals(Buffer.from(masterKey))) {
    throw new TokenwardError('TW_MASTER_KEY_MISMATCH', {
      message:
        'The backup carries another master key than the one in --data (or TOKENWARD_MASTER_KEY): restore into a directory without a master key, or unset TOKENWARD_MASTER_KEY. Nothing was restored.',
    });
  }
  await ensureDirectory(options.dataDir, '--data DIR');
  const restoring = `${path}.restoring`;
  await rm(restoring, { force: true });
  await decryptBackupBody(file, bodyKey, restoring);
  if (present === undefined) await writeMasterKey(options.dataDir, masterKey);
  await rename(restoring, path);

  const { store } = await openSealedStore({
    ...keyOptions,
    create: false,
    databaseUrl: options.databaseUrl,
    now: options.now(),
  });
  try {
    return {
      createdAt: file.header.createdAt,
      sealed: await checkSealedValues(store, createAtRestCipher(masterKey)),
    };
  } finally {
    await store.close();
  }
}
