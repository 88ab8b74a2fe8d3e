import type { SessionReply } from '../../src/gateway/console/console-api-types.js';
import { createApi } from './api.js';
import { dialogOpen } from './confirm.js';
import { byId, field, h, say } from './dom.js';
import { createViewContext, messageOf, type View, type ViewContext } from './view.js';
import { adminsView } from './views/admins.js';
import { dashboardView } from './views/dashboard.js';
import { directoryView } from './views/directory.js';
import { auditView, authLogView } from './views/logs.js';
import { radiusView } from './views/radius.js';
import { settingsView } from './views/settings.js';
import { tokenPageView, tokensView } from './views/tokens.js';
import { userPageView } from './views/user-page.js';
import { usersView } from './views/users.js';

/** The live refresh: what a view shows follows the gateway (a token becoming active) this often. */
const REFRESH_MS = 5_000;

const api = createApi(() => showSignIn('Your session ended. Sign in again.'));
let context: ViewContext | undefined;
let current: View | undefined;
let timer: ReturnType<typeof setInterval> | undefined;

function signedIn(session: SessionReply) {
  api.setCsrf(session.csrf);
  context = createViewContext(api, session);
  byId('nav').hidden = false;
  byId('sign-out').hidden = false;
  const who = byId('who');
  who.hidden = false;
  who.textContent = `${session.user} (${session.role})`;
  void route();
}

/** The sign-in: name and password, then the admin's token code when they have a token. */
function showSignIn(message?: string) {
  context = undefined;
  clearInterval(timer);
  byId('nav').hidden = true;
  byId('sign-out').hidden = true;
  byId('who').hidden = true;
  const password = h('input', {
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const user = h('input', {
    name: 'user',
    autocomplete: 'username',
    required: true,
    value: 'admin',
  });
  const form = h(
    'form',
    { class: 'sign-in' },
    h('h1', {}, 'Sign in to the console'),
    field('Name', user),
    field('Password', password),
    h('button', { type: 'submit' }, 'Sign in'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const session = await api.send<SessionReply>('POST', '/session', {
        user: user.value.trim(),
        password: password.value,
      });
      if (session.needsCode) showCodeStep();
      else signedIn(session);
    } catch (error) {
      say(messageOf(error), 'error');
      password.select();
    }
  });
  byId('view').replaceChildren(form);
  document.title = 'Sign in - Tokenward console';
  say(message ?? '');
  user.focus();
}

function showCodeStep() {
  const code = h('input', {
    name: 'code',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    pattern: '[0-9]{6,8}',
    required: true,
  });
  const push = h('button', { type: 'button', class: 'secondary' }, 'Approve on my phone instead');
  const form = h(
    'form',
    { class: 'sign-in' },
    h('h1', {}, 'Your token code'),
    h('p', {}, 'Open the Tokenward app on your phone and type the code your admin token shows.'),
    field('Code', code),
    h('button', { type: 'submit' }, 'Sign in'),
    push,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      signedIn(await api.send<SessionReply>('POST', '/session/code', { code: code.value.trim() }));
    } catch (error) {
      say(messageOf(error), 'error');
      code.select();
    }
  });
  push.addEventListener('click', async () => {
    push.disabled = true;
    try {
      const sent = await api.send<{ number: number | null }>('POST', '/session/push');
      say(
        sent.number === null
          ? 'A push is on its way to your phone: approve it there.'
          : `A push is on its way to your phone: approve it there and pick ${sent.number}.`,
      );
      signedIn(await api.send<SessionReply>('POST', '/session/push/answer'));
    } catch (error) {
      say(messageOf(error), 'error');
      push.disabled = false;
    }
  });
  byId('view').replaceChildren(form);
  say('Password right: now the code from your token, or approve a push.');
  code.focus();
}

async function viewFor(ctx: ViewContext, hash: string): Promise<View> {
  const [, area = 'dashboard', rest] = /^#\/([^/?]+)(?:\/([^?]+))?/.exec(hash) ?? [];
  const param = rest === undefined ? undefined : decodeURIComponent(rest);
  const search = new URLSearchParams(hash.split('?')[1] ?? '');
  const go = (to: string) => {
    location.hash = to;
  };
  switch (area) {
    case 'users':
      return param === undefined
        ? usersView(ctx, await api.get<string[]>('/groups'))
        : userPageView(ctx, param, go);
    case 'tokens':
      return param === undefined ? tokensView(ctx) : tokenPageView(ctx, param);
    case 'auth-log':
      return authLogView(ctx, search.get('text') ?? '');
    case 'audit':
      return auditView(ctx);
    case 'radius':
      return radiusView(ctx);
    case 'directory':
      return directoryView(ctx);
    case 'settings':
      return settingsView(ctx);
    case 'admins':
      return adminsView(ctx);
    default:
      return dashboardView(ctx);
  }
}

async function route() {
  const ctx = context;
  if (ctx === undefined) return;
  clearInterval(timer);
  try {
    const view = await viewFor(ctx, location.hash);
    current = view;
    byId('view').replaceChildren(view.element);
    document.title = `${view.title} - Tokenward console`;
    for (const link of byId('nav').querySelectorAll('a')) {
      const active =
        location.hash.startsWith(link.getAttribute('href') ?? '-') ||
        (location.hash === '' && link.getAttribute('href') === '#/dashboard');
      if (active) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    await view.refresh?.();
    say('');
    if (view.live !== false && view.refresh !== undefined) {
      timer = setInterval(() => {
        if (document.hidden || dialogOpen() || current !== view) return;
        view
          .refresh?.()
          .then(() => {
            // How many live refreshes ran: what a test waits on instead of a clock.
            document.body.dataset.refreshes = String(
              Number(document.body.dataset.refreshes ?? 0) + 1,
            );
          })
          .catch((error: unknown) => say(messageOf(error), 'error'));
      }, REFRESH_MS);
    }
  } catch (error) {
    say(messageOf(error), 'error');
  }
}

window.addEventListener('hashchange', () => {
  void route();
  byId('main').focus();
});
byId('sign-out').addEventListener('click', async () => {
  await api.send('DELETE', '/session').catch(() => undefined);
  showSignIn('Signed out.');
});

// A page loaded with a live session goes straight in; otherwise the sign-in.
api.get<SessionReply>('/session').then(signedIn, () => showSignIn());
