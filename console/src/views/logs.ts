import type {
  AuditPage,
  AuditRow,
  AuthLogPage,
  AuthLogRow,
} from '../../../src/gateway/console/console-api-types.js';
import { h, select } from '../dom.js';
import { time } from '../format.js';
import { type Column, pagedTable } from '../table.js';
import { badge, type View, type ViewContext, viewHead } from '../view.js';

const RANGES: readonly (readonly [string, string])[] = [
  ['', 'all kept'],
  ['1', 'last hour'],
  ['24', 'last day'],
  ['168', 'last week'],
  ['720', 'last 30 days'],
];

/** A time range select: `hours` back from now, turned into `since` by `rangeQuery`. */
function rangeSelect(): HTMLSelectElement {
  const range = select('hours', RANGES);
  range.dataset.label = 'Time range';
  return range;
}

function rangeQuery(query: Record<string, string | number | undefined>) {
  const { hours, ...rest } = query;
  return hours === undefined ? rest : { ...rest, since: Date.now() - Number(hours) * 3_600_000 };
}

function exportLinks(
  ctx: ViewContext,
  base: string,
  query: () => Record<string, string | number | undefined>,
) {
  const link = (format: 'csv' | 'json') => {
    const a = h(
      'a',
      { href: '#', download: `${base.slice(1)}.${format}`, class: 'button' },
      `Export ${format.toUpperCase()}`,
    );
    a.addEventListener('click', () => {
      const { offset: _o, limit: _l, sort: _s, order: _d, ...filters } = rangeQuery(query());
      a.href = ctx.api.url(`${base}/export`, { ...filters, format });
    });
    return a;
  };
  return h(
    'p',
    { class: 'buttons' },
    link('csv'),
    link('json'),
    h('small', {}, ' (up to 10,000 entries, as filtered)'),
  );
}

const resultBadge = (result: string) =>
  badge({
    word: result,
    tone: result === 'accept' ? 'good' : result === 'reject' ? 'bad' : 'wait',
  });

/** The auth log: every login decision, newest first, searched, filtered, paged, exported. */
export function authLogView(ctx: ViewContext, text: string): View {
  const result = select('result', [
    ['', 'any'],
    ['accept', 'accepted'],
    ['reject', 'rejected'],
    ['challenge', 'challenged'],
  ]);
  result.dataset.label = 'Result';
  const frontEnd = select('frontEnd', [
    ['', 'any'],
    ['radius', 'RADIUS'],
    ['http', 'HTTP'],
    ['cli', 'CLI'],
  ]);
  frontEnd.dataset.label = 'Via';
  const columns: Column<AuthLogRow>[] = [
    { label: 'Time', cell: (e) => time(e.at) },
    { label: 'User', cell: (e) => e.username },
    { label: 'Source', cell: (e) => e.sourceIp ?? '-' },
    { label: 'Via', cell: (e) => `${e.frontEnd}${e.client === null ? '' : ` (${e.client})`}` },
    { label: 'Method', cell: (e) => e.method },
    { label: 'Result', cell: (e) => resultBadge(e.result) },
    { label: 'Reason', cell: (e) => e.reason },
  ];
  const table = pagedTable<AuthLogRow>({
    caption: 'Auth log',
    searchLabel: 'Search (start of user or source address)',
    defaultSort: 'at',
    key: (e) => e.id,
    filters: [rangeSelect(), result, frontEnd],
    columns,
    load: async (query) => {
      const page = await ctx.api.get<AuthLogPage>('/auth-log', {
        ...rangeQuery(query),
        sort: undefined,
        order: undefined,
      });
      return { rows: page.entries, total: page.total, totalCapped: page.totalCapped };
    },
    empty: (filtered) =>
      filtered ? 'No login matches. Widen the time range or clear the search.' : 'No logins yet.',
    initialText: text,
  });
  return {
    title: 'Auth log',
    element: h(
      'div',
      {},
      ...viewHead('Auth log', 'Every login decision and its reason (never a password or a code).'),
      exportLinks(ctx, '/auth-log', table.query),
      table.element,
    ),
    refresh: table.refresh,
  };
}

/** The admin audit trail: every change by every admin, sign-ins and failed sign-ins. */
export function auditView(ctx: ViewContext): View {
  const outcome = select('outcome', [
    ['', 'any'],
    ['success', 'succeeded'],
    ['failure', 'failed'],
  ]);
  outcome.dataset.label = 'Outcome';
  const table = pagedTable<AuditRow>({
    caption: 'Audit trail',
    searchLabel: 'Search (start of admin, action or subject)',
    defaultSort: 'at',
    key: (e) => e.id,
    filters: [rangeSelect(), outcome],
    columns: [
      { label: 'Time', cell: (e) => time(e.at) },
      { label: 'Who', cell: (e) => e.actor },
      { label: 'Action', cell: (e) => e.action },
      { label: 'Subject', cell: (e) => e.subject ?? '-' },
      {
        label: 'Outcome',
        cell: (e) =>
          badge({
            word: e.outcome === 'success' ? 'succeeded' : 'failed',
            tone: e.outcome === 'success' ? 'good' : 'bad',
          }),
      },
      {
        label: 'Detail',
        cell: (e) =>
          e.detail === null ? '-' : h('span', { class: 'wrap' }, JSON.stringify(e.detail)),
      },
    ],
    load: async (query) => {
      const page = await ctx.api.get<AuditPage>('/audit', {
        ...rangeQuery(query),
        sort: undefined,
        order: undefined,
      });
      return { rows: page.entries, total: page.total, totalCapped: page.totalCapped };
    },
    empty: (filtered) =>
      filtered
        ? 'No entry matches. Widen the time range or clear the search.'
        : 'Nothing audited yet.',
  });
  return {
    title: 'Audit',
    element: h(
      'div',
      {},
      ...viewHead(
        'Audit trail',
        'Who changed what, when: console admins, the CLI, config import and sign-ins.',
      ),
      exportLinks(ctx, '/audit', table.query),
      table.element,
    ),
    refresh: table.refresh,
  };
}
