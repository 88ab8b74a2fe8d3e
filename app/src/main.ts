import { type DeviceRecord, loadDevice, openDatabase, ProvisionerError } from './device.js';
import { setUpNotifications } from './notifications.js';
import { element, say } from './page.js';
import { startPushListener } from './push.js';
import { showCodes, tokenCard } from './token-card.js';
import {
  activateToken,
  listTokens,
  normaliseCode,
  removeToken,
  type TokenRecord,
} from './tokens.js';
import { showTransfer } from './transfer.js';

/** The app: the tokens with their codes, activation from a link or a typed code, login requests. */
async function start(): Promise<void> {
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' }).catch(() => {
      say('This browser would not keep the app for offline use; it still works online.');
    });
  }
  const db = await openDatabase();
  const device = await loadDevice(db);
  let tokens: TokenRecord[] = [];
  const refresh = async () => {
    tokens = await listTokens(db);
    render(tokens, {
      remove: (token) => void confirmRemove(db, token, refresh),
      move: (token) => void showTransfer(db, device, token),
    });
    await showCodes(tokens, device);
  };
  await refresh();
  setInterval(() => void showCodes(tokens, device), 1000);
  startPushListener({ db, device, tokens: () => tokens, tokensChanged: refresh });
  void setUpNotifications(db, device).catch(() => undefined);

  element<HTMLFormElement>('activate-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = element<HTMLInputElement>('code');
    void activate(db, device, input.value).then(async (done) => {
      if (!done) return;
      input.value = '';
      await refresh();
    });
  });

  // An activation link opened now, or into the app already open (only the fragment changes).
  const activateFromLink = async () => {
    const fromLink = /^#activate=([^&]+)/.exec(location.hash)?.[1];
    if (fromLink === undefined) return;
    // The code leaves the address bar (and the history) before anything else happens.
    history.replaceState(null, '', location.pathname);
    if (await activate(db, device, decodeURIComponent(fromLink))) await refresh();
  };
  addEventListener('hashchange', () => void activateFromLink());
  await activateFromLink();
}

/** Activates a token with a code; true when it is on this phone. Errors are said in words. */
async function activate(db: IDBDatabase, device: DeviceRecord, typed: string): Promise<boolean> {
  const code = normaliseCode(typed);
  if (code === undefined) {
    say(
      'That is not an activation code. It has 16 letters and digits (A to Z, 2 to 7), as in your activation e-mail or SMS.',
      'error',
    );
    element('code').focus();
    return false;
  }
  say('Activating your token\u2026');
  try {
    const token = await activateToken(db, device, code);
    say(`${token.label} is ready on this phone. Use the code below when you log in.`);
    return true;
  } catch (error) {
    say(explain(error), 'error');
    return false;
  }
}

/** What went wrong and what to do, in words (the provisioner's own words where it gave them). */
function explain(error: unknown): string {
  if (error instanceof ProvisionerError) {
    if (error.code === 'TW_RATE_LIMITED') return `${error.message} Wait a minute, then try again.`;
    if (error.code === 'TW_DEVICE_REQUEST_STALE') {
      return "This phone's clock is far from the right time. Set the date and time to automatic, then try again.";
    }
    return error.message;
  }
  if (error instanceof TypeError) {
    return 'The token server could not be reached. Check that you are online, then try again.';
  }
  return 'Something went wrong on this phone. Reload the app and try again.';
}

function render(tokens: readonly TokenRecord[], actions: Parameters<typeof tokenCard>[1]): void {
  element('empty').hidden = tokens.length > 0;
  element('copy-hint').hidden = !tokens.some((t) => t.status === 'active');
  element<HTMLUListElement>('token-list').replaceChildren(
    ...[...tokens].sort((a, b) => a.activatedAt - b.activatedAt).map((t) => tokenCard(t, actions)),
  );
}

async function confirmRemove(db: IDBDatabase, token: TokenRecord, changed: () => Promise<void>) {
  const sure = confirm(
    `Remove ${token.label} from this phone? Its codes stop here for good: to log in again you need a new activation from your administrator.`,
  );
  if (!sure) return;
  await removeToken(db, token.serial);
  say(`${token.label} was removed from this phone.`);
  await changed();
}

start().catch(() => {
  say(
    'This browser cannot keep a token: it needs IndexedDB and WebCrypto with Ed25519 and X25519 (current Chrome, Safari or Firefox, not a private window).',
    'error',
  );
});
