import { randomUUID, X509Certificate } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { TokenwardError } from '../core/errors.js';
import { ACTIVATION_EXPIRY_HOURS } from '../core/limits.js';
import type { GatewayRepositories, GatewayStore } from '../store/store.js';

/** A gateway setting: a whole number in a range, one of a few words, or a checked text. */
export type SettingSpec =
  | { readonly fallback: number; readonly min: number; readonly max: number }
  | { readonly fallback: string; readonly choices: readonly string[] }
  | {
      readonly fallback: string;
      readonly valid: (value: string) => boolean;
      /** What a valid value is, completing "<setting> is ...". */
      readonly hint: string;
    };

const toggle = (fallback: 'enable' | 'disable') =>
  ({ fallback, choices: ['enable', 'disable'] }) as const;

/** A host name or an IP address (empty: none set). */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|[0-9A-Fa-f:.]{2,45})$/;

/** `config log syslogd setting` (FortiOS), and syslogd2..4 for more servers (docs/syslog.md). */
const syslogServer = () =>
  ({
    status: toggle('disable'),
    server: {
      fallback: '',
      valid: (value: string) => value === '' || HOST.test(value),
      hint: 'a host name or an IP address',
    },
    port: { fallback: 514, min: 1, max: 65_535 },
    /** `reliable`: TCP with octet counting (RFC 6587 section 3.4.1). */
    mode: { fallback: 'udp', choices: ['udp', 'reliable'] },
    /** Anything but `disable`: TLS (RFC 5425), with mode reliable. */
    'enc-algorithm': { fallback: 'disable', choices: ['disable', 'high', 'high-medium', 'low'] },
    format: { fallback: 'default', choices: ['default', 'cef', 'json'] },
    facility: { fallback: 'local7', choices: SYSLOG_FACILITIES },
    /** Ours: the CA the server's TLS certificate must chain to, base64 DER (else the system's). */
    'ca-cert': {
      fallback: '',
      valid: (value: string) => value === '' || isCertificate(value),
      hint: 'a CA certificate in base64 (DER), as config show prints it',
    },
  }) as const;

/** RFC 5424 section 6.2.1 facilities, by number. */
export const SYSLOG_FACILITIES = [
  'kernel',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'authpriv',
  'ftp',
  'ntp',
  'audit',
  'alert',
  'clock',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
] as const;

function isCertificate(base64: string): boolean {
  try {
    new X509Certificate(Buffer.from(base64, 'base64'));
    return true;
  } catch {
    return false;
  }
}

/**
 * The gateway's single-valued settings, by FortiOS path and name, with defaults and limits
 * (DESIGN section 6). Stored in the settings table as `<path>.<name>`.
 */
export const GATEWAY_SETTINGS = {
  'system global': {
    /** Hours an activation code works. */
    'two-factor-ftm-expiry': ACTIVATION_EXPIRY_HOURS,
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
    /**
     * Ours: when no host of a user's LDAP server answers, refuse the login (`reject`), or give
     * no answer (`no-answer`: RADIUS stays silent so the NAS fails over; HTTP answers 503).
     */
    'directory-down': { fallback: 'reject', choices: ['reject', 'no-answer'] },
    /** Ours: minutes between background syncs of auto-enrol groups; 0: only `gateway ldap sync`. */
    'directory-sync-interval': { fallback: 60, min: 0, max: 10_080 },
    /** Ours: hours an enrolled user gone from the directory keeps their token before it is revoked. */
    'directory-removal-grace': { fallback: 24, min: 0, max: 8_760 },
    /** Ours: the share (percent) of enrolled users one sync may find gone before it stops and asks. */
    'directory-removal-limit': { fallback: 10, min: 1, max: 100 },
  },
  'log setting': {
    /** Ours: days the auth log and the audit log keep an entry. */
    'retention-days': { fallback: 90, min: 1, max: 3650 },
  },
  'log syslogd setting': syslogServer(),
  'log syslogd2 setting': syslogServer(),
  'log syslogd3 setting': syslogServer(),
  'log syslogd4 setting': syslogServer(),
  'system ftm-push': {
    status: toggle('enable'),
    /** Ours: the login shows a number the user must pick on the phone. */
    'number-matching': toggle('disable'),
    /** Ours: seconds a push waits for the phone. */
    timeout: { fallback: 60, min: 10, max: 300 },
  },
} as const satisfies Record<string, Record<string, SettingSpec>>;

export type SettingsPath = keyof typeof GATEWAY_SETTINGS;

/** The syslog servers' sections, one per server. */
export const SYSLOG_PATHS = [
  'log syslogd setting',
  'log syslogd2 setting',
  'log syslogd3 setting',
  'log syslogd4 setting',
] as const satisfies readonly SettingsPath[];

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
  /** What a login gets when the user's directory does not answer. */
  readonly directoryDown: 'reject' | 'no-answer';
  readonly directorySync: {
    /** 0: no background sync. */
    readonly intervalMinutes: number;
    readonly removalGraceHours: number;
    readonly removalLimitPercent: number;
  };
  readonly logRetentionDays: number;
  readonly push: {
    readonly enabled: boolean;
    readonly numberMatching: boolean;
    readonly timeoutSeconds: number;
  };
}

