import { X509Certificate } from 'node:crypto';
import { TokenwardError } from '../core/errors.js';
import type {
  ConfigEntry,
  ConfigSection,
  ConfigSetting,
  ConfigValue,
} from '../protocol/fortios/config-document.js';
import type { LdapServer } from '../store/repositories/ldap-server-repository.js';
import type { UserGroup } from '../store/repositories/user-group-repository.js';
import type { GatewayContext } from './context.js';
import {
  GATEWAY_SETTINGS,
  type SettingSpec,
  type SettingsPath,
  SYSLOG_PATHS,
  settingKey,
} from './gateway-settings.js';
import { spentActivationCode } from './token-activation.js';

const quoted = (text: string): ConfigValue => ({ text, quoted: true });
const bare = (text: string | number): ConfigValue => ({ text: String(text), quoted: false });
const set = (key: string, ...values: ConfigValue[]): ConfigSetting => ({
  key,
  values,
  unset: false,
  line: 0,
});

/**
 * The gateway's configuration as FortiOS-syntax sections (DESIGN section 6). Secrets show as
 * `ENC ...`; an activation code shows in clear only once it is spent, as in the source document.
 */
export async function configSections(
  ctx: GatewayContext,
  /** One section's path (e.g. `user fortitoken`), or all when absent. */
  wanted?: string,
): Promise<ConfigSection[]> {
  const sections = await allSections(ctx);
  if (wanted === undefined) return sections;
  const chosen = sections.filter((section) => section.path === wanted);
  if (chosen.length === 0) {
    throw new TokenwardError('TW_CONFIG_SECTION_UNKNOWN', {
      message: `No section "${wanted}". Sections: ${sections.map((s) => s.path).join(', ')}.`,
      data: { field: 'section' },
    });
  }
  return chosen;
}

async function allSections(ctx: GatewayContext): Promise<ConfigSection[]> {
  const { store } = ctx;
  const settings = await store.settings.all();
  const single = (path: SettingsPath): ConfigSection => ({
    path,
    entries: [],
    settings: Object.entries(GATEWAY_SETTINGS[path]).map(([key, spec]: [string, SettingSpec]) => {
      const value = String(settings.get(settingKey(path, key)) ?? spec.fallback);
      return set(key, 'valid' in spec ? quoted(value) : bare(value));
    }),
    line: 0,
  });
  const tokens = await store.fortitokens.list();
  const users = await store.users.list();
  const clients = await store.radiusClients.list();
  const ldapServers = await store.ldapServers.list();
  const groups = await store.userGroups.list();
  return [
    single('system global'),
    single('user setting'),
    single('system ftm-push'),
    ...SYSLOG_PATHS.map(single),
    {
      path: 'user fortitoken',
      settings: [],
      line: 0,
      entries: tokens.map((token) => {
        const code = spentActivationCode(ctx, token);
        return {
          name: token.serial,
          line: 0,
          settings: [
            ...(token.status === 'lock' ? [set('status', bare('lock'))] : []),
            set('license', quoted(token.licence)),
            ...(code !== undefined
              ? [set('activation-code', quoted(code))]
              : token.activationCodeEnc !== null
                ? [set('activation-code', bare('ENC'), bare(token.activationCodeEnc))]
                : []),
            ...(token.activationExpiresAt === null
              ? []
              : [set('activation-expire', bare(Math.floor(token.activationExpiresAt / 1000)))]),
            ...(token.regId === null ? [] : [set('reg-id', quoted(token.regId))]),
            ...(token.osVer === null ? [] : [set('os-ver', quoted(token.osVer))]),
            ...(token.comments === null ? [] : [set('comments', quoted(token.comments))]),
          ],
        };
      }),
    },
    // Before the users: they name these servers.
    {
      path: 'user ldap',
      settings: [],
      line: 0,
      entries: ldapServers.map((server) => ({
        name: server.name,
        line: 0,
        settings: ldapSettings(server),
      })),
    },
    {
      path: 'user local',
      settings: [],
      line: 0,
      entries: users.map((user) => ({
        name: user.name,
        line: 0,
        settings: [
          ...(user.ldapServer === null
            ? [
                set('type', bare('password')),
                set('passwd', bare('ENC'), bare(Buffer.from(user.passwordHash).toString('base64'))),
              ]
            : [set('type', bare('ldap')), set('ldap-server', quoted(user.ldapServer))]),
          set('two-factor', bare(user.twoFactor)),
          ...(user.tokenSerial === null ? [] : [set('fortitoken', quoted(user.tokenSerial))]),
          ...(user.email === null ? [] : [set('email-to', quoted(user.email))]),
          ...(user.smsPhone === null ? [] : [set('sms-phone', quoted(user.smsPhone))]),
          set('status', bare(user.status)),
          ...(user.enrolledBy === null ? [] : [set('enrolled-by', quoted(user.enrolledBy))]),
        ],
      })),
    },
    // After the users and LDAP servers they name, before the RADIUS clients that admit them.
    { path: 'user group', settings: [], line: 0, entries: groups.map(groupEntry) },
    {
      path: 'user radius-client',
      settings: [],
      line: 0,
      entries: clients.map((client) => ({
        name: client.name,
        line: 0,
        settings: [
          set('address', quoted(client.address)),
          set('secret', bare('ENC'), bare(client.secretEnc)),
          set('message-authenticator', bare(client.messageAuthenticator)),
          set('otp-mode', bare(client.otpMode)),
          ...(client.allowedGroups === null
            ? []
            : [
                set(
                  'allowed-groups',
                  ...(JSON.parse(client.allowedGroups) as string[]).map((name) => quoted(name)),
                ),
              ]),
        ],
      })),
    },
  ];
}

