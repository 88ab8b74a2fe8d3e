import { TokenwardError } from '../core/errors.js';
import { type AtRestCipher, createAtRestCipher } from '../crypto/at-rest-cipher.js';
import { type LoadMasterKeyOptions, loadMasterKey } from '../crypto/master-key.js';
import { ensureDirectory } from '../fs/ensure-directory.js';
import { type CreateStoreOptions, createStore, type Store } from './store.js';

/** A value sealed with the master key the first node brought; every later node must open it. */
const KEY_CHECK = 'store.master-key-check';
const KEY_CHECK_TEXT = 'tokenward master key check v1';

/**
 * Opens the store with the master key its secrets are sealed under: loads the key (file or
 * TOKENWARD_MASTER_KEY), opens and migrates the database, and refuses a key other than the one
 * the database was first opened with (a second node with its own new `master.key` would
 * otherwise fail on every sealed row, one login at a time).
 */
export async function openSealedStore(
  options: LoadMasterKeyOptions & {
    readonly databaseUrl: string;
    readonly now: number;
  } & CreateStoreOptions,
): Promise<{ store: Store; cipher: AtRestCipher }> {
  // The data directory holds the master key file and the default SQLite file.
  await ensureDirectory(options.dataDir, '--data DIR');
  const cipher = createAtRestCipher(await loadMasterKey(options));
  const store = await createStore(options.databaseUrl, options);
  try {
    await store.settings.setIfAbsent(
      KEY_CHECK,
      cipher.encrypt(Buffer.from(KEY_CHECK_TEXT), KEY_CHECK),
      options.now,
    );
    const sealed = String(await store.settings.get(KEY_CHECK));
    try {
      cipher.decrypt(sealed, KEY_CHECK);
    } catch {
      throw new TokenwardError('TW_MASTER_KEY_MISMATCH');
    }
    return { store, cipher };
  } catch (error) {
    await store.close();
    throw error;
  }
}
