/**
 * The settings table's keys that are not FortiOS single-valued settings (those are
 * `gateway-settings.ts`): one place, so no two modules spell a key differently.
 */
export const SETTING_KEYS = {
  /** The mail server activation and login codes go through (password sealed). */
  mail: 'system.email-server',
  /** The SMS webhook. */
  sms: 'system.sms-server',
  /** How the last exchange with the token server went, for `diagnose` and /healthz. */
  tokenServerStatus: 'gateway.token-server-status',
  /** Prefix of each gateway node's sealed provisioner credential, by serial. */
  credentialPrefix: 'gateway.credential.',
} as const;

export const credentialKey = (serial: string) => SETTING_KEYS.credentialPrefix + serial;
