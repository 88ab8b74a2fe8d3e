import type { PushContext } from '../../src/protocol/softtoken/messages.js';
import type { PendingPushEntry } from '../../src/protocol/softtoken/responses.js';
import { toBase64, utf8 } from './bytes.js';
import { type DeviceRecord, ProvisionerError, sendMobile } from './device.js';
import { button, element, make, say } from './page.js';
import { reconcileTokens, type TokenRecord } from './tokens.js';
import { totpCode } from './totp.js';

interface Answering extends PushListenerDeps {
  readonly answered: Set<string>;
}

/** How long one MobilePushPoll waits for a push (the provisioner holds at most 30 s). */
const WAIT_SECONDS = 25;
const RETRY_MS = { first: 1_000, max: 30_000 } as const;

export interface PushListenerDeps {
  readonly db: IDBDatabase;
  readonly device: DeviceRecord;
  readonly tokens: () => readonly TokenRecord[];
  /** Told when the provisioner no longer lists a token for this phone. */
  readonly tokensChanged: () => Promise<void>;
}

/**
 * While the app is open and visible: long-polls the provisioner for login requests to this
 * phone's tokens and shows each with its context; also learns which tokens moved away. A
 * failed poll (offline, server away) is retried with a growing pause; the loop never ends.
 */
export function startPushListener(listener: PushListenerDeps): void {
  // Requests this page answered: a poll that read the store before the answer was written
  // still lists them, and must not bring them back (over the answer's message).
  const deps: Answering = { ...listener, answered: new Set() };
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  void (async () => {
    let failures = 0;
    // The first poll answers at once: a token moved away shows as soon as the app opens.
    let wait = 0;
    for (;;) {
      const active = deps.tokens().filter((t) => t.status === 'active');
      if (document.hidden || active.length === 0) {
        await pause(1_000);
        continue;
      }
      try {
        const answer = await sendMobile(deps.db, deps.device, 'MobilePushPoll', { wait });
        wait = WAIT_SECONDS;
        if (answer.tokens !== undefined && (await reconcileTokens(deps.db, answer.tokens))) {
          await deps.tokensChanged();
        }
        showRequests(deps, answer.pushes ?? []);
        failures = 0;
      } catch {
        failures++;
        await pause(Math.min(RETRY_MS.first * 2 ** (failures - 1), RETRY_MS.max));
      }
    }
  })();
}

/** Adds the new requests and takes away those no longer pending; a request being answered stays. */
function showRequests(deps: Answering, pushes: readonly PendingPushEntry[]): void {
  const list = element<HTMLUListElement>('request-list');
  const pending = new Set(pushes.map((push) => push.push_id));
  for (const card of list.querySelectorAll<HTMLLIElement>('li.request')) {
    if (!pending.has(card.dataset.pushId ?? '') && card.dataset.answering !== 'yes') card.remove();
  }
  let first: HTMLElement | undefined;
  for (const push of pushes) {
    if (deps.answered.has(push.push_id)) continue;
    if (list.querySelector(`li.request[data-push-id="${push.push_id}"]`) !== null) continue;
    const token = deps.tokens().find((t) => t.serial === push.token);
    if (token === undefined) continue;
    const card = requestCard(deps, push, token);
    list.append(card);
    first ??= card.querySelector('h3') ?? undefined;
  }
  element('requests').hidden = list.children.length === 0;
  if (first !== undefined) {
    first.focus();
    say('A login request is waiting for your answer.');
  }
}

