import { parseClientAddress } from '../core/client-address.js';
import { OTP_MODES, TWO_FACTORS } from '../core/login-terms.js';
import { parseEmailAddress, parseFreeText, parseName, parsePhoneNumber } from '../core/names.js';
import { checkPasswordPolicy, PASSWORD_MIN_LENGTH } from '../core/password-policy.js';
import { parseSerial } from '../core/serial.js';
import type { TokenState } from '../core/token-state.js';
import type { AtRestCipher } from '../crypto/at-rest-cipher.js';
import { checkPasswordHash, hashPassword } from '../crypto/password-hash.js';
import type {
  ConfigEntry,
  ConfigSection,
  ConfigSetting,
} from '../protocol/fortios/config-document.js';
import { parseConfig } from '../protocol/fortios/config-document.js';
import type { Fortitoken } from '../store/repositories/fortitoken-repository.js';
import type { RadiusClient } from '../store/repositories/radius-client-repository.js';
import type { User } from '../store/repositories/user-repository.js';
import type { GatewayRepositories } from '../store/store.js';
import { userGroupEntry } from './config-import-group.js';
import { ldapServerEntry } from './config-import-ldap.js';
import { checkedAt, choice, integer, invalid, secret, single } from './config-values.js';
import { audit, type GatewayContext } from './context.js';
import {
  GATEWAY_SETTINGS,
  type SettingSpec,
  type SettingsPath,
  settingKey,
} from './gateway-settings.js';
import { newFortitoken } from './new-fortitoken.js';
import { newUser } from './new-user.js';
import { replaceRadiusClient } from './radius-clients.js';
import { sealedValueAad } from './token-secrets.js';

type Change = (tx: GatewayRepositories) => Promise<void>;
type Reader = Pick<GatewayRepositories, 'fortitokens' | 'users' | 'radiusClients' | 'ldapServers'>;

/**
 * Applies FortiOS-syntax configuration (what `config show` prints, or a FortiGate's
 * `config user fortitoken` block). Every statement is checked before anything is written, and
 * everything is written in one transaction: a mistake names its line and changes nothing.
 */
export async function importConfig(
  ctx: GatewayContext,
  text: string,
  now: number,
): Promise<{ applied: number }> {
  const { store, cipher } = ctx;
  const changes: Change[] = [];
  /** What this document defines: later entries may name it before it is stored. */
  const defined = {
    ldapServers: new Set<string>(),
    users: new Set<string>(),
    licences: new Set<string>(),
  };
  for (const section of parseConfig(text)) {
    switch (section.path) {
      case 'system global':
      case 'user setting':
      case 'system ftm-push':
      case 'log syslogd setting':
      case 'log syslogd2 setting':
      case 'log syslogd3 setting':
      case 'log syslogd4 setting':
        changes.push(...singleSettings(section, section.path, now));
        break;
      case 'user fortitoken':
        for (const entry of tableEntries(section)) {
          changes.push(await fortitoken(store, cipher, entry, now));
          for (const s of entry.settings) if (s.key === 'license') defined.licences.add(single(s));
        }
        break;
      case 'user ldap':
        for (const entry of tableEntries(section)) {
          changes.push(await ldapServerEntry(store, cipher, entry, now));
          defined.ldapServers.add(entry.name);
        }
        break;
      case 'user local':
        for (const entry of tableEntries(section)) {
          changes.push(await localUser(store, entry, now, defined.ldapServers));
          defined.users.add(entry.name);
        }
        break;
      case 'user group':
        for (const entry of tableEntries(section, { subsections: true }))
          changes.push(await userGroupEntry(store, entry, defined, now));
        break;
      case 'user radius-client':
        for (const entry of tableEntries(section))
          changes.push(await radiusClient(store, cipher, entry, now));
        break;
      default:
        invalid(section.line, `unknown section "config ${section.path}"`);
    }
  }
  await store.transaction(async (tx) => {
    for (const change of changes) await change(tx);
    await ctx.settings.markChanged(tx, now);
    await audit(
      tx,
      {
        actor: ctx.actor,
        action: 'config.import',
        subject: null,
        detail: { entries: changes.length },
      },
      now,
    );
  });
  ctx.settings.invalidate();
  return { applied: changes.length };
}

function singleSettings(section: ConfigSection, path: SettingsPath, now: number): Change[] {
  if (section.entries.length > 0) invalid(section.line, `"config ${path}" takes "set", not "edit"`);
  const known: Record<string, SettingSpec> = GATEWAY_SETTINGS[path];
  return section.settings.map((setting) => {
    const spec = known[setting.key];
    if (spec === undefined)
      return invalid(setting.line, `unknown setting "${setting.key}" in "config ${path}"`);
    const value = setting.unset
      ? spec.fallback
      : 'choices' in spec
        ? choice(setting, spec.choices)
        : 'valid' in spec
          ? checkedText(setting, spec)
          : integer(setting, spec.min, spec.max);
    return (tx) => tx.settings.set(settingKey(path, setting.key), value, now);
  });
}

