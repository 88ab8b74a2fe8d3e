import { TokenwardError } from '../core/errors.js';
import type {
  ConfigSection,
  ConfigSetting,
  ConfigValue,
} from '../protocol/fortios/config-document.js';
import type { GatewayContext } from './context.js';
import {
  GATEWAY_SETTINGS,
  type SettingSpec,
  type SettingsPath,
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
    settings: Object.entries(GATEWAY_SETTINGS[path]).map(([key, spec]: [string, SettingSpec]) =>
      set(key, bare(String(settings.get(settingKey(path, key)) ?? spec.fallback))),
    ),
    line: 0,
  });
  const tokens = await store.fortitokens.list();
  const users = await store.users.list();
  const clients = await store.radiusClients.list();
  return [
    single('system global'),
    single('user setting'),
    single('system ftm-push'),
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
    {
      path: 'user local',
      settings: [],
      line: 0,
      entries: users.map((user) => ({
        name: user.name,
        line: 0,
        settings: [
          set('type', bare('password')),
          set('passwd', bare('ENC'), bare(Buffer.from(user.passwordHash).toString('base64'))),
          set('two-factor', bare(user.twoFactor)),
          ...(user.tokenSerial === null ? [] : [set('fortitoken', quoted(user.tokenSerial))]),
          ...(user.email === null ? [] : [set('email-to', quoted(user.email))]),
          ...(user.smsPhone === null ? [] : [set('sms-phone', quoted(user.smsPhone))]),
          set('status', bare(user.status)),
        ],
      })),
    },
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
        ],
      })),
    },
  ];
}