function requestCard(deps: Answering, push: PendingPushEntry, token: TokenRecord): HTMLLIElement {
  const card = make('li', 'request');
  card.dataset.pushId = push.push_id;
  const heading = make('h3', 'request-title', `${push.context.username} is logging in`);
  heading.tabIndex = -1;
  card.append(heading, contextList(push.context, token));
  const answers = make('div', 'answers');
  const answer = async (action: 'approve' | 'deny', number?: number) => {
    card.dataset.answering = 'yes';
    deps.answered.add(push.push_id);
    for (const control of card.querySelectorAll('button, input'))
      control.setAttribute('disabled', '');
    const said = await reply(deps, push, token, action, number);
    say(said.text, said.kind);
    card.remove();
    element('requests').hidden = element('request-list').children.length === 0;
  };
  const deny = button('deny', 'Deny', () => askWasItYou(answers, answer));
  if (push.number === undefined) {
    answers.append(
      button('approve', 'Approve', () => void answer('approve')),
      deny,
    );
  } else {
    // Number matching: the number is typed from the login screen, never shown here (shown, it
    // would be approved by a tap without looking: the fatigue the matching exists to stop).
    const id = `number-${push.push_id}`;
    const label = make('label', '', 'Number shown at the login');
    label.htmlFor = id;
    const input = make('input', 'number');
    input.id = id;
    input.inputMode = 'numeric';
    input.autocomplete = 'off';
    input.maxLength = 2;
    const approve = button('approve', 'Approve', () => void answer('approve', Number(input.value)));
    approve.disabled = true;
    input.addEventListener('input', () => {
      approve.disabled = !/^\d{1,2}$/.test(input.value.trim());
    });
    answers.append(label, input, approve, deny);
  }
  card.append(answers);
  return card;
}

/** What the login request says: who, from where, through what, when. */
function contextList(context: PushContext, token: TokenRecord): HTMLDListElement {
  const list = make('dl', 'context');
  // With its zone: a login at 03:00 somewhere else is worth noticing. (dateStyle and
  // timeZoneName cannot be combined, hence the fields one by one.)
  const when = new Date(context.timestamp * 1000).toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
  });
  const rows: [string, string][] = [
    ['Token', token.label],
    ['From', context.user_ip],
    ['Application', context.user_agent],
    ['Where', context.realm],
    ['When', when],
  ];
  if (context.log_message !== '') rows.push(['Message', context.log_message]);
  for (const [term, value] of rows) list.append(make('dt', '', term), make('dd', '', value));
  return list;
}

/** Deny asks first: a login that was not theirs is worth telling the administrator about. */
function askWasItYou(answers: HTMLElement, answer: (action: 'deny') => Promise<void>): void {
  const question = make('p', 'was-it-you', 'Was this you?');
  question.tabIndex = -1;
  const mine = button('deny', 'Yes: cancel my login', () => void answer('deny'));
  const notMine = button('deny', 'No: it was not me', () => {
    void answer('deny').then(() =>
      say(
        'Denied. Someone else knows your password: change it, and tell your administrator (the login is in their log as denied).',
        'error',
      ),
    );
  });
  answers.replaceChildren(question, mine, notMine);
  question.focus();
}

/** Sends the answer with the proof the CLI token sends; says what happened, in words. */
async function reply(
  deps: PushListenerDeps,
  push: PendingPushEntry,
  token: TokenRecord,
  action: 'approve' | 'deny',
  number?: number,
): Promise<{ text: string; kind: 'info' | 'error' }> {
  const failed = (text: string) => ({ text, kind: 'error' as const });
  const proof = await crypto.subtle.sign(
    'HMAC',
    token.proofKey,
    utf8(`${push.push_id}\n${action}`),
  );
  const now = Date.now() + deps.device.clockOffset;
  try {
    await sendMobile(deps.db, deps.device, 'MobilePushReply', {
      push_id: push.push_id,
      token: token.serial,
      action,
      ...(action === 'approve'
        ? { token_code: await totpCode(token.key, token.digits, token.period, now) }
        : {}),
      ...(number === undefined ? {} : { number }),
      hmac: toBase64(proof),
    });
    return {
      text:
        action === 'approve' ? 'Approved: the login goes ahead.' : 'Denied: the login was refused.',
      kind: 'info',
    };
  } catch (error) {
    if (error instanceof ProvisionerError && error.code === 'TW_PUSH_NUMBER_MISMATCH') {
      return failed(
        'That is not the number the login shows, so the login was refused. If it was you, log in again and type the number you see.',
      );
    }
    if (error instanceof ProvisionerError && error.code === 'TW_PUSH_CLOSED') {
      return failed('This login request has ended (answered elsewhere, or it ran out of time).');
    }
    return failed(
      error instanceof ProvisionerError
        ? error.message
        : 'The token server could not be reached, so nothing was answered. Check that you are online.',
    );
  }
}