function tableEntries(
  section: ConfigSection,
  allowed: { readonly subsections?: boolean } = {},
): readonly ConfigEntry[] {
  if (section.settings.length > 0)
    invalid(section.line, `"config ${section.path}" takes "edit", not "set"`);
  const nested = section.entries.find((entry) => (entry.subsections ?? []).length > 0);
  if (nested !== undefined && allowed.subsections !== true)
    invalid(nested.line, `"config ${section.path}" has no tables inside its entries`);
  return section.entries;
}

async function fortitoken(
  store: Reader,
  cipher: AtRestCipher,
  entry: ConfigEntry,
  now: number,
): Promise<Change> {
  const serial = serialOf(entry);
  const existing = await store.fortitokens.find(serial);
  const token: Fortitoken = existing ?? newFortitoken(serial, '', now);
  const next = { ...token, updatedAt: now };
  for (const setting of entry.settings) {
    const text = setting.unset ? null : single(setting);
    switch (setting.key) {
      case 'status':
        next.status = choice(setting, ['active', 'lock'] as const);
        break;
      case 'license':
        next.licence = text ?? '';
        break;
      case 'activation-code':
        next.activationCodeEnc = setting.unset
          ? null
          : secret(setting, cipher, sealedValueAad.activationCode(serial), /^[A-Z2-7]{16}$/);
        break;
      case 'activation-expire':
        next.activationExpiresAt = setting.unset
          ? null
          : integer(setting, 0, 99_999_999_999) * 1000;
        break;
      case 'reg-id':
        if (text !== null && !/^[0-9a-f]{64}$/.test(text))
          invalid(setting.line, 'reg-id is 64 lower-case hex digits');
        next.regId = text;
        break;
      case 'os-ver':
        if (text !== null && text.length > 15)
          invalid(setting.line, 'os-ver is at most 15 characters');
        next.osVer = text;
        break;
      case 'comments':
        next.comments =
          text === null ? null : checkedAt(setting.line, () => parseFreeText(text, 'comments'));
        break;
      default:
        invalid(setting.line, `unknown setting "${setting.key}" in "config user fortitoken"`);
    }
  }
  if (next.licence === '') invalid(entry.line, `token ${serial} needs "set license"`);
  if (existing === undefined) next.state = importedState(next);
  return async (tx) => {
    if (existing === undefined) await tx.fortitokens.createMany([next]);
    else await tx.fortitokens.update(serial, next);
  };
}

/** A token known only from configuration: on a phone when it has a reg-id, waiting when it has a code. */
function importedState(token: Fortitoken): TokenState {
  if (token.regId !== null) return 'provisioned';
  return token.activationCodeEnc === null ? 'new' : 'provisioning';
}

