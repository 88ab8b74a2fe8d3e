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
    test: async (channel, to) => (await current()).test(channel, to),
  };
}

export interface MailServerInput {
  readonly host: string;
  readonly port: number;
  readonly tls: SmtpSettings['tls'];
  readonly from: string;
  readonly user?: string;
  readonly password?: string;
  /** Without `password`: keep the one stored (the console never shows it to send it back). */
  readonly keepPassword?: boolean;
}

/** Sets the SMTP server activation e-mails and login codes go through (password sealed). */
export async function setMailServer(ctx: GatewayContext, input: MailServerInput, now: number) {
  const { password, keepPassword, ...plain } = input;
  await ctx.store.transaction(async (tx) => {
    const old = (await tx.settings.get(SETTING_KEYS.mail)) as StoredMail | undefined;
    const passwordEnc =
      password !== undefined
        ? ctx.cipher.encrypt(Buffer.from(password), SETTING_KEYS.mail)
        : keepPassword === true
          ? old?.passwordEnc
          : undefined;
    const stored: StoredMail = { ...plain, ...(passwordEnc === undefined ? {} : { passwordEnc }) };
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

/** The mail and SMS settings as the console shows them: never the SMTP password itself. */
export async function showDeliverySettings(ctx: GatewayContext) {
  const mail = (await ctx.store.settings.get(SETTING_KEYS.mail)) as StoredMail | undefined;
  const sms = (await ctx.store.settings.get(SETTING_KEYS.sms)) as { webhook: string } | undefined;
  const { passwordEnc, ...shown } = mail ?? {};
  return {
    mail:
      mail === undefined
        ? null
        : { ...(shown as MailServerInput), passwordSet: passwordEnc !== undefined },
    sms: sms === undefined ? null : { webhook: sms.webhook },
  };
}

/**
 * Sends a test message with the current settings and returns what the server answered (the SMTP
 * server's reply line, or the webhook's HTTP status); a failure says why in words. Audited.
 */
export async function testDelivery(
  ctx: GatewayContext,
  input: { readonly channel: 'email' | 'sms'; readonly to: string },
  now: number,
): Promise<{ answer: string }> {
  const action = input.channel === 'email' ? 'mail.test' : 'sms.test';
  try {
    const answer = await ctx.notifier.test(input.channel, input.to);
    await audit(ctx.store, { actor: ctx.actor, action, subject: input.to }, now);
    return { answer };
  } catch (error) {
    await audit(
      ctx.store,
      { actor: ctx.actor, action, subject: input.to, outcome: 'failure' },
      now,
    );
    throw error;
  }
}
