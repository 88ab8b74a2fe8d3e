import { TokenwardError } from '../core/errors.js';
import type { AtRestCipher } from '../crypto/at-rest-cipher.js';
import type { Store } from '../store/store.js';
import { mapSealedStrings, opens, sealedColumnPages, sealedSettings } from './sealed-values.js';

export interface MoveSealedValues {
  readonly store: Store;
  /** The key the values are sealed under now. */
  readonly from: AtRestCipher;
  readonly to: AtRestCipher;
  readonly now: () => number;
  /** Values rewritten per transaction. */
  readonly batchSize: number;
  /** Told after each committed batch: where the rotation is. */
  readonly onBatch?: (progress: { readonly where: string; readonly moved: number }) => void;
}

/**
 * Re-seals every sealed value of the database from one key to the other, one transaction per
 * batch. A value that already opens with the new key is left alone, so a rotation killed
 * half-way goes on where it stopped when run again.
 */
export async function moveSealedValues(deps: MoveSealedValues) {
  let moved = 0;
  let already = 0;
  const reseal = (sealed: string, aad: string, where: string): string => {
    if (opens(deps.to, sealed, aad)) {
      already += 1;
      return sealed;
    }
    if (!opens(deps.from, sealed, aad)) {
      throw new TokenwardError('TW_SEALED_DATA_INVALID', {
        message: `${where} opens with neither the old nor the new master key: it was altered or sealed under a third key. Restore that row from a backup, or clear it, and run npx tokenward rekey again.`,
      });
    }
    moved += 1;
    return deps.to.encrypt(deps.from.decrypt(sealed, aad), aad);
  };

  // The settings first: their check stops a rotation this version cannot finish before it starts.
  for (const { key, value, aad } of await sealedSettings(deps.store)) {
    const resealed = mapSealedStrings(value, (sealed) => reseal(sealed, aad, `the setting ${key}`));
    if (resealed !== value) {
      await deps.store.settings.replaceIf(key, value, resealed, deps.now());
      deps.onBatch?.({ where: `settings.${key}`, moved });
    }
  }
  for await (const { column, page } of sealedColumnPages(deps.store, deps.batchSize)) {
    const where = `${column.table}.${column.column}`;
    await deps.store.transaction(async (trx) => {
      for (const { key, sealed } of page) {
        const resealed = reseal(sealed, column.aad(key), `${where} of ${key}`);
        if (resealed !== sealed) await trx.sealedValues.replace(column, key, sealed, resealed);
      }
    });
    deps.onBatch?.({ where, moved });
  }
  return { moved, already };
}