async function localUser(
  store: Reader,
  entry: ConfigEntry,
  now: number,
  /** LDAP servers defined earlier in the same document. */
  ldapNames: ReadonlySet<string>,
): Promise<Change> {
  checkedAt(entry.line, () => parseName(entry.name, 'the user name'));
  const existing = await store.users.find(entry.name);
  let passwordHash = existing?.passwordHash;
  let type: 'password' | 'ldap' = existing?.ldapServer == null ? 'password' : 'ldap';
  const patch: Partial<User> = {};
  for (const setting of entry.settings) {
    switch (setting.key) {
      case 'type':
        type = choice(setting, ['password', 'ldap'] as const);
        break;
      case 'ldap-server': {
        const name = single(setting);
        if (!ldapNames.has(name) && (await store.ldapServers.find(name)) === undefined) {
          invalid(setting.line, `there is no LDAP server "${name}" (config user ldap)`);
        }
        patch.ldapServer = name;
        break;
      }
      case 'passwd': {
        const [first, second] = setting.values;
        passwordHash =
          first?.text === 'ENC' && !first.quoted && second !== undefined
            ? Buffer.from(second.text, 'base64').toString('utf8')
            : await hashPassword(
                checkedAt(setting.line, () => {
                  const password = single(setting);
                  checkPasswordPolicy(password, {
                    minLength: PASSWORD_MIN_LENGTH.user,
                    username: entry.name,
                    field: 'passwd',
                  });
                  return password;
                }),
              );
        if (!isWholePasswordHash(passwordHash))
          invalid(setting.line, 'passwd ENC must be a value `config show` printed');
        break;
      }
      case 'two-factor':
        patch.twoFactor = choice(setting, TWO_FACTORS);
        break;
      case 'fortitoken':
        patch.tokenSerial = setting.unset ? null : parseSerialAt(setting);
        break;
      case 'email-to':
        patch.email = setting.unset
          ? null
          : checkedAt(setting.line, () => parseEmailAddress(single(setting), 'email-to'));
        break;
      case 'sms-phone':
        patch.smsPhone = setting.unset
          ? null
          : checkedAt(setting.line, () => parsePhoneNumber(single(setting), 'sms-phone'));
        break;
      case 'status':
        patch.status = choice(setting, ['enable', 'disable'] as const);
        break;
      case 'enrolled-by':
        // Ours: the auto-enrol group whose directory sync made the user (it may remove them).
        patch.enrolledBy = setting.unset ? null : single(setting);
        break;
      default:
        invalid(setting.line, `unknown setting "${setting.key}" in "config user local"`);
    }
  }
  if (type === 'ldap') {
    // FortiOS: `set type ldap` with `set ldap-server NAME`; no local password is kept.
    if ((patch.ldapServer ?? existing?.ldapServer ?? null) === null) {
      invalid(entry.line, `user "${entry.name}" has "type ldap" and needs "set ldap-server"`);
    }
    passwordHash = '';
  } else {
    patch.ldapServer = null;
    if (passwordHash === undefined || passwordHash === '') {
      invalid(entry.line, `user "${entry.name}" needs "set passwd"`);
    }
  }
  const hash = passwordHash;
  return async (tx) => {
    if (existing === undefined) {
      await tx.users.create({ ...newUser(entry.name, hash, now), ...patch });
    } else {
      await tx.users.update(entry.name, { ...patch, passwordHash: hash, updatedAt: now });
    }
  };
}

async function radiusClient(
  store: Reader,
  cipher: AtRestCipher,
  entry: ConfigEntry,
  now: number,
): Promise<Change> {
  const existing = await store.radiusClients.find(entry.name);
  const next: Partial<RadiusClient> = {};
  for (const setting of entry.settings) {
    switch (setting.key) {
      case 'address':
        try {
          next.address = parseClientAddress(single(setting));
        } catch {
          invalid(setting.line, `"${single(setting)}" is not an IP address or CIDR block`);
        }
        break;
      case 'secret':
        next.secretEnc = secret(
          setting,
          cipher,
          sealedValueAad.radiusSecret(entry.name),
          /^.{1,128}$/,
        );
        break;
      case 'message-authenticator':
        next.messageAuthenticator = choice(setting, ['require', 'optional'] as const);
        break;
      case 'otp-mode':
        next.otpMode = choice(setting, OTP_MODES);
        break;
      case 'allowed-groups':
        next.allowedGroups = setting.unset
          ? null
          : JSON.stringify(setting.values.map((value) => value.text));
        break;
      default:
        invalid(setting.line, `unknown setting "${setting.key}" in "config user radius-client"`);
    }
  }
  const address = next.address ?? existing?.address;
  const secretEnc = next.secretEnc ?? existing?.secretEnc;
  if (address === undefined || secretEnc === undefined)
    invalid(entry.line, `RADIUS client "${entry.name}" needs address and secret`);
  const client: RadiusClient = {
    name: entry.name,
    address,
    secretEnc,
    messageAuthenticator: next.messageAuthenticator ?? existing?.messageAuthenticator ?? 'require',
    otpMode: next.otpMode ?? existing?.otpMode ?? 'both',
    createdAt: existing?.createdAt ?? now,
    allowedGroups:
      next.allowedGroups === undefined ? (existing?.allowedGroups ?? null) : next.allowedGroups,
  };
  return async (tx) => {
    await replaceRadiusClient(tx, client);
  };
}

/** A secret given in clear (encrypted now) or as `ENC <value>` printed by `config show`. */

function serialOf(entry: ConfigEntry): string {
  try {
    return parseSerial(entry.name);
  } catch {
    return invalid(entry.line, `"${entry.name}" is not a token serial (16 characters A-Z 0-9)`);
  }
}

function parseSerialAt(setting: ConfigSetting): string {
  try {
    return parseSerial(single(setting));
  } catch {
    return invalid(setting.line, 'fortitoken is a token serial (16 characters A-Z 0-9)');
  }
}

function isWholePasswordHash(stored: string): boolean {
  try {
    checkPasswordHash(stored);
    return true;
  } catch {
    return false;
  }
}

function checkedText(
  setting: ConfigSetting,
  spec: { valid: (v: string) => boolean; hint: string },
) {
  const value = single(setting);
  if (!spec.valid(value)) invalid(setting.line, `"${setting.key}" is ${spec.hint}`);
  return value;
}
