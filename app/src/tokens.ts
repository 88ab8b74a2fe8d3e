import type { MobileResponses } from '../../src/protocol/softtoken/responses.js';
import { fromBase64 } from './bytes.js';
import { readAll, remove, write } from './database.js';
import { type DeviceRecord, OS_VER, ProvisionerError, sendMobile } from './device.js';
import { type OtpAlgorithm, openSeedAsKeys } from './seed.js';

/** A token as this phone keeps it: the seed only as non-extractable HMAC keys. */
export interface TokenRecord {
  readonly serial: string;
  readonly label: string;
  readonly algorithm: OtpAlgorithm;
  readonly digits: number;
  readonly period: number;
  /** HMAC with the token's hash: the codes. */
  readonly key: CryptoKey;
  /** HMAC-SHA256 with the same seed: the proof of a push reply (DESIGN section 5). */
  readonly proofKey: CryptoKey;
  readonly activatedAt: number;
  /** `moved`: the provisioner no longer has it on this phone (moved to another, or revoked). */
  readonly status: 'active' | 'moved';
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * An activation code as a person types it: any case, spaces or dashes anywhere. Undefined when
 * it cannot be one (16 base32 characters); the provisioner checks the rest.
 */
export function normaliseCode(input: string): string | undefined {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  return code.length === 16 && [...code].every((c) => BASE32.includes(c)) ? code : undefined;
}

/** Whether a code's header (its first byte, 0x02) says it is a transfer from another phone. */
function isTransferCode(code: string): boolean {
  const first = (BASE32.indexOf(code[0] ?? 'A') << 3) | (BASE32.indexOf(code[1] ?? 'A') >> 2);
  return first === 0x02;
}

export const listTokens = (db: IDBDatabase) => readAll<TokenRecord>(db, 'tokens');
export const removeToken = (db: IDBDatabase, serial: string) => remove(db, 'tokens', serial);

/**
 * Activates a token with an activation or transfer code: MobileProvision with this phone's
 * public keys, the sealed seed opened into keys, the record stored. Refusals are ProvisionerErrors.
 */
export async function activateToken(
  db: IDBDatabase,
  device: DeviceRecord,
  code: string,
): Promise<TokenRecord> {
  const answer = (await sendMobile(db, device, 'MobileProvision', {
    ...(isTransferCode(code) ? { transfer_code: code } : { activation_code: code }),
    identity_key: device.identityPublic,
    sealing_key: device.sealingPublic,
    mobile_device_version: OS_VER,
  })) as MobileResponses['MobileProvision'];
  const { token: serial, seed, algorithm, digits, period } = answer;
  if (serial === undefined || seed === undefined || algorithm === undefined) {
    throw new ProvisionerError('TW_PROTOCOL_MALFORMED', 'The token server sent no token.');
  }
  const keys = await openSeedAsKeys({
    sealed: seed,
    serial,
    registrationId: device.registrationId,
    sealing: device.sealing,
    sealingPublic: fromBase64(device.sealingPublic),
    algorithm,
  });
  const token: TokenRecord = {
    serial,
    label: answer.label ?? serial,
    algorithm,
    digits: digits ?? 6,
    period: period ?? 30,
    ...keys,
    activatedAt: Date.now(),
    status: 'active',
  };
  await write(db, 'tokens', token);
  return token;
}

/** Marks the tokens the provisioner no longer lists for this phone as moved. */
export async function reconcileTokens(
  db: IDBDatabase,
  onPhone: readonly string[],
): Promise<boolean> {
  let changed = false;
  for (const token of await listTokens(db)) {
    if (token.status === 'active' && !onPhone.includes(token.serial)) {
      await write(db, 'tokens', { ...token, status: 'moved' });
      changed = true;
    }
  }
  return changed;
}
