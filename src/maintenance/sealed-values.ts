import { TokenwardError } from '../core/errors.js';
import type { AtRestCipher } from '../crypto/at-rest-cipher.js';
import type { SealedValue } from '../store/repositories/sealed-value-repository.js';
import type { Store } from '../store/store.js';
import {
  type InventoryColumn,
  ROTATION_SETTINGS,
  SEALED_COLUMNS,
  SEALED_SHAPE,
  settingAad,
} from './sealed-inventory.js';

/** Each page of each sealed column, in key order (the walk of a rotation and of a check). */
export async function* sealedColumnPages(
  store: Store,
  batchSize: number,
): AsyncGenerator<{ readonly column: InventoryColumn; readonly page: SealedValue[] }> {
  for (const column of SEALED_COLUMNS) {
    let after: string | undefined;
    for (;;) {
      const page = await store.sealedValues.page(column, after, batchSize);
      const last = page.at(-1);
      if (last === undefined) break;
      yield { column, page };
      after = last.key;
    }
  }
}

/**
 * The settings that hold sealed strings, with the AAD they are sealed with. One the inventory
 * does not know is TW_SEALED_DATA_INVALID: a walk that skipped it would leave it behind.
 */
export async function sealedSettings(store: Store) {
  const found: { readonly key: string; readonly value: unknown; readonly aad: string }[] = [];
  for (const [key, value] of await store.settings.all()) {
    if (ROTATION_SETTINGS.includes(key) || !holdsSealed(value)) continue;
    const aad = settingAad(key);
    if (aad === undefined) {
      throw new TokenwardError('TW_SEALED_DATA_INVALID', {
        message: `The setting ${key} holds a sealed value this version of Tokenward does not know; nothing was changed. Upgrade Tokenward, then try again.`,
      });
    }
    found.push({ key, value, aad });
  }
  return found;
}

export function opens(cipher: AtRestCipher, sealed: string, aad: string): boolean {
  try {
    cipher.decrypt(sealed, aad);
    return true;
  } catch {
    return false;
  }
}

function holdsSealed(value: unknown): boolean {
  let found = false;
  mapSealedStrings(value, (sealed) => {
    found = true;
    return sealed;
  });
  return found;
}

/** `value` with each sealed string in it (at any depth) mapped; the same object if none changed. */
export function mapSealedStrings(value: unknown, map: (sealed: string) => string): unknown {
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
