import { loginCodeAad } from '../gateway/auth/login-code.js';
import { ldapPasswordAad } from '../gateway/new-ldap-server.js';
import { credentialKey, SETTING_KEYS } from '../gateway/setting-keys.js';
import { sealedValueAad } from '../gateway/token-secrets.js';
import { gatewaySecretAad } from '../provisioner/gateway-session.js';
import { pushCodeAad } from '../provisioner/push-relay.js';
import { tokenSeedAad } from '../provisioner/token-seeds.js';
import { VAPID_AAD, VAPID_KEY } from '../provisioner/web-push.js';
import { KEY_CHECK, REKEY_STATE } from '../store/open-sealed-store.js';
import type { SealedColumn } from '../store/repositories/sealed-value-repository.js';

/** A sealed column and the AAD each of its values was sealed with, from the row's key. */
export interface InventoryColumn extends SealedColumn {
  readonly aad: (key: string) => string;
}

/**
 * Every column that holds values sealed with the master key (DESIGN section 7). A new sealed
 * column must be added here, or `tokenward rekey` would leave it under the old key:
 * test/maintenance/rekey.kill-9.test.ts fails on any sealed value the rotation did not move.
 */
export const SEALED_COLUMNS: readonly InventoryColumn[] = [
  { table: 'fortitokens', key: 'serial', column: 'seedEnc', aad: sealedValueAad.seed },
  {
    table: 'fortitokens',
    key: 'serial',
    column: 'activationCodeEnc',
    aad: sealedValueAad.activationCode,
  },
  { table: 'radiusClients', key: 'name', column: 'secretEnc', aad: sealedValueAad.radiusSecret },
  { table: 'ldapServers', key: 'name', column: 'passwordEnc', aad: ldapPasswordAad },
  { table: 'authSessions', key: 'idHash', column: 'codeEnc', aad: loginCodeAad },
  { table: 'tokens', key: 'serial', column: 'seedEnc', aad: tokenSeedAad },
  { table: 'gateways', key: 'serial', column: 'secretHashEnc', aad: gatewaySecretAad },
  { table: 'pushes', key: 'id', column: 'tokenCode', aad: pushCodeAad },
];

/** The shape of an at-rest value (`v1.<nonce>.<ciphertext+tag>`, at-rest-cipher.ts). */
export const SEALED_SHAPE = /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22,}$/;

/**
 * The AAD of the sealed strings inside a setting's value (the value itself or a field of it),
 * or undefined for a setting that holds none. The key check and the rotation's own state are
 * rewritten by the rotation itself, last.
 */
export function settingAad(key: string): string | undefined {
  if (key.startsWith(credentialKey(''))) return key;
  if (key === SETTING_KEYS.mail) return SETTING_KEYS.mail;
  if (key === VAPID_KEY) return VAPID_AAD;
  return undefined;
}

/** Settings the rotation handles itself. */
export const ROTATION_SETTINGS: readonly string[] = [KEY_CHECK, REKEY_STATE];
