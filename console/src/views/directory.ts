import type { Ok } from '../../../src/gateway/console/console-api-types.js';
import { confirmAction } from '../confirm.js';
import { field, formValues, h, select } from '../dom.js';
import { actionButton, type View, type ViewContext, viewHead } from '../view.js';

interface LdapServerRow {
  name: string;
  server: string;
  secondaryServer: string | null;
  port: number;
  secure: string;
  type: string;
  cnid: string;
  dn: string;
}

/** The LDAP servers that check directory users' passwords (`config user ldap`). */
export function directoryView(ctx: ViewContext): View {
  const tbody = h('tbody');
  const may = ctx.may('settings');
  async function refresh() {
    const servers = await ctx.api.get<LdapServerRow[]>('/ldap-servers');
    tbody.replaceChildren(
      ...servers.map((s) =>
        h(
          'tr',
          {},
          h('td', { 'data-label': 'Name' }, s.name),
          h(
            'td',
            { 'data-label': 'Servers' },
            [s.server, s.secondaryServer].filter(Boolean).join(', '),
          ),
          h('td', { 'data-label': 'Port' }, s.port),
          h('td', { 'data-label': 'Security' }, s.secure),
          h('td', { 'data-label': 'Bind' }, s.type),
          h('td', { 'data-label': 'User attribute' }, s.cnid),
          h('td', { 'data-label': 'Base DN', class: 'wrap' }, s.dn),
          h(
            'td',
            { 'data-label': 'Actions' },
            h(
              'div',
              { class: 'buttons' },
              may &&
                actionButton(`Test ${s.name}`, () =>
                  ctx.act(async () => {
                    const answer = await ctx.api.send<{ host?: string; message?: string }>(
                      'POST',
                      `/ldap-servers/${encodeURIComponent(s.name)}/test`,
                    );
                    return `${s.name}: ${answer.message ?? `answered from ${answer.host ?? 'a host'}`}`;
                  }),
                ),
              may &&
                actionButton(
                  `Remove ${s.name}…`,
                  async () => {
                    if (
                      !(await confirmAction(
                        `Remove ${s.name}?`,
                        `Users whose password ${s.name} checks can no longer log in.`,
                        'Remove',
                      ))
                    )
                      return;
                    await ctx.act(async () => {
                      await ctx.api.send<Ok>(
                        'DELETE',
                        `/ldap-servers/${encodeURIComponent(s.name)}`,
                      );
                      await refresh();
                      return `${s.name} removed.`;
                    });
                  },
                  { class: 'danger' },
                ),
            ),
          ),
        ),
      ),
    );
    if (servers.length === 0)
      tbody.append(
        h(
          'tr',
          {},
          h(
            'td',
            { colspan: 8, class: 'empty' },
            'No LDAP server: every user has a local password. Add one to check passwords against a directory.',
          ),
        ),
      );
  }
  const form = ldapServerForm(ctx, refresh);
  const element = h(
    'div',
    {},
    ...viewHead(
      'Directory (LDAP servers)',
      'Users added with an LDAP server have their password checked by a bind as them; their token stays here.',
    ),
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        {},
        h('caption', { class: 'visually-hidden' }, 'LDAP servers'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...[
              'Name',
              'Servers',
              'Port',
              'Security',
              'Bind',
              'User attribute',
              'Base DN',
              'Actions',
            ].map((t) => h('th', { scope: 'col' }, t)),
          ),
        ),
        tbody,
      ),
    ),
    may && h('details', { class: 'panel' }, h('summary', {}, 'Add an LDAP server'), form),
  );
  return { title: 'Directory', element, refresh, live: false };
}

/** Adding an LDAP server: what `config user ldap` holds. */
function ldapServerForm(ctx: ViewContext, refresh: () => Promise<void>): HTMLFormElement {
  const form = h(
    'form',
    { class: 'grid' },
    field('Name', h('input', { name: 'name', required: true })),
    field('Server', h('input', { name: 'server', required: true, placeholder: 'dc1.example.com' })),
    field('Secondary server', h('input', { name: 'secondaryServer' })),
    field(
      'Port',
      h('input', { name: 'port', type: 'number', min: 1, max: 65535, placeholder: '389' }),
    ),
    field(
      'Security',
      select('secure', [
        ['disable', 'none (plain LDAP)'],
        ['starttls', 'STARTTLS'],
        ['ldaps', 'LDAPS'],
      ]),
    ),
    field('User attribute', h('input', { name: 'cnid', placeholder: 'cn, uid or sAMAccountName' })),
    field(
      'Base DN',
      h('input', { name: 'dn', required: true, placeholder: 'ou=people,dc=example,dc=com' }),
    ),
    field(
      'Bind',
      select('type', [
        ['simple', 'simple (cnid=user,base)'],
        ['regular', 'regular (search first)'],
      ]),
    ),
    field('Service account DN', h('input', { name: 'username' })),
    field(
      'Service account password',
      h('input', { name: 'password', type: 'password', autocomplete: 'new-password' }),
    ),
    h('button', { type: 'submit' }, 'Add server'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const v = formValues(form);
    const body: Record<string, string | number> = {
      name: v.name ?? '',
      server: v.server ?? '',
      dn: v.dn ?? '',
      secure: v.secure ?? 'disable',
      type: v.type ?? 'simple',
    };
    for (const key of ['secondaryServer', 'cnid', 'username', 'password'] as const)
      if (v[key]) body[key] = v[key];
    if (v.port) body.port = Number(v.port);
    if (
      await ctx.act(async () => {
        await ctx.api.send('POST', '/ldap-servers', body);
        await refresh();
        return `${v.name} added.`;
      })
    )
      form.reset();
  });
  return form;
}
