import type { Agent } from 'node:https';
import type { Logger } from 'pino';
import webpush from 'web-push';
import { TokenwardError } from '../core/errors.js';
import type { AtRestCipher } from '../crypto/at-rest-cipher.js';
import type { WebPushSubscription } from '../protocol/softtoken/messages.js';
import type { ProvisionerStore } from '../store/store.js';

/** The provisioner's VAPID key pair (RFC 8292), made once, the private half sealed at rest. */
export const VAPID_KEY = 'provisioner.vapid';
export const VAPID_AAD = 'provisioner-vapid-private-key';
/** How long one delivery to a push service may take before it is given up (and logged). */
const SEND_TIMEOUT_MS = 10_000;

export interface WebPushOptions {
  /** The VAPID `sub` claim: a mailto: or https: contact for push services (RFC 8292 section 2.1). */
  readonly subject: string;
  /** For tests: the HTTPS agent that reaches the push service (a test CA). */
  readonly agent?: Agent;
}

/** A VAPID contact (RFC 8292 section 2.1): `mailto:` an address, or an https: URL. */
export function parseWebPushSubject(text: string): string {
  if (/^mailto:[^\s@]+@[^\s@]+$/.test(text) || /^https:\/\/[^\s]+$/.test(text)) return text;
  throw new TokenwardError('TW_OPTION_INVALID', {
    message: `--web-push-subject is mailto:<address> or an https: URL, e.g. mailto:security@example.com (got "${text.slice(0, 60)}").`,
    data: { field: '--web-push-subject' },
  });
}

/** What a Web Push tells the phone: which push waits, and enough to show it. */
export interface WebPushMessage {
  readonly push_id: string;
  readonly token: string;
  readonly username: string;
  readonly user_ip: string;
  readonly application: string;
}

/**
 * Web Push (RFC 8030) to phones whose app is closed: the payload encrypted to the browser's
 * keys (RFC 8291, aes128gcm) and the request signed with the provisioner's VAPID key (RFC
 * 8292), by the `web-push` library. Sending never fails a push: a push service that is away is
 * logged, and one that says the subscription is gone (404, 410) has it forgotten.
 */
export function createWebPush(deps: {
  readonly store: ProvisionerStore;
  readonly cipher: AtRestCipher;
  readonly log: Logger;
  readonly clock: () => number;
  readonly options: WebPushOptions;
}) {
  let keys: Promise<{ publicKey: string; privateKey: string }> | undefined;

  /** The key pair, made on first use; of two nodes making one at once, the first stored wins. */
  const vapidKeys = () => {
    keys ??= (async () => {
      const stored = async () =>
        (await deps.store.settings.get(VAPID_KEY)) as
          | { publicKey: string; privateKeyEnc: string }
          | undefined;
      let found = await stored();
      if (found === undefined) {
        const made = webpush.generateVAPIDKeys();
        await deps.store.settings.setIfAbsent(
          VAPID_KEY,
          {
            publicKey: made.publicKey,
            privateKeyEnc: deps.cipher.encrypt(Buffer.from(made.privateKey), VAPID_AAD),
          },
          deps.clock(),
        );
        found = await stored();
      }
      if (found === undefined) throw new Error('the VAPID key was not stored');
      return {
        publicKey: found.publicKey,
        privateKey: Buffer.from(deps.cipher.decrypt(found.privateKeyEnc, VAPID_AAD)).toString(),
      };
    })();
    keys.catch(() => {
      keys = undefined;
    });
    return keys;
  };

  return {
    /** The public key browsers subscribe with (applicationServerKey), base64url. */
    publicKey: async () => (await vapidKeys()).publicKey,

    /**
     * Sends the message to the phone's subscription, if it has one. Never rejects: whatever
     * fails (the store, the push service) is logged, and the app still finds the push when opened.
     */
    async notify(regId: string, message: WebPushMessage, ttlSeconds: number): Promise<void> {
      try {
        const device = await deps.store.devices.find(regId);
        if (device?.webPush == null) return;
        const subscription = JSON.parse(device.webPush) as WebPushSubscription;
        const { publicKey, privateKey } = await vapidKeys();
        await webpush.sendNotification(subscription, JSON.stringify(message), {
          vapidDetails: { subject: deps.options.subject, publicKey, privateKey },
          TTL: ttlSeconds,
          urgency: 'high',
          topic: message.push_id.replaceAll('-', '').slice(0, 32),
          timeout: SEND_TIMEOUT_MS,
          ...(deps.options.agent === undefined ? {} : { agent: deps.options.agent }),
        });
      } catch (error) {
        const status = (error as { statusCode?: number }).statusCode;
        if (status === 404 || status === 410) {
          await deps.store.devices.setWebPush(regId, null).catch(() => false);
          deps.log.info({ reg_id: regId, status }, 'web push subscription gone: forgotten');
          return;
        }
        deps.log.warn(
          { reg_id: regId, status, err: { message: (error as Error).message } },
          'web push not delivered: the app shows the push when it is opened',
        );
      }
    },
  };
}

export type WebPush = ReturnType<typeof createWebPush>;
