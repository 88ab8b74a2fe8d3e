import { TokenwardError } from '../core/errors.js';
import type { AtRestCipher } from '../crypto/at-rest-cipher.js';
import type { Store } from '../store/store.js';
import { ROTATION_SETTINGS, SEALED_COLUMNS, SEALED_SHAPE, settingAad } from './sealed-inventory.js';

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
  const reseal = (sealed: string, aad: string, where: string): string | undefined => {
    if (opens(deps.to, sealed, aad)) {
      already += 1;
      return undefined;
    }
    if (!opens(deps.from, sealed, aad)) {
      throw new TokenwardError('TW_SEALED_DATA_INVALID', {
        message: `${where} opens with neither the old nor the new master key: it was altered or sealed under a third key. Restore that row from a backup, or clear it, and run npx tokenward rekey again.`,
      });
    }
    moved += 1;
    return deps.to.encrypt(deps.from.decrypt(sealed, aad), aad);
  };

  for (const column of SEALED_COLUMNS) {
    const name = `${column.table}.${column.column}`;
    let after: string | undefined;
    for (;;) {
      const page = await deps.store.sealedValues.page(column, after, deps.batchSize);
      const last = page.at(-1);
      if (last === undefined) break;
      await deps.store.transaction(async (trx) => {
        for (const { key, sealed } of page) {
          const resealed = reseal(sealed, column.aad(key), `${name} of ${key}`);
          if (resealed !== undefined) await trx.sealedValues.replace(column, key, sealed, resealed);
        }
      });
      after = last.key;
      deps.onBatch?.({ where: name, moved });
    }
  }

  for (const [key, value] of await deps.store.settings.all()) {
    if (ROTATION_SETTINGS.includes(key)) continue;
    const aad = settingAad(key);
    const resealed = mapSealedStrings(value, (sealed) => {
      if (aad === undefined) {
        throw new TokenwardError('TW_SEALED_DATA_INVALID', {
          message: `The setting ${key} holds a sealed value this version does not know how to move; nothing of it was changed. Upgrade Tokenward, then run npx tokenward rekey again.`,
        });
      }
      return reseal(sealed, aad, `the setting ${key}`) ?? sealed;
    });
    if (resealed !== value) {
      await deps.store.settings.replaceIf(key, value, resealed, deps.now());
      deps.onBatch?.({ where: `settings.${key}`, moved });
    }
  }
  return { moved, already };
}

function opens(cipher: AtRestCipher, sealed: string, aad: string): boolean {
  try {
    cipher.decrypt(sealed, aad);
    return true;
  } catch {
    return false;
  }
}

/** `value` with each sealed string in it (at any depth) replaced; the same object if none was. */
function mapSealedStrings(value: unknown, map: (sealed: string) => string): unknown {
  if (typeof value === 'string') return SEALED_SHAPE.test(value) ? map(value) : value;
  if (Array.isArray(value)) {
    const mapped = value.map((item) => mapSealedStrings(item, map));
    return mapped.some((item, index) => item !== value[index]) ? mapped : value;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    const mapped = entries.map(([key, item]) => [key, mapSealedStrings(item, map)] as const);
    return mapped.some(([, item], index) => item !== entries[index]?.[1])
      ? Object.fromEntries(mapped)
      : value;
  }
  return value;
}
