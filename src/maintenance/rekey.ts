import { TokenwardError } from '../core/errors.js';
import { createAtRestCipher } from '../crypto/at-rest-cipher.js';
import {
  createNewMasterKey,
  loadMasterKey,
  promoteNewMasterKey,
  readNewMasterKey,
} from '../crypto/master-key.js';
import { KEY_CHECK, opensKeyCheck, REKEY_STATE, sealKeyCheck } from '../store/open-sealed-store.js';
import { createStore } from '../store/store.js';
import { moveSealedValues } from './move-sealed-values.js';

export interface RekeyOptions {
  readonly dataDir: string;
  readonly databaseUrl: string;
  /** TOKENWARD_MASTER_KEY, when the old key comes from the environment. */
  readonly masterKeyFromEnvironment?: string | undefined;
  readonly batchSize: number;
  readonly now: () => number;
  readonly onBatch?: (progress: { readonly where: string; readonly moved: number }) => void;
}

export interface RekeyResult {
  readonly moved: number;
  /** Values found already under the new key (moved by an earlier, interrupted run). */
  readonly already: number;
  /** Where the new key is: master.key, or master.key.new when the old came from the environment. */
  readonly keyPath: string;
  readonly keyInEnvironment: boolean;
}

/**
 * Rotates the master key (`tokenward rekey`): makes `master.key.new`, notes the rotation in the
 * database (no service opens it meanwhile: TW_REKEY_UNFINISHED), re-seals every value under the
 * new key, then in one transaction makes the new key the database's and ends the rotation, and
 * only then moves the new key file over the old one. Killed at any point, run again it goes on.
 */
export async function rekey(options: RekeyOptions): Promise<RekeyResult> {
  const keyInEnvironment = (options.masterKeyFromEnvironment ?? '') !== '';
  const from = createAtRestCipher(
    await loadMasterKey({
      dataDir: options.dataDir,
      fromEnvironment: options.masterKeyFromEnvironment,
      create: false,
    }),
  );
  const store = await createStore(options.databaseUrl, { mustExist: true });
  try {
    const check = await store.settings.get(KEY_CHECK);
    if (check === undefined) {
      throw new TokenwardError('TW_OPTION_INVALID', {
        message:
          'This database holds no sealed secrets yet (no service has opened it): check --data and --db name the database to rotate.',
        data: { field: '--db' },
      });
    }
    let state = rekeyState(await store.settings.get(REKEY_STATE));
    const waiting = await readNewMasterKey(options.dataDir);
    if (
      state === undefined &&
      waiting !== undefined &&
      opensKeyCheck(createAtRestCipher(waiting.key), check)
    ) {
      // Done but for the key file (killed after the last transaction).
      return await finish(0, 0, waiting.path);
    }
    if (!opensKeyCheck(from, check)) throw new TokenwardError('TW_MASTER_KEY_MISMATCH');

    let target = waiting;
    if (state === undefined) {
      // A master.key.new without a rotation noted in the database sealed nothing yet: use it.
      target ??= await createNewMasterKey(options.dataDir);
      state = sealKeyCheck(createAtRestCipher(target.key), REKEY_STATE);
      await store.settings.set(REKEY_STATE, { check: state }, options.now());
    }
    if (
      target === undefined ||
      !opensKeyCheck(createAtRestCipher(target.key), state, REKEY_STATE)
    ) {
      throw new TokenwardError('TW_REKEY_KEY_MISSING');
    }
    const to = createAtRestCipher(target.key);

    const { moved, already } = await moveSealedValues({
      store,
      from,
      to,
      now: options.now,
      batchSize: options.batchSize,
      ...(options.onBatch === undefined ? {} : { onBatch: options.onBatch }),
    });
    await store.transaction(async (trx) => {
      await trx.settings.set(KEY_CHECK, sealKeyCheck(to), options.now());
      await trx.settings.delete(REKEY_STATE);
    });
    return await finish(moved, already, target.path);
  } finally {
    await store.close();
  }

  async function finish(moved: number, already: number, newKeyPath: string): Promise<RekeyResult> {
    const keyPath = keyInEnvironment ? newKeyPath : await promoteNewMasterKey(options.dataDir);
    return { moved, already, keyPath, keyInEnvironment };
  }
}

/** The new key's check value, from the rotation's state setting. */
function rekeyState(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !('check' in value)) return undefined;
  return String(value.check);
}
