import { fromBase64 } from './bytes.js';
import { readAll, remove, write } from './database.js';
import {
  type DeviceRecord,
  loadDevice,
  OS_VER,
  openDatabase,
  ProvisionerError,
  sendMobile,
} from './device.js';
import { type OtpAlgorithm, openSeedAsKey } from './seed.js';
import { secondsLeft, totpCode } from './totp.js';

/** A token as this phone keeps it: the seed only as a non-extractable HMAC key. */
interface TokenRecord {
  readonly serial: string;
  readonly label: string;
  readonly algorithm: OtpAlgorithm;
  readonly digits: number;
  readonly period: number;
  readonly key: CryptoKey;
  readonly activatedAt: number;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

const element = <T extends HTMLElement>(id: string): T => {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`#${id} is missing from the page`);
  return found as T;
};

/** Says something in the status line (a live region: screen readers read it out). */
function say(text: string, kind: 'info' | 'error' = 'info'): void {
  const status = element('status');
  status.textContent = text;
  status.dataset.kind = kind;
}

/**
 * An activation code as a person types it: any case, spaces or dashes anywhere. Undefined when
 * it cannot be one (16 base32 characters); the provisioner checks the rest.
 */
export function normaliseCode(input: string): string | undefined {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  return code.length === 16 && [...code].every((c) => BASE32.includes(c)) ? code : undefined;
}

/** Whether a code's header (its first byte, 0x02) says it is a transfer from another phone. */
function isTransferCode(code: string): boolean {
  const first = (BASE32.indexOf(code[0] ?? 'A') << 3) | (BASE32.indexOf(code[1] ?? 'A') >> 2);
  return first === 0x02;
}

/** Digits in two groups, as people read them out: 123 456, 1234 5678. */
const grouped = (code: string) =>
  `${code.slice(0, code.length / 2)} ${code.slice(code.length / 2)}`;

