import nodemailer from 'nodemailer';
import { buildActivationUri } from '../core/activation-uri.js';
import { TokenwardError } from '../core/errors.js';
import { qrPng } from '../protocol/qr.js';

/** Outgoing mail settings (`config system email-server` in FortiOS terms). */
export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** `implicit`: TLS from the first byte (465); `starttls`: upgrade required; `none`: plain (tests, local relays). */
  readonly tls: 'implicit' | 'starttls' | 'none';
  readonly user?: string;
  readonly password?: string;
  readonly from: string;
}

export interface ActivationMessage {
  readonly serial: string;
  readonly code: string;
  /** Epoch ms. */
  readonly expiresAt: number;
  readonly provisionerUrl: string;
  readonly username: string;
}

/** A one-time login code (two-factor `email` or `sms`). */
export interface LoginCodeMessage {
  readonly username: string;
  readonly code: string;
  readonly validSeconds: number;
}

/** The gateway's outgoing messages: activations and login codes, by e-mail or SMS. */
export interface Notifier {
  /** E-mails the code, its expiry and an inline QR image of the activation link. */
  email(to: string, message: ActivationMessage): Promise<void>;
  /** Posts the code to the SMS webhook as JSON `{to, text}`. */
  sms(to: string, message: ActivationMessage): Promise<void>;
  /** Sends a login code by e-mail or by the SMS webhook. */
  loginCode(channel: 'email' | 'sms', to: string, message: LoginCodeMessage): Promise<void>;
  /** Sends a test message; returns what the SMTP server or the webhook answered. */
  test(channel: 'email' | 'sms', to: string): Promise<string>;
}

export function createNotifier(settings: { smtp?: SmtpSettings; smsWebhook?: string }): Notifier {
  const { smtp, smsWebhook } = settings;
  const transport =
    smtp === undefined
      ? undefined
      : nodemailer.createTransport({
          host: smtp.host,
          port: smtp.port,
          secure: smtp.tls === 'implicit',
          requireTLS: smtp.tls === 'starttls',
          ignoreTLS: smtp.tls === 'none',
          ...(smtp.user === undefined
            ? {}
            : { auth: { user: smtp.user, pass: smtp.password ?? '' } }),
        });

  const sendMail = async (
    to: string,
    mail: Omit<nodemailer.SendMailOptions, 'from' | 'to'>,
    what: string,
    advice = '',
  ) => {
    if (transport === undefined || smtp === undefined) {
      throw new TokenwardError('TW_DELIVERY_FAILED', {
        message: 'No mail server is configured. Set one, then resend.',
      });
    }
    try {
      // The server's own answer (`250 2.0.0 Ok: queued as ...`), for the console's test button.
      const sent = (await transport.sendMail({ from: smtp.from, to, ...mail })) as {
        response?: string;
      };
      return sent.response ?? '';
    } catch (error) {
      throw new TokenwardError('TW_DELIVERY_FAILED', {
        message: `${what} to ${to} could not be sent (${(error as Error).message}).${advice}`,
        cause: error,
      });
    }
  };

  const postSms = async (to: string, text: string) => {
    if (smsWebhook === undefined) {
      throw new TokenwardError('TW_DELIVERY_FAILED', {
        message: 'No SMS webhook is configured. Set one, then resend.',
      });
    }
    let status: number;
    try {
      status = (
        await fetch(smsWebhook, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ to, text }),
        })
      ).status;
    } catch (error) {
      throw new TokenwardError('TW_DELIVERY_FAILED', {
        message: `The SMS webhook could not be reached (${(error as Error).message}).`,
        cause: error,
      });
    }
    if (status < 200 || status >= 300) {
      throw new TokenwardError('TW_DELIVERY_FAILED', {
        message: `The SMS webhook answered HTTP ${status}.`,
      });
    }
    return `HTTP ${status}`;
  };

  return {
    async email(to, message) {
      const uri = buildActivationUri(message.code, message.provisionerUrl);
      const expires = new Date(message.expiresAt).toISOString().replace(/\.\d+Z$/, 'Z');
      await sendMail(
        to,
        {
          subject: 'Your Tokenward activation code',
          text: [
            `Hello ${message.username},`,
            '',
            `Activate your token ${message.serial} in the Tokenward app with this code:`,
            '',
            `    ${message.code}`,
            '',
            `or scan the attached QR code, or open ${uri}`,
            `The code works once, on one phone, until ${expires}.`,
          ].join('\n'),
          html: `<p>Hello ${escapeHtml(message.username)},</p><p>Activate your token ${message.serial} with the code <b>${message.code}</b> or scan this QR code:</p><p><img src="cid:activation-qr" alt="activation QR code"></p><p>The code works once, on one phone, until ${expires}.</p>`,
          attachments: [
            {
              filename: 'activation.png',
              content: await qrPng(uri),
              cid: 'activation-qr',
              contentType: 'image/png',
            },
          ],
        },
        'The activation e-mail',
        ' The token stays provisioned; resend it once mail works.',
      );
    },

    async sms(to, message) {
      await postSms(
        to,
        `Tokenward activation code for ${message.serial}: ${message.code} (server ${message.provisionerUrl})`,
      );
    },

    async loginCode(channel, to, message) {
      const text = `Your Tokenward login code is ${message.code}. It works once, for ${message.validSeconds} seconds.`;
      if (channel === 'sms') await postSms(to, text);
      else
        await sendMail(to, { subject: 'Your Tokenward login code', text }, 'The login code e-mail');
    },

    async test(channel, to) {
      const text =
        'This is a test message from Tokenward: activation codes and login codes will reach you this way.';
      if (channel === 'sms') return postSms(to, text);
      return sendMail(to, { subject: 'Tokenward test e-mail', text }, 'The test e-mail');
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
