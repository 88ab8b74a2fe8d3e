import type { AtRestCipher } from '../crypto/at-rest-cipher.js';
import type { Store } from '../store/store.js';
import { createNotifier, type Notifier, type SmtpSettings } from './notifier.js';

/** Settings keys of the mail server (password encrypted at rest) and the SMS webhook. */
export const MAIL_KEY = 'system.email-server';
export const SMS_KEY = 'system.sms-server';

/** The configured mail server and SMS webhook, as the notifier takes them. */
export async function deliverySettings(
  store: Store,
  cipher: AtRestCipher,
): Promise<{ smtp?: SmtpSettings; smsWebhook?: string }> {
  const mail = (await store.settings.get(MAIL_KEY)) as
    | (Omit<SmtpSettings, 'password'> & { passwordEnc?: string })
    | undefined;
  const sms = (await store.settings.get(SMS_KEY)) as { webhook: string } | undefined;
  return {
    ...(mail === undefined
      ? {}
      : {
          smtp: {
            ...mail,
            ...(mail.passwordEnc === undefined
              ? {}
              : {
                  password: Buffer.from(cipher.decrypt(mail.passwordEnc, MAIL_KEY)).toString(
                    'utf8',
                  ),
                }),
          },
        }),
    ...(sms === undefined ? {} : { smsWebhook: sms.webhook }),
  };
}

/**
 * A notifier that reads the mail and SMS settings at each message, so a change made by another
 * process (the CLI beside a running server) applies at once.
 */
export function createConfiguredNotifier(store: Store, cipher: AtRestCipher): Notifier {
  const current = async () => createNotifier(await deliverySettings(store, cipher));
  return {
    email: async (to, message) => (await current()).email(to, message),
    sms: async (to, message) => (await current()).sms(to, message),
    loginCode: async (channel, to, message) => (await current()).loginCode(channel, to, message),
  };
}