async function start(): Promise<void> {
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' }).catch(() => {
      say('This browser would not keep the app for offline use; it still works online.');
    });
  }
  const db = await openDatabase();
  const device = await loadDevice(db);
  let tokens = await readAll<TokenRecord>(db, 'tokens');
  const refresh = async () => {
    tokens = await readAll<TokenRecord>(db, 'tokens');
    renderTokens(db, tokens, refresh);
    await tick(tokens, device);
  };
  renderTokens(db, tokens, refresh);
  await tick(tokens, device);
  setInterval(() => void tick(tokens, device), 1000);

  element<HTMLFormElement>('activate-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = element<HTMLInputElement>('code');
    void activate(db, device, input.value).then(async (done) => {
      if (done) {
        input.value = '';
        await refresh();
      }
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
    const answer = await sendMobile(db, device, 'MobileProvision', {
      ...(isTransferCode(code) ? { transfer_code: code } : { activation_code: code }),
      identity_key: device.identityPublic,
      sealing_key: device.sealingPublic,
      mobile_device_version: OS_VER,
    });
    const serial = String(answer.token);
    const algorithm = answer.algorithm as OtpAlgorithm;
    const key = await openSeedAsKey({
      sealed: String(answer.seed),
      serial,
      registrationId: device.registrationId,
      sealing: device.sealing,
      sealingPublic: fromBase64(device.sealingPublic),
      algorithm,
    });
    const token: TokenRecord = {
      serial,
      label: typeof answer.label === 'string' ? answer.label : serial,
      algorithm,
      digits: Number(answer.digits),
      period: Number(answer.period),
      key,
      activatedAt: Date.now(),
    };
    await write(db, 'tokens', token);
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
    if (error.code === 'TW_RATE_LIMITED') {
      return `${error.message} Wait a minute, then try again.`;
    }
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

function renderTokens(
  db: IDBDatabase,
  tokens: readonly TokenRecord[],
  changed: () => Promise<void>,
) {
  const list = element<HTMLUListElement>('token-list');
  element('empty').hidden = tokens.length > 0;
  element('copy-hint').hidden = tokens.length === 0;
  list.replaceChildren(
    ...[...tokens]
      .sort((a, b) => a.activatedAt - b.activatedAt)
      .map((token) => tokenCard(db, token, changed)),
  );
}

function tokenCard(
  db: IDBDatabase,
  token: TokenRecord,
  changed: () => Promise<void>,
): HTMLLIElement {
  const card = document.createElement('li');
  card.className = 'token';
  card.dataset.serial = token.serial;
  const label = document.createElement('p');
  label.className = 'label';
  label.id = `label-${token.serial}`;
  label.textContent = token.label;
  const serial = document.createElement('p');
  serial.className = 'serial';
  serial.textContent = token.serial;
  const code = document.createElement('button');
  code.type = 'button';
  code.className = 'code';
  // Named by its digits (what is seen is what is read out), described by the token and the hint.
  code.setAttribute('aria-describedby', `${label.id} copy-hint`);
  const digits = document.createElement('span');
  digits.className = 'digits';
  digits.setAttribute('aria-live', 'polite');
  code.append(digits);
  code.addEventListener('click', () => {
    const plain = (digits.textContent ?? '').replace(/\s/g, '');
    navigator.clipboard
      ?.writeText(plain)
      .then(() =>
        say(`Code copied. It works for ${secondsLeft(token.period, Date.now())} more seconds.`),
      )
      .catch(() => say('This browser did not allow copying; type the code instead.', 'error'));
  });
  const ring = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  ring.setAttribute('viewBox', '0 0 36 36');
  ring.setAttribute('class', 'ring');
  ring.setAttribute('aria-hidden', 'true');
  const track = document.createElementNS('http://www.w3.org/2000/svg', 'circle');
  const arc = document.createElementNS('http://www.w3.org/2000/svg', 'circle');
  for (const circle of [track, arc]) {
    circle.setAttribute('cx', '18');
    circle.setAttribute('cy', '18');
    circle.setAttribute('r', '15.9155');
  }
  track.setAttribute('class', 'track');
  arc.setAttribute('class', 'arc');
  arc.setAttribute('pathLength', '100');
  ring.append(track, arc);
  const left = document.createElement('p');
  left.className = 'left';
  const removeButton = document.createElement('button');
  removeButton.type = 'button';
  removeButton.className = 'remove';
  removeButton.textContent = 'Remove';
  removeButton.setAttribute('aria-label', `Remove ${token.label} from this phone`);
  removeButton.addEventListener('click', () => {
    const sure = confirm(
      `Remove ${token.label} from this phone? Its codes stop here for good: to log in again you need a new activation from your administrator.`,
    );
    if (!sure) return;
    void remove(db, 'tokens', token.serial).then(async () => {
      say(`${token.label} was removed from this phone.`);
      await changed();
    });
  });
  const timer = document.createElement('div');
  timer.className = 'timer';
  timer.append(ring, left);
  card.append(label, serial, code, timer, removeButton);
  return card;
}

/** Shows each token's current code and the time left, on the provisioner's clock. */
async function tick(tokens: readonly TokenRecord[], device: DeviceRecord): Promise<void> {
  const now = Date.now() + device.clockOffset;
  for (const token of tokens) {
    const card = document.querySelector<HTMLLIElement>(`li.token[data-serial="${token.serial}"]`);
    if (card === null) continue;
    const digits = card.querySelector('.digits');
    const shown = grouped(await totpCode(token.key, token.digits, token.period, now));
    if (digits !== null && digits.textContent !== shown) digits.textContent = shown;
    const seconds = secondsLeft(token.period, now);
    const left = card.querySelector('.left');
    if (left !== null) left.textContent = `${seconds} s left`;
    card
      .querySelector('.arc')
      ?.setAttribute('stroke-dasharray', `${(seconds / token.period) * 100} 100`);
  }
}

start().catch(() => {
  say(
    'This browser cannot keep a token: it needs IndexedDB and WebCrypto with Ed25519 and X25519 (current Chrome, Safari or Firefox, not a private window).',
    'error',
  );
});
