import { TokenwardError } from '../core/errors.js';
import { type AtRestCipher, createAtRestCipher } from '../crypto/at-rest-cipher.js';
import {
  type LoadMasterKeyOptions,
  loadMasterKey,
  readNewMasterKey,
} from '../crypto/master-key.js';
import { ensureDirectory } from '../fs/ensure-directory.js';
import { type CreateStoreOptions, createStore, type Store } from './store.js';

/** A value sealed with the master key the first node brought; every later node must open it. */
export const KEY_CHECK = 'store.master-key-check';
const KEY_CHECK_TEXT = 'tokenward master key check v1';
/** Present while `tokenward rekey` runs: the new key's own check value. */
export const REKEY_STATE = 'store.rekey';

/** The key check sealed under `cipher`, bound to the setting `aad` it is kept in. */
export const sealKeyCheck = (cipher: AtRestCipher, aad = KEY_CHECK) =>
  cipher.encrypt(Buffer.from(KEY_CHECK_TEXT), aad);

/** Whether `sealed` is a key check made by `cipher`. */
export function opensKeyCheck(cipher: AtRestCipher, sealed: unknown, aad = KEY_CHECK): boolean {
  try {
    return Buffer.from(cipher.decrypt(String(sealed), aad)).toString() === KEY_CHECK_TEXT;
  } catch {
    return false;
  }
}

/**
 * Opens the store with the master key its secrets are sealed under: loads the key (file or
 * TOKENWARD_MASTER_KEY), opens and migrates the database, and refuses a key other than the one
 * the database was first opened with (a second node with its own new `master.key` would
 * otherwise fail on every sealed row, one login at a time), and a database whose key rotation
 * has not finished.
 */
export async function openSealedStore(
  options: LoadMasterKeyOptions & {
    readonly databaseUrl: string;
    readonly now: number;
  } & CreateStoreOptions,
): Promise<{ store: Store; cipher: AtRestCipher }> {
  // The data directory holds the master key file and the default SQLite file.
  if (options.create !== false) await ensureDirectory(options.dataDir, '--data DIR');
  const cipher = createAtRestCipher(await loadMasterKey(options));
  const store = await createStore(options.databaseUrl, options);
  try {
    if ((await store.settings.get(REKEY_STATE)) !== undefined) {
      throw new TokenwardError('TW_REKEY_UNFINISHED');
    }
    await store.settings.setIfAbsent(KEY_CHECK, sealKeyCheck(cipher), options.now);
    const sealed = await store.settings.get(KEY_CHECK);
    if (!opensKeyCheck(cipher, sealed)) {
      const rotated = await readNewMasterKey(options.dataDir);
      if (rotated !== undefined && opensKeyCheck(createAtRestCipher(rotated.key), sealed)) {
        throw new TokenwardError('TW_MASTER_KEY_MISMATCH', {
          message: `The master key was rotated (tokenward rekey) and the new key is in ${rotated.path}. Set TOKENWARD_MASTER_KEY on every node to it and delete the file, or run npx tokenward rekey again to move it to master.key.`,
        });
      }
      throw new TokenwardError('TW_MASTER_KEY_MISMATCH');
    }
    return { store, cipher };
  } catch (error) {
    await store.close();
    throw error;
  }
}
