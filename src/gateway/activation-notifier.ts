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

export interface ActivationNotifier {
  /** E-mails the code, its expiry and an inline QR image of the activation link. */
  email(to: string, message: ActivationMessage): Promise<void>;
  /** Posts the code to the SMS webhook as JSON `{to, text}`. */
  sms(to: string, message: ActivationMessage): Promise<void>;
}

export function createActivationNotifier(settings: {
  smtp?: SmtpSettings;
  smsWebhook?: string;
}): ActivationNotifier {
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

  return {
    async email(to, message) {
      if (transport === undefined || smtp === undefined) {
        throw new TokenwardError('TW_DELIVERY_FAILED', {
          message: 'No mail server is configured. Set one, then resend.',
        });
      }
      const uri = buildActivationUri(message.code, message.provisionerUrl);
      const expires = new Date(message.expiresAt).toISOString().replace(/\.\d+Z$/, 'Z');
      try {
        await transport.sendMail({
          from: smtp.from,
          to,
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
        });
      } catch (error) {
        throw new TokenwardError('TW_DELIVERY_FAILED', {
          message: `The activation e-mail to ${to} could not be sent (${(error as Error).message}). The token stays provisioned; resend it once mail works.`,
          cause: error,
        });
      }
    },

    async sms(to, message) {
      if (smsWebhook === undefined) {
        throw new TokenwardError('TW_DELIVERY_FAILED', {
          message: 'No SMS webhook is configured. Set one, then resend.',
        });
      }
      const text = `Tokenward activation code for ${message.serial}: ${message.code} (server ${message.provisionerUrl})`;
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
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
