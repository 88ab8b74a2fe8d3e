import type {
  BulkResult,
  ImportResult,
  UserRow,
  UsersPage,
} from '../../../src/gateway/console/console-api-types.js';
import { confirmAction } from '../confirm.js';
import { field, formValues, h, select } from '../dom.js';
import { stateBadge } from '../format.js';
import { pagedTable } from '../table.js';
import { actionButton, badge, type View, type ViewContext, viewHead } from '../view.js';

export const TWO_FACTOR_WORDS: Record<string, string> = {
  fortitoken: 'token (code or push)',
  email: 'e-mailed code',
  sms: 'texted code',
  disable: 'password only',
};

/** The users table: search, filters, sort, paging, bulk actions; adding and importing users. */
export function usersView(ctx: ViewContext, groups: string[]): View {
  const filter = (name: string, label: string, choices: readonly (readonly [string, string])[]) => {
    const made = select(name, [['', 'any'], ...choices]);
    made.dataset.label = label;
    return made;
  };
  const may = ctx.may('users');
  const table = pagedTable<UserRow>({
    caption: 'Users',
    searchLabel: 'Search (start of name or e-mail)',
    defaultSort: 'name',
    key: (user) => user.name,
    filters: [
      filter('twoFactor', 'Two-factor', Object.entries(TWO_FACTOR_WORDS)),
      filter('tokenState', 'Token', [
        ['provisioned', 'active on a phone'],
        ['provisioning', 'waiting for activation'],
        ['provision timeout', 'activation expired'],
        ['none', 'no token'],
      ]),
      filter('locked', 'Locked out', [
        ['yes', 'locked out'],
        ['no', 'not locked out'],
      ]),
      ...(groups.length === 0
        ? []
        : [
            filter(
              'group',
              'Group',
              groups.map((g) => [g, g] as const),
            ),
          ]),
    ],
    load: async (query) => {
      const page = await ctx.api.get<UsersPage>('/users', query);
      return { rows: page.users, total: page.total, totalCapped: page.totalCapped };
    },
    columns: [
      {
        label: 'Name',
        sort: 'name',
        cell: (u) =>
          h('a', { href: `#/users/${encodeURIComponent(u.name)}`, 'data-focus': 'open' }, u.name),
      },
      { label: 'E-mail', sort: 'email', cell: (u) => u.email ?? '-' },
      {
        label: 'Two-factor',
        sort: 'twoFactor',
        cell: (u) => TWO_FACTOR_WORDS[u.twoFactor] ?? u.twoFactor,
      },
      {
        label: 'Token',
        sort: 'tokenSerial',
        cell: (u) => badge(stateBadge(u.tokenState, u.tokenStatus)),
      },
      {
        label: 'Status',
        cell: (u) =>
          u.locked
            ? badge({ word: 'locked out', tone: 'bad' })
            : u.status === 'disable'
              ? badge({ word: 'disabled', tone: 'bad' })
              : badge({ word: 'enabled', tone: 'good' }),
      },
    ],
    empty: (filtered) =>
      filtered
        ? 'No user matches. Clear the search or the filters.'
        : may
          ? 'No users yet. Add one below, or import a CSV file.'
          : 'No users yet.',
    ...(may ? { bulk: (selected, done) => bulkButtons(ctx, selected, done) } : {}),
  });
  const element = h(
    'div',
    {},
    ...viewHead(
      'Users',
      'Everyone who logs in through this gateway. Open a user for their token, groups and logins.',
    ),
    table.element,
    may && addUserForm(ctx, table.refresh),
    may && importForm(ctx, table.refresh),
  );
  return { title: 'Users', element, refresh: table.refresh };
}

function bulkButtons(ctx: ViewContext, selected: () => string[], done: () => void): HTMLElement[] {
  const run = (action: string, words: string, confirm?: (n: number) => [string, string, string]) =>
    actionButton(words, async () => {
      const names = selected();
      if (confirm !== undefined && !(await confirmAction(...confirm(names.length)))) return;
      await ctx.act(async () => {
        const result = await ctx.api.send<BulkResult>('POST', '/users/bulk', {
          action,
          names,
          confirm: true,
        });
        done();
        const failed = result.failed.map((f) => `${f.name}: ${f.message}`).join(' ');
        return `${words}: ${result.done.length} done${result.failed.length > 0 ? `, ${result.failed.length} not: ${failed}` : '.'}`;
      });
    });
  return [
    run('activation', 'Send activation'),
    run('disable', 'Disable', (n) => [
      `Disable ${n} users?`,
      `They cannot log in until enabled again.`,
      `Disable ${n} users`,
    ]),
    run('enable', 'Enable'),
    run('delete', 'Delete', (n) => [
      `Delete ${n} users?`,
      `Their accounts are removed and their tokens freed: they cannot log in, and their phones' tokens stop working here. This cannot be undone.`,
      `Delete ${n} users`,
    ]),
  ];
}

