import { fromBase64 } from './bytes.js';
import { type DeviceRecord, ProvisionerError, sendMobile } from './device.js';
import { element, say } from './page.js';

const NO_PUSH =
  'This browser cannot tell you of login requests while the app is closed: keep the app open when you log in.';

/** The VAPID key (base64url) as the bytes pushManager.subscribe takes. */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replaceAll('-', '+').replaceAll('_', '/');
  return fromBase64(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='));
}

/**
 * The "login requests while the app is closed" control: asks for notifications, subscribes to
 * Web Push with the provisioner's VAPID key and gives the subscription to the provisioner
 * (MobilePushSubscribe). Where the browser has no push, it says so.
 */
export async function setUpNotifications(db: IDBDatabase, device: DeviceRecord): Promise<void> {
  const control = element<HTMLButtonElement>('notify');
  const state = element('notify-state');
  const supported =
    'PushManager' in window && 'Notification' in window && 'serviceWorker' in navigator;
  if (!supported) {
    control.hidden = true;
    state.textContent = NO_PUSH;
    return;
  }
  const registration = await navigator.serviceWorker.ready;
  if ((await registration.pushManager.getSubscription()) !== null) {
    control.hidden = true;
    state.textContent = 'Login requests reach you while the app is closed.';
  }
  control.addEventListener('click', () => {
    void (async () => {
      if ((await Notification.requestPermission()) !== 'granted') {
        say(
          'Notifications are off for this app, so login requests show only while it is open. Allow them in the browser settings to change that.',
          'error',
        );
        return;
      }
      try {
        const answer = (await (await fetch('/app/push-key')).json()) as {
          vapid_public_key: string;
        };
        const subscription = (
          await registration.pushManager.subscribe({
            userVisibleOnly: true,
            applicationServerKey: keyBytes(answer.vapid_public_key),
          })
        ).toJSON();
        await sendMobile(db, device, 'MobilePushSubscribe', {
          subscription: {
            endpoint: subscription.endpoint,
            keys: { p256dh: subscription.keys?.p256dh, auth: subscription.keys?.auth },
          },
        });
        control.hidden = true;
        state.textContent = 'Login requests reach you while the app is closed.';
        say('Done: login requests now reach you while the app is closed.');
      } catch (error) {
        say(error instanceof ProvisionerError ? error.message : NO_PUSH, 'error');
      }
    })();
  });
}
