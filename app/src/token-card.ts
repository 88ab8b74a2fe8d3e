import type { DeviceRecord } from './device.js';
import { button, make, say } from './page.js';
import type { TokenRecord } from './tokens.js';
import { secondsLeft, totpCode } from './totp.js';

const SVG = 'http://www.w3.org/2000/svg';

/** Digits in two groups, as people read them out: 123 456, 1234 5678. */
const grouped = (code: string) =>
  `${code.slice(0, code.length / 2)} ${code.slice(code.length / 2)}`;

export interface CardActions {
  remove(token: TokenRecord): void;
  move(token: TokenRecord): void;
}

/** One token: its label and serial, the code (press to copy), the time left, its actions. */
export function tokenCard(token: TokenRecord, actions: CardActions): HTMLLIElement {
  const card = make('li', 'token');
  card.dataset.serial = token.serial;
  card.dataset.status = token.status;
  const label = make('p', 'label', token.label);
  label.id = `label-${token.serial}`;
  card.append(label, make('p', 'serial', token.serial));
  if (token.status === 'moved') {
    card.append(
      make(
        'p',
        'moved',
        'Moved: this token now works on another phone (or was revoked). It makes no codes here.',
      ),
      button('remove', 'Remove', () => actions.remove(token)),
    );
    return card;
  }
  const code = button('code', '', () => {
    const plain = (digits.textContent ?? '').replace(/\s/g, '');
    navigator.clipboard
      ?.writeText(plain)
      .then(() =>
        say(`Code copied. It works for ${secondsLeft(token.period, Date.now())} more seconds.`),
      )
      .catch(() => say('This browser did not allow copying; type the code instead.', 'error'));
  });
  // Named by its digits (what is seen is what is read out), described by the token and the hint.
  code.setAttribute('aria-describedby', `${label.id} copy-hint`);
  const digits = make('span', 'digits');
  digits.setAttribute('aria-live', 'polite');
  code.append(digits);
  const ring = document.createElementNS(SVG, 'svg');
  ring.setAttribute('viewBox', '0 0 36 36');
  ring.setAttribute('class', 'ring');
  ring.setAttribute('aria-hidden', 'true');
  for (const part of ['track', 'arc']) {
    const circle = document.createElementNS(SVG, 'circle');
    circle.setAttribute('cx', '18');
    circle.setAttribute('cy', '18');
    circle.setAttribute('r', '15.9155');
    circle.setAttribute('class', part);
    circle.setAttribute('pathLength', '100');
    ring.append(circle);
  }
  const timer = make('div', 'timer');
  timer.append(ring, make('p', 'left'));
  const remove = button('remove', 'Remove', () => actions.remove(token));
  remove.setAttribute('aria-describedby', label.id);
  const move = button('move', 'Move to a new phone', () => actions.move(token));
  move.setAttribute('aria-describedby', label.id);
  const row = make('div', 'actions');
  row.append(move, remove);
  card.append(code, timer, row);
  return card;
}

/** Shows each active token's current code and the time left, on the provisioner's clock. */
export async function showCodes(
  tokens: readonly TokenRecord[],
  device: DeviceRecord,
): Promise<void> {
  const now = Date.now() + device.clockOffset;
  for (const token of tokens) {
    if (token.status !== 'active') continue;
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
