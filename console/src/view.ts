import type { SessionReply } from '../../src/gateway/console/console-api-types.js';
import { type Api, ApiFailure } from './api.js';
import { type Child, h, say } from './dom.js';

/** What every view is given: the API, who is signed in, and a way to act and say how it went. */
export interface ViewContext {
  readonly api: Api;
  readonly session: SessionReply;
  /** Whether the signed-in admin's role may change what this area holds. */
  readonly may: (area: 'users' | 'settings') => boolean;
  /** Runs an action; says its result (or the server's refusal, in words) in the status line. */
  readonly act: (work: () => Promise<string | undefined>) => Promise<boolean>;
}

export interface View {
  readonly title: string;
  readonly element: HTMLElement;
  /** Reloads the data shown (the live refresh); keeps focus, selection and scroll. */
  readonly refresh?: () => Promise<void>;
  /** False: loaded once (forms); otherwise refreshed every few seconds. */
  readonly live?: boolean;
}

export function createViewContext(api: Api, session: SessionReply): ViewContext {
  return {
    api,
    session,
    may: (area) => session.role === 'super' || (session.role === 'helpdesk' && area === 'users'),
    async act(work) {
      try {
        const said = await work();
        if (said !== undefined) say(said);
        return true;
      } catch (error) {
        say(messageOf(error), 'error');
        return false;
      }
    },
  };
}

/** An error as the admin should read it: the server's sentence, never a stack or a schema. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiFailure) return error.message;
  return 'Something went wrong in the page. Reload it and try again.';
}

/** A heading and an intro paragraph, as every view starts. */
export function viewHead(title: string, intro?: Child): HTMLElement[] {
  return [h('h1', {}, title), ...(intro === undefined ? [] : [h('p', { class: 'intro' }, intro)])];
}

/** A button that runs an action (disabled meanwhile). */
export function actionButton(
  text: string,
  run: () => Promise<unknown>,
  attributes: Record<string, string> = {},
) {
  const button = h('button', { type: 'button', ...attributes }, text);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await run();
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** A badge: a word and a colour that say the same thing. */
export const badge = ({ word, tone }: { word: string; tone: string }) =>
  h('span', { class: `badge ${tone}` }, word);