/** One `config user group` entry: FortiOS's member and `config match`, then ours. */
function groupEntry(group: UserGroup): ConfigEntry {
  return {
    name: group.name,
    line: 0,
    settings: [
      ...(group.members.length === 0 ? [] : [set('member', ...group.members.map(quoted))]),
      ...(group.radiusAttributes.length === 0
        ? []
        : [set('radius-attributes', ...group.radiusAttributes.map(quoted))]),
      set('auto-enrol', bare(group.autoEnrol ? 'enable' : 'disable')),
      ...(group.licence === null ? [] : [set('licence', quoted(group.licence))]),
      set('two-factor', bare(group.twoFactor)),
    ],
    subsections:
      group.matches.length === 0
        ? []
        : [
            {
              path: 'match',
              settings: [],
              line: 0,
              entries: group.matches.map((match, index) => ({
                name: String(index + 1),
                line: 0,
                settings: [
                  set('server-name', quoted(match.server)),
                  set('group-name', quoted(match.group)),
                ],
              })),
            },
          ],
  };
}

/** One `config user ldap` entry: FortiOS's names, the service password as ENC. */
function ldapSettings(server: LdapServer): ConfigSetting[] {
  const optional = (key: string, value: string | null) =>
    value === null ? [] : [set(key, quoted(value))];
  return [
    set('server', quoted(server.server)),
    ...optional('secondary-server', server.secondaryServer),
    ...optional('tertiary-server', server.tertiaryServer),
    set('port', bare(server.port)),
    set('secure', bare(server.secure)),
    // The certificate in base64 (DER): one value, as `config import` reads it back.
    ...optional(
      'ca-cert',
      server.caCert === null ? null : new X509Certificate(server.caCert).raw.toString('base64'),
    ),
    set('cnid', quoted(server.cnid)),
    set('dn', quoted(server.dn)),
    set('type', bare(server.type)),
    ...optional('username', server.username),
    ...(server.passwordEnc === null
      ? []
      : [set('password', bare('ENC'), bare(server.passwordEnc))]),
    set('group-member-check', bare(server.groupMemberCheck)),
    set('member-attr', quoted(server.memberAttr)),
    set('email-attr', quoted(server.emailAttr)),
    set('phone-attr', quoted(server.phoneAttr)),
    set('timeout', bare(server.timeoutSeconds)),
  ];
}
