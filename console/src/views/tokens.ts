import type {
  Ok,
  TokenDetail,
  TokenRow,
  TokensPage,
} from '../../../src/gateway/console/console-api-types.js';
import { path } from '../api.js';
import { confirmAction } from '../confirm.js';
import { fill, h, select } from '../dom.js';
import { stateBadge, time } from '../format.js';
import { pagedTable } from '../table.js';
import { actionButton, badge, type View, type ViewContext, viewHead } from '../view.js';

/** The tokens table: every seat of the licences, its state in words and colour, its holder. */
export function tokensView(ctx: ViewContext): View {
  const state = select('state', [
    ['', 'any'],
    ['new', 'not assigned'],
    ['provisioning', 'waiting for activation'],
    ['provisioned', 'active on a phone'],
    ['provision timeout', 'activation expired'],
  ]);
  state.dataset.label = 'State';
  const status = select('status', [
    ['', 'any'],
    ['lock', 'locked'],
    ['active', 'not locked'],
  ]);
  status.dataset.label = 'Locked';
  const table = pagedTable<TokenRow>({
    caption: 'Tokens',
    searchLabel: 'Search (start of serial or user)',
    defaultSort: 'serial',
    key: (t) => t.serial,
    filters: [state, status],
    load: async (query) => {
      const page = await ctx.api.get<TokensPage>('/tokens', query);
      return { rows: page.tokens, total: page.total, totalCapped: page.totalCapped };
    },
    columns: [
      {
        label: 'Serial',
        sort: 'serial',
        cell: (t) =>
          h(
            'a',
            { href: `#/tokens/${encodeURIComponent(t.serial)}`, 'data-focus': 'open' },
            t.serial,
          ),
      },
      { label: 'State', sort: 'state', cell: (t) => badge(stateBadge(t.state, t.status)) },
      {
        label: 'User',
        sort: 'user',
        cell: (t) =>
          t.user === null ? '-' : h('a', { href: `#/users/${encodeURIComponent(t.user)}` }, t.user),
      },
      {
        label: 'Phone',
        cell: (t) =>
          t.regId === null
            ? '-'
            : h('span', { class: 'wrap' }, `${t.osVer ?? ''} ${t.regId.slice(0, 12)}…`),
      },
      {
        label: 'Activation expires',
        sort: 'activationExpiresAt',
        cell: (t) => (t.state === 'provisioning' ? time(t.activationExpiresAt) : '-'),
      },
    ],
    empty: (filtered) =>
      filtered
        ? 'No token matches. Clear the search or the filters.'
        : 'No tokens yet: import a licence with tokenward gateway licence import.',
  });
  return {
    title: 'Tokens',
    element: h(
      'div',
      {},
      ...viewHead('Tokens', 'Each token is one seat of a licence; a user holds at most one.'),
      table.element,
    ),
    refresh: table.refresh,
  };
}

const EVENT_WORDS: Record<string, string> = {
  'token.provision': 'provisioned (activation issued)',
  'token.reprovision': 'reprovisioned (the old phone stopped working)',
  'token.deliver': 'activation sent',
  'token.activate': 'activated on a phone',
  'token.move': 'moved to another phone',
  'token.activation-expired': 'activation expired',
  'token.lock': 'locked',
  'token.unlock': 'unlocked',
  'token.revoke': 'revoked',
  'token.reveal-code': 'activation shown to an admin',
};

/** One token: its facts, its history (who did what, when) and the admin's actions. */
export function tokenPageView(ctx: ViewContext, serial: string): View {
  const facts = h('section', { class: 'card', 'aria-labelledby': 'facts-title' });
  const history = h('section', { class: 'card wide', 'aria-labelledby': 'history-title' });
  const url = `/tokens/${path(serial)}`;
  async function refresh() {
    const detail = await ctx.api.get<TokenDetail>(url);
    const t = detail.token;
    const act = (action: string, done: string, body: object = {}) =>
      ctx.act(async () => {
        await ctx.api.send<Ok>('POST', `${url}/${action}`, body);
        await refresh();
        return done;
      });
    fill(
      facts,
      h('h2', { id: 'facts-title' }, 'Token'),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'State'),
        h('dd', {}, badge(stateBadge(t.state, t.status))),
        h('dt', {}, 'User'),
        h('dd', {}, t.user ?? '-'),
        h('dt', {}, 'Licence'),
        h('dd', {}, t.licence),
        h('dt', {}, 'Phone'),
        h('dd', { class: 'wrap' }, t.regId === null ? '-' : `${t.osVer ?? ''} ${t.regId}`),
        h('dt', {}, 'Clock drift'),
        h('dd', {}, `${t.drift} steps`),
        h('dt', {}, 'Changed'),
        h('dd', {}, time(t.updatedAt)),
      ),
      ctx.may('users') &&
        h(
          'div',
          { class: 'buttons' },
          t.status === 'lock'
            ? actionButton('Unlock the token', () => act('unlock', `${serial} unlocked.`))
            : actionButton('Lock the token', () =>
                act('lock', `${serial} locked: logins with it are refused.`),
              ),
          t.state !== 'new' &&
            actionButton(
              'Revoke…',
              async () => {
                if (
                  await confirmAction(
                    `Revoke ${serial}?`,
                    `${t.user ?? 'Its holder'}'s phone will stop working for logins here, and the token goes back to the licence's free seats.`,
                    'Revoke',
                  )
                ) {
                  await act('revoke', `${serial} revoked.`, { confirm: true });
                }
              },
              { class: 'danger' },
            ),
        ),
    );
    history.replaceChildren(
      h('h2', { id: 'history-title' }, 'History'),
      detail.history.length === 0
        ? h('p', {}, 'Nothing has happened to this token yet.')
        : h(
            'ol',
            { class: 'plain' },
            ...detail.history.map((e) =>
              h(
                'li',
                {},
                `${time(e.at)}: ${EVENT_WORDS[e.action] ?? e.action}, by ${e.actor}${e.outcome === 'failure' ? ' (failed)' : ''}`,
              ),
            ),
          ),
    );
  }
  return {
    title: `Token ${serial}`,
    element: h(
      'div',
      {},
      h('p', {}, h('a', { href: '#/tokens' }, 'Tokens')),
      ...viewHead(serial),
      h('div', { class: 'cards' }, facts, history),
    ),
    refresh,
  };
}