function addUserForm(ctx: ViewContext, refresh: () => Promise<void>): HTMLElement {
  const form = h(
    'form',
    { class: 'grid' },
    field('Name', h('input', { name: 'name', required: true, autocomplete: 'off' })),
    field(
      'Password',
      h('input', {
        name: 'password',
        type: 'password',
        minlength: 8,
        required: true,
        autocomplete: 'new-password',
      }),
    ),
    field(
      'E-mail',
      h('input', { name: 'email', type: 'email', autocomplete: 'off' }),
      'the activation goes here',
    ),
    field('Mobile number (SMS)', h('input', { name: 'sms', autocomplete: 'off' })),
    field('Two-factor', select('twoFactor', Object.entries(TWO_FACTOR_WORDS), 'fortitoken')),
    h('button', { type: 'submit' }, 'Add user'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const v = formValues(form);
    const ok = await ctx.act(async () => {
      const added = await ctx.api.send<{ name: string; delivered?: string }>('POST', '/users', {
        name: v.name,
        password: v.password,
        twoFactor: v.twoFactor,
        ...(v.email ? { email: v.email } : {}),
        ...(v.sms ? { sms: v.sms } : {}),
        token: v.twoFactor === 'fortitoken',
      });
      return `${added.name} added.${added.delivered === undefined ? '' : ` Activation sent by ${added.delivered}.`}`;
    });
    if (ok) {
      form.reset();
      await refresh();
    }
  });
  return h('details', { class: 'panel' }, h('summary', {}, 'Add a user'), form);
}

function importForm(ctx: ViewContext, refresh: () => Promise<void>): HTMLElement {
  const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv' });
  const text = h('textarea', {
    name: 'csv',
    rows: 6,
    placeholder: 'name,password,email,sms,two-factor',
  });
  const preview = h('div', { class: 'preview', 'aria-live': 'polite' });
  const commit = h('button', { type: 'button', hidden: true }, 'Add these users');
  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    if (chosen !== undefined) text.value = await chosen.text();
  });
  const check = actionButton('Check the file', async () => {
    commit.hidden = true;
    await ctx.act(async () => {
      const result = await ctx.api.send<ImportResult>('POST', '/users/import', {
        csv: text.value,
        commit: false,
      });
      preview.replaceChildren(importTable(result));
      commit.hidden = result.invalid > 0 || result.valid === 0;
      return result.invalid > 0
        ? `${result.invalid} of ${result.rows.length} rows have errors (shown below): correct the file and check again. Nothing was added.`
        : `All ${result.valid} rows are right. Nothing is added until you press "Add these users".`;
    });
  });
  commit.addEventListener('click', async () => {
    commit.disabled = true;
    await ctx.act(async () => {
      const result = await ctx.api.send<ImportResult>('POST', '/users/import', {
        csv: text.value,
        commit: true,
      });
      commit.hidden = true;
      preview.replaceChildren();
      await refresh();
      const problems = result.problems.map((p) => `line ${p.line}: ${p.message}`).join(' ');
      return `${result.added} users added.${problems === '' ? '' : ` ${problems}`}`;
    });
    commit.disabled = false;
  });
  return h(
    'details',
    { class: 'panel' },
    h('summary', {}, 'Import users from a CSV file'),
    h(
      'p',
      {},
      'A header line naming the columns (name, password, email, sms, two-factor), then one user per line. Users with an address get a token and its activation. The file is checked first: nothing is added while any row has an error.',
    ),
    field('CSV file', file),
    field('or paste it', text),
    h('div', { class: 'buttons' }, check, commit),
    preview,
  );
}

function importTable(result: ImportResult): HTMLElement {
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      {},
      h('caption', {}, `Preview: ${result.valid} right, ${result.invalid} with errors`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Line', 'Name', 'E-mail', 'SMS', 'Two-factor', 'Check'].map((t) =>
            h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...result.rows.map((row) =>
          h(
            'tr',
            { class: row.error === null ? '' : 'invalid' },
            h('td', { 'data-label': 'Line' }, row.line),
            h('td', { 'data-label': 'Name' }, row.name),
            h('td', { 'data-label': 'E-mail' }, row.email ?? '-'),
            h('td', { 'data-label': 'SMS' }, row.sms ?? '-'),
            h('td', { 'data-label': 'Two-factor' }, row.twoFactor),
            h(
              'td',
              { 'data-label': 'Check' },
              row.error === null
                ? badge({ word: 'right', tone: 'good' })
                : badge({ word: `${row.error.column}: ${row.error.message}`, tone: 'bad' }),
            ),
          ),
        ),
      ),
    ),
  );
}
