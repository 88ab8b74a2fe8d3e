import type {
  Checklist,
  LoginStats,
  Overview,
} from '../../../src/gateway/console/console-api-types.js';
import { loginsChart } from '../chart.js';
import { h } from '../dom.js';
import { stateBadge, time } from '../format.js';
import { simpleTable } from '../simple-table.js';
import { badge, type View, type ViewContext, viewHead } from '../view.js';

const STEPS: readonly { key: keyof Checklist; text: string; href: string; how: string }[] = [
  {
    key: 'delivery',
    text: 'Set how activations reach people',
    href: '#/settings',
    how: 'a mail server (with a test e-mail) or an SMS webhook',
  },
  {
    key: 'radiusClient',
    text: 'Add a RADIUS client',
    href: '#/radius',
    how: 'the VPN or NAS that checks logins here',
  },
  {
    key: 'activatedUser',
    text: 'Add a user and activate their token',
    href: '#/users',
    how: 'the activation goes out by mail or SMS; they scan it in the app',
  },
  {
    key: 'adminToken',
    text: 'Protect your own sign-in with a token',
    href: '#/admins',
    how: 'your admin account asks for your token code after the password',
  },
];

/** The dashboard: the first-run checklist, tokens and seats, logins per hour, who fails most. */
export function dashboardView(ctx: ViewContext): View {
  const card = (id: string, wide = false) =>
    h('section', { class: wide ? 'card wide' : 'card', 'aria-labelledby': id });
  const checklist = card('checklist-title');
  checklist.classList.add('checklist');
  const [tokens, licences, failing] = [
    card('tokens-title'),
    card('licences-title'),
    card('failing-title'),
  ];
  const [chart, recent] = [card('chart-title', true), card('recent-title', true)];
  let hours: 24 | 168 = 24;
  const range = h(
    'select',
    { name: 'hours', 'aria-label': 'Chart range' },
    h('option', { value: '24' }, 'last day'),
    h('option', { value: '168' }, 'last week'),
  );
  range.addEventListener('change', () => {
    hours = range.value === '168' ? 168 : 24;
    void refresh();
  });

  async function refresh() {
    const [overview, steps, stats] = await Promise.all([
      ctx.api.get<Overview>('/overview'),
      ctx.api.get<Checklist>('/checklist'),
      ctx.api.get<LoginStats>('/login-stats', { hours }),
    ]);
    checklist.hidden = STEPS.every((step) => steps[step.key]);
    checklist.replaceChildren(...checklistContent(steps));
    tokens.replaceChildren(...tokensContent(overview));
    licences.replaceChildren(...licencesContent(overview));
    chart.replaceChildren(
      h('div', { class: 'card-head' }, h('h2', { id: 'chart-title' }, 'Logins per hour'), range),
      loginsChart(stats),
    );
    failing.replaceChildren(...failingContent(stats, hours));
    recent.replaceChildren(...recentContent(overview));
  }
  const element = h(
    'div',
    {},
    ...viewHead('Dashboard'),
    checklist,
    h('div', { class: 'cards' }, tokens, licences, failing, chart, recent),
  );
  return { title: 'Dashboard', element, refresh };
}

function checklistContent(steps: Checklist): HTMLElement[] {
  const done = STEPS.filter((step) => steps[step.key]).length;
  return [
    h('h2', { id: 'checklist-title' }, `Getting started: ${done} of ${STEPS.length} done`),
    h(
      'ol',
      {},
      ...STEPS.map((step) =>
        h(
          'li',
          { class: steps[step.key] ? 'done' : 'todo' },
          h('span', { class: 'visually-hidden' }, steps[step.key] ? 'Done: ' : 'To do: '),
          h('a', { href: step.href }, step.text),
          h('small', {}, ` (${step.how})`),
        ),
      ),
    ),
  ];
}

function tokensContent(overview: Overview): HTMLElement[] {
  const states = Object.entries(overview.tokensByState);
  return [
    h('h2', { id: 'tokens-title' }, 'Tokens by state'),
    states.length === 0
      ? h('p', {}, 'No tokens yet: import a licence (tokenward gateway licence import).')
      : h(
          'ul',
          { class: 'plain' },
          ...states.map(([state, n]) =>
            h(
              'li',
              {},
              badge(stateBadge(state, state === 'locked' ? 'lock' : 'active')),
              ` ${n.toLocaleString()}`,
            ),
          ),
        ),
    h('p', {}, `Token server: ${overview.tokenServer}`),
  ];
}

function licencesContent(overview: Overview): HTMLElement[] {
  return [
    h('h2', { id: 'licences-title' }, 'Licences'),
    simpleTable(
      ['Licence', 'Seats', 'Used', 'Free'],
      overview.licences.map((l) => [l.name, l.seats, l.used, l.free]),
    ),
  ];
}

function failingContent(stats: LoginStats, hours: number): HTMLElement[] {
  const list = (rows: { key: string; count: number }[]) =>
    rows.length === 0
      ? h('p', {}, 'No rejected logins.')
      : h(
          'ol',
          {},
          ...rows.map((r) => h('li', {}, `${r.key}: ${r.count.toLocaleString()} rejected`)),
        );
  return [
    h('h2', { id: 'failing-title' }, `Most rejected, last ${hours === 24 ? 'day' : 'week'}`),
    h('h3', {}, 'Users'),
    list(stats.topRejectedUsers),
    h('h3', {}, 'Sources'),
    list(stats.topRejectedSources),
  ];
}

function recentContent(overview: Overview): HTMLElement[] {
  return [
    h('h2', { id: 'recent-title' }, 'Recent logins'),
    overview.recentLogins.length === 0
      ? h(
          'p',
          {},
          'No logins yet. Once a RADIUS client or web application sends one, it shows here.',
        )
      : simpleTable(
          ['Time', 'User', 'Via', 'Result', 'Reason'],
          overview.recentLogins.map((e) => [
            time(e.at),
            e.username,
            e.frontEnd,
            badge({
              word: e.result,
              tone: e.result === 'accept' ? 'good' : e.result === 'reject' ? 'bad' : 'wait',
            }),
            e.reason,
          ]),
        ),
  ];
}
