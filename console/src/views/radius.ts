import type { Ok, RadiusClientRow } from '../../../src/gateway/console/console-api-types.js';
import { confirmAction } from '../confirm.js';
import { field, formValues, h, select } from '../dom.js';
import { actionButton, type View, type ViewContext, viewHead } from '../view.js';

/** The NAS and VPN concentrators that may send RADIUS, each with its shared secret. */
export function radiusView(ctx: ViewContext): View {
  const tbody = h('tbody');
  const may = ctx.may('settings');
  async function refresh() {
    const clients = await ctx.api.get<RadiusClientRow[]>('/radius-clients');
    tbody.replaceChildren(
      ...clients.map((c) =>
        h(
          'tr',
          { 'data-key': c.name },
          h('td', { 'data-label': 'Name' }, c.name),
          h('td', { 'data-label': 'Address' }, c.address),
          h('td', { 'data-label': 'OTP mode' }, c.otpMode),
          h('td', { 'data-label': 'Message-Authenticator' }, c.messageAuthenticator),
          h(
            'td',
            { 'data-label': 'Actions' },
            may &&
              actionButton(
                `Remove ${c.name}…`,
                async () => {
                  if (
                    !(await confirmAction(
                      `Remove ${c.name}?`,
                      `Logins from ${c.address} will get no answer: the VPN or NAS there cannot check anyone's login until it is added again.`,
                      'Remove',
                    ))
                  )
                    return;
                  await ctx.act(async () => {
                    await ctx.api.send<Ok>(
                      'DELETE',
                      `/radius-clients/${encodeURIComponent(c.name)}`,
                    );
                    await refresh();
                    return `${c.name} removed.`;
                  });
                },
                { class: 'danger' },
              ),
          ),
        ),
      ),
    );
    if (clients.length === 0)
      tbody.append(
        h(
          'tr',
          {},
          h(
            'td',
            { colspan: 5, class: 'empty' },
            'No RADIUS clients yet: add the VPN or NAS that checks logins here.',
          ),
        ),
      );
  }
  const form = h(
    'form',
    { class: 'grid' },
    field('Name', h('input', { name: 'name', required: true, autocomplete: 'off' })),
    field(
      'Address or CIDR',
      h('input', { name: 'address', required: true, placeholder: '10.0.0.0/24' }),
    ),
    field(
      'Shared secret',
      h('input', {
        name: 'secret',
        type: 'password',
        required: true,
        autocomplete: 'new-password',
        minlength: 16,
      }),
      'at least 16 characters',
    ),
    field(
      'OTP mode',
      select('otpMode', [
        ['both', 'challenge or appended'],
        ['challenge', 'challenge'],
        ['append', 'appended to the password'],
        ['token', 'code only (the NAS checks the password)'],
      ]),
    ),
    h('button', { type: 'submit' }, 'Add client'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const v = formValues(form);
    if (
      await ctx.act(async () => {
        await ctx.api.send('POST', '/radius-clients', {
          name: v.name,
          address: v.address,
          secret: v.secret,
          otpMode: v.otpMode,
        });
        await refresh();
        return `${v.name} added.`;
      })
    )
      form.reset();
  });
  const element = h(
    'div',
    {},
    ...viewHead('RADIUS clients'),
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        {},
        h('caption', { class: 'visually-hidden' }, 'RADIUS clients'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Name', 'Address', 'OTP mode', 'Message-Authenticator', 'Actions'].map((t) =>
              h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        tbody,
      ),
    ),
    may &&
      h('details', { class: 'panel', open: true }, h('summary', {}, 'Add a RADIUS client'), form),
  );
  return { title: 'RADIUS clients', element, refresh, live: false };
}
