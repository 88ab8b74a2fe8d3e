import { parseHttpUrl } from '../core/http-url.js';
import type { AtRestCipher } from '../crypto/at-rest-cipher.js';
import type { GatewayRepositories } from '../store/store.js';
import { audit, type GatewayContext } from './context.js';
import { createNotifier, type Notifier, type SmtpSettings } from './notifier.js';
import { SETTING_KEYS } from './setting-keys.js';

type StoredMail = Omit<SmtpSettings, 'password'> & { passwordEnc?: string };
type Settings = Pick<GatewayRepositories, 'settings'>;

/** The configured mail server and SMS webhook, as the notifier takes them. */
export async function deliverySettings(
  store: Settings,
  cipher: AtRestCipher,
): Promise<{ smtp?: SmtpSettings; smsWebhook?: string }> {
  const mail = (await store.settings.get(SETTING_KEYS.mail)) as StoredMail | undefined;
  const sms = (await store.settings.get(SETTING_KEYS.sms)) as { webhook: string } | undefined;
  const password =
    mail?.passwordEnc === undefined
      ? undefined
      : Buffer.from(cipher.decrypt(mail.passwordEnc, SETTING_KEYS.mail)).toString('utf8');
  const { passwordEnc: _sealed, ...smtp } = mail ?? {};
  return {
    ...(mail === undefined
      ? {}
      : { smtp: { ...(smtp as SmtpSettings), ...(password === undefined ? {} : { password }) } }),
    ...(sms === undefined ? {} : { smsWebhook: sms.webhook }),
  };
}

/**
 * A notifier that follows the mail and SMS settings, so a change made by another process (the
 * CLI beside a running server) applies to the next message; the SMTP transport (and its pooled
 * connections) is made once per version of the settings, not per message.
 */
export function createConfiguredNotifier(store: Settings, cipher: AtRestCipher): Notifier {
  let built: { version: string; notifier: Notifier } | undefined;
  const current = async () => {
    const settings = await deliverySettings(store, cipher);
    const version = JSON.stringify(settings);
    if (built?.version !== version) built = { version, notifier: createNotifier(settings) };
    return built.notifier;
  };
  return {
    email: async (to, message) => (await current()).email(to, message),
    sms: async (to, message) => (await current()).sms(to, message),
    loginCode: async (channel, to, message) => (await current()).loginCode(channel, to, message),
  };
}

export interface MailServerInput {
  readonly host: string;
  readonly port: number;
  readonly tls: SmtpSettings['tls'];
  readonly from: string;
  readonly user?: string;
  readonly password?: string;
}

/** Sets the SMTP server activation e-mails and login codes go through (password sealed). */
export async function setMailServer(ctx: GatewayContext, input: MailServerInput, now: number) {
  const { password, ...plain } = input;
  const stored: StoredMail = {
    ...plain,
    ...(password === undefined
      ? {}
      : { passwordEnc: ctx.cipher.encrypt(Buffer.from(password), SETTING_KEYS.mail) }),
  };
  await ctx.store.transaction(async (tx) => {
    await tx.settings.set(SETTING_KEYS.mail, stored, now);
    await audit(tx, { actor: ctx.actor, action: 'mail.set', subject: input.host }, now);
  });
}

/** Sets the webhook SMS go to (POSTed JSON `{to, text}`). */
export async function setSmsWebhook(ctx: GatewayContext, webhook: string, now: number) {
  const url = parseHttpUrl(webhook, '--webhook');
  await ctx.store.transaction(async (tx) => {
    await tx.settings.set(SETTING_KEYS.sms, { webhook: url }, now);
    await audit(tx, { actor: ctx.actor, action: 'sms.set', subject: null }, now);
  });
}
