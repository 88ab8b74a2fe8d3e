import type { AdminRow, Ok } from '../../../src/gateway/console/console-api-types.js';
import { confirmAction } from '../confirm.js';
import { field, formValues, h, select } from '../dom.js';
import { time } from '../format.js';
import { actionButton, badge, type View, type ViewContext, viewHead } from '../view.js';

const ROLE_WORDS: Record<string, string> = {
  super: 'super: everything',
  helpdesk: 'helpdesk: users and tokens',
  'read-only': 'read-only: looks, changes nothing',
};

/** The console's admins: roles, and the token each signs in with after the password. */
export function adminsView(ctx: ViewContext): View {
  const tbody = h('tbody');
  const may = ctx.may('settings');
  async function refresh() {
    const admins = await ctx.api.get<AdminRow[]>('/admins');
    tbody.replaceChildren(
      ...admins.map((a) =>
        h(
          'tr',
          {},
          h('td', { 'data-label': 'Name' }, a.name, a.name === ctx.session.user ? ' (you)' : ''),
          h('td', { 'data-label': 'Role' }, ROLE_WORDS[a.role] ?? a.role),
          h(
            'td',
            { 'data-label': 'Second factor' },
            a.tokenUser === null
              ? badge({ word: 'password only', tone: 'wait' })
              : badge({ word: `token of user ${a.tokenUser}`, tone: 'good' }),
          ),
          h('td', { 'data-label': 'Changed' }, time(a.updatedAt)),
          h(
            'td',
            { 'data-label': 'Actions' },
            may &&
              actionButton(
                `Remove ${a.name}…`,
                async () => {
                  if (
                    !(await confirmAction(
                      `Remove admin ${a.name}?`,
                      `${a.name} can no longer sign in to the console${a.name === ctx.session.user ? ', you included: you are signed out' : ''}.`,
                      'Remove',
                    ))
                  )
                    return;
                  await ctx.act(async () => {
                    await ctx.api.send<Ok>('DELETE', `/admins/${encodeURIComponent(a.name)}`);
                    await refresh();
                    return `${a.name} removed.`;
                  });
                },
                { class: 'danger' },
              ),
          ),
        ),
      ),
    );
  }
  const form = h(
    'form',
    { class: 'grid' },
    field(
      'Name',
      h('input', { name: 'name', required: true, autocomplete: 'off' }),
      'an existing admin is changed',
    ),
    field(
      'Password',
      h('input', {
        name: 'password',
        type: 'password',
        autocomplete: 'new-password',
        minlength: 12,
      }),
      'at least 12 characters; empty keeps it',
    ),
    field('Role', select('role', Object.entries(ROLE_WORDS), 'helpdesk')),
    field(
      'Token user',
      h('input', { name: 'tokenUser', autocomplete: 'off' }),
      'a user here with an activated token: its code completes the sign-in; empty keeps it',
    ),
    h('button', { type: 'submit' }, 'Save admin'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const v = formValues(form);
    if (
      await ctx.act(async () => {
        await ctx.api.send<Ok>('POST', '/admins', {
          name: v.name,
          role: v.role,
          ...(v.tokenUser ? { tokenUser: v.tokenUser } : {}),
          ...(v.password ? { password: v.password } : {}),
        });
        await refresh();
        return `Admin ${v.name} saved.`;
      })
    )
      form.reset();
  });
  const element = h(
    'div',
    {},
    ...viewHead(
      'Admins',
      "Each admin signs in with a password and, with a token user, that token's code: the gateway is its own second factor.",
    ),
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        {},
        h('caption', { class: 'visually-hidden' }, 'Admins'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Name', 'Role', 'Second factor', 'Changed', 'Actions'].map((t) =>
              h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        tbody,
      ),
    ),
    may && h('details', { class: 'panel' }, h('summary', {}, 'Add or change an admin'), form),
  );
  return { title: 'Admins', element, refresh, live: false };
}
