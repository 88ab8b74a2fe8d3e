import type { Store } from '../store/store.js';

/** A gateway setting: a whole number in a range, or one of a few words. */
export type SettingSpec =
  | { readonly fallback: number; readonly min: number; readonly max: number }
  | { readonly fallback: string; readonly choices: readonly string[] };

const toggle = (fallback: 'enable' | 'disable') =>
  ({ fallback, choices: ['enable', 'disable'] }) as const;

/**
 * The gateway's single-valued settings, by FortiOS path and name, with defaults and limits
 * (DESIGN section 6). Stored in the settings table as `<path>.<name>`.
 */
export const GATEWAY_SETTINGS = {
  'system global': {
    /** Hours an activation code works. */
    'two-factor-ftm-expiry': { fallback: 72, min: 1, max: 168 },
    /** Seconds an e-mailed or texted login code works. */
    'two-factor-email-expiry': { fallback: 60, min: 30, max: 300 },
    'two-factor-sms-expiry': { fallback: 60, min: 30, max: 300 },
  },
  'user setting': {
    /** Failures that block the source (FortiOS: per address), and lock the user when one was a code. */
    'auth-lockout-threshold': { fallback: 3, min: 1, max: 100 },
    /** Ours: wrong passwords, from anywhere, that lock the user. */
    'auth-lockout-user-threshold': { fallback: 10, min: 1, max: 1000 },
    /** Seconds; 0 locks until an admin unlocks. */
    'auth-lockout-duration': { fallback: 0, min: 0, max: 31_536_000 },
    /** Ours: a new user needs a second factor unless added explicitly without one. */
    'two-factor-required': toggle('enable'),
  },
  'log setting': {
    /** Ours: days the auth log and the audit log keep an entry. */
    'retention-days': { fallback: 90, min: 1, max: 3650 },
  },
  'system ftm-push': {
    status: toggle('enable'),
    /** Ours: the login shows a number the user must pick on the phone. */
    'number-matching': toggle('disable'),
    /** Ours: seconds a push waits for the phone. */
    timeout: { fallback: 60, min: 10, max: 300 },
  },
} as const satisfies Record<string, Record<string, SettingSpec>>;

export type SettingsPath = keyof typeof GATEWAY_SETTINGS;

export const settingKey = (path: SettingsPath, name: string) => `${path}.${name}`;

/** The settings the auth engine and the activation flow read, with defaults filled in. */
export interface GatewayPolicy {
  readonly activationExpiryHours: number;
  readonly emailCodeExpirySeconds: number;
  readonly smsCodeExpirySeconds: number;
  readonly lockout: {
    readonly threshold: number;
    readonly userPasswordThreshold: number;
    readonly durationSeconds: number;
  };
  readonly twoFactorRequired: boolean;
  readonly logRetentionDays: number;
  readonly push: {
    readonly enabled: boolean;
    readonly numberMatching: boolean;
    readonly timeoutSeconds: number;
  };
}

export async function readGatewayPolicy(store: Store): Promise<GatewayPolicy> {
  const stored = await store.settings.all();
  const value = <P extends SettingsPath>(path: P, name: keyof (typeof GATEWAY_SETTINGS)[P]) => {
    const spec = GATEWAY_SETTINGS[path][name] as SettingSpec;
    return stored.get(settingKey(path, String(name))) ?? spec.fallback;
  };
  return {
    activationExpiryHours: Number(value('system global', 'two-factor-ftm-expiry')),
    emailCodeExpirySeconds: Number(value('system global', 'two-factor-email-expiry')),
    smsCodeExpirySeconds: Number(value('system global', 'two-factor-sms-expiry')),
    lockout: {
      threshold: Number(value('user setting', 'auth-lockout-threshold')),
      userPasswordThreshold: Number(value('user setting', 'auth-lockout-user-threshold')),
      durationSeconds: Number(value('user setting', 'auth-lockout-duration')),
    },
    twoFactorRequired: value('user setting', 'two-factor-required') === 'enable',
    logRetentionDays: Number(value('log setting', 'retention-days')),
    push: {
      enabled: value('system ftm-push', 'status') === 'enable',
      numberMatching: value('system ftm-push', 'number-matching') === 'enable',
      timeoutSeconds: Number(value('system ftm-push', 'timeout')),
    },
  };
}