export async function readGatewayPolicy(
  store: Pick<GatewayRepositories, 'settings'>,
): Promise<GatewayPolicy> {
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
    directoryDown: value('user setting', 'directory-down') === 'no-answer' ? 'no-answer' : 'reject',
    directorySync: {
      intervalMinutes: Number(value('user setting', 'directory-sync-interval')),
      removalGraceHours: Number(value('user setting', 'directory-removal-grace')),
      removalLimitPercent: Number(value('user setting', 'directory-removal-limit')),
    },
    logRetentionDays: Number(value('log setting', 'retention-days')),
    push: {
      enabled: value('system ftm-push', 'status') === 'enable',
      numberMatching: value('system ftm-push', 'number-matching') === 'enable',
      timeoutSeconds: Number(value('system ftm-push', 'timeout')),
    },
  };
}

/** A setting's value checked against its spec; a wrong one is refused naming the setting. */
export function checkSetting<P extends SettingsPath>(
  path: P,
  name: string,
  value: number | string,
): number | string {
  const spec = (GATEWAY_SETTINGS[path] as Record<string, SettingSpec>)[name];
  const field = `${path} ${name}`;
  if (spec === undefined) {
    throw new TokenwardError('TW_SETTING_INVALID', {
      message: `There is no setting "${name}" in "config ${path}".`,
      data: { field },
    });
  }
  if (!settingValid(spec, value)) {
    throw new TokenwardError('TW_SETTING_INVALID', {
      message: `"${field}" is ${settingHint(spec)}.`,
      data: { field },
    });
  }
  return value;
}

export function settingValid(spec: SettingSpec, value: number | string): boolean {
  if ('choices' in spec) return spec.choices.includes(String(value));
  if ('valid' in spec) return typeof value === 'string' && spec.valid(value);
  return Number.isInteger(value) && Number(value) >= spec.min && Number(value) <= spec.max;
}

/** What a valid value of `spec` is, completing "<setting> is ...". */
export function settingHint(spec: SettingSpec): string {
  if ('choices' in spec) return `one of: ${spec.choices.join(', ')}`;
  if ('valid' in spec) return spec.hint;
  return `a whole number from ${spec.min} to ${spec.max}`;
}

export interface SettingChange {
  readonly path: SettingsPath;
  readonly name: string;
  readonly value: number | string;
}

/**
 * How often a node asks whether the configuration changed: another node's change (or the CLI's
 * beside a running server) applies within this. One primary-key read, not the settings table.
 */
export const CONFIG_CHECK_MS = 1_000;

/** The version row: written with every change of the policy or the RADIUS clients. */
const CONFIG_VERSION_KEY = 'config.version';

/**
 * The policy as logins and activations read it, and the version of the configuration the
 * RADIUS listener keys its clients on: read again only when the version row changed (checked
 * at most every CONFIG_CHECK_MS), at once after a change made through this object.
 */
export function createGatewaySettings(
  store: GatewayStore,
  /** Monotonic milliseconds: staleness is real time, whatever the domain clock says. */
  monotonic: () => number = () => performance.now(),
) {
  let checked: { version: Promise<unknown>; at: number } | undefined;
  let cached: { policy: Promise<GatewayPolicy>; version: unknown } | undefined;

  /** The version row as last read, read again when CONFIG_CHECK_MS has passed. */
  const version = (): Promise<unknown> => {
    const now = monotonic();
    if (checked === undefined || now - checked.at >= CONFIG_CHECK_MS) {
      const read = store.settings.get(CONFIG_VERSION_KEY);
      checked = { version: read, at: now };
      // A failed read is not kept: the next caller tries the store again.
      read.catch(() => {
        if (checked?.version === read) checked = undefined;
      });
    }
    return checked.version;
  };

  /**
   * Marks the configuration changed, in the caller's transaction: every node reads its policy
   * and RADIUS clients again within CONFIG_CHECK_MS, this one at its next read.
   */
  const markChanged = async (
    repositories: Pick<GatewayRepositories, 'settings'>,
    now: number,
  ): Promise<void> => {
    await repositories.settings.set(CONFIG_VERSION_KEY, randomUUID(), now);
    checked = undefined;
  };

  return {
    version,
    markChanged,

    async policy(): Promise<GatewayPolicy> {
      const current = await version();
      if (cached === undefined || cached.version !== current) {
        const policy = readGatewayPolicy(store);
        cached = { policy, version: current };
        policy.catch(() => {
          if (cached?.policy === policy) cached = undefined;
        });
      }
      return cached.policy;
    },

    /** Writes checked settings in the caller's transaction (with its audit entry). */
    async write(
      repositories: Pick<GatewayRepositories, 'settings'>,
      changes: readonly SettingChange[],
      now: number,
    ): Promise<void> {
      for (const change of changes) {
        const value = checkSetting(change.path, change.name, change.value);
        await repositories.settings.set(settingKey(change.path, change.name), value, now);
      }
      await markChanged(repositories, now);
    },

    /** Forgets what was read (after a change committed here, or written elsewhere in this process). */
    invalidate(): void {
      checked = undefined;
      cached = undefined;
    },
  };
}

export type GatewaySettings = ReturnType<typeof createGatewaySettings>;
