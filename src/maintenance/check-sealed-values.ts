import { TokenwardError } from '../core/errors.js';
import type { AtRestCipher } from '../crypto/at-rest-cipher.js';
import { openSealedStore } from '../store/open-sealed-store.js';
import type { Store } from '../store/store.js';
import { mapSealedStrings, opens, sealedColumnPages, sealedSettings } from './sealed-values.js';

/**
 * Opens every sealed value of the database with the master key (`tokenward check`, after a
 * restore): their count by column, or TW_SEALED_DATA_INVALID naming the first that does not
 * open. Reads only.
 */
export async function checkSealedValues(store: Store, cipher: AtRestCipher) {
  const counts = new Map<string, number>();
  const check = (sealed: string, aad: string, where: string, row?: string) => {
    if (!opens(cipher, sealed, aad)) {
      throw new TokenwardError('TW_SEALED_DATA_INVALID', {
        message: `${where}${row === undefined ? '' : ` of ${row}`} does not open with this master key: the database was restored under another key, or the row was altered.`,
      });
    }
    counts.set(where, (counts.get(where) ?? 0) + 1);
    return sealed;
  };
  for (const { key, value, aad } of await sealedSettings(store)) {
    mapSealedStrings(value, (sealed) => check(sealed, aad, `settings.${key}`));
  }
  for await (const { column, page } of sealedColumnPages(store, 1000)) {
    for (const { key, sealed } of page) {
      check(sealed, column.aad(key), `${column.table}.${column.column}`, key);
    }
  }
  return counts;
}

/** `tokenward check`: opens the database as a service would and checks every sealed value. */
export async function checkDatabase(options: {
  readonly dataDir: string;
  readonly databaseUrl: string;
  readonly masterKeyFromEnvironment?: string | undefined;
  readonly now: number;
}) {
  const { store, cipher } = await openSealedStore({
    dataDir: options.dataDir,
    fromEnvironment: options.masterKeyFromEnvironment,
    create: false,
    databaseUrl: options.databaseUrl,
    now: options.now,
    mustExist: true,
  });
  try {
    return await checkSealedValues(store, cipher);
  } finally {
    await store.close();
  }
}
