import type {
  DeskActivation,
  Ok,
  UserDetail,
} from '../../../src/gateway/console/console-api-types.js';
import { path } from '../api.js';
import { confirmAction } from '../confirm.js';
import { field, fill, formValues, h, select } from '../dom.js';
import { stateBadge, time } from '../format.js';
import { actionButton, badge, type View, type ViewContext, viewHead } from '../view.js';
import { TWO_FACTOR_WORDS } from './users.js';

/** One user: details, token, groups, last logins, and what an admin does for them. */
export function userPageView(ctx: ViewContext, name: string, go: (hash: string) => void): View {
  const details = h('section', { class: 'card', 'aria-labelledby': 'details-title' });
  const actions = h('section', { class: 'card', 'aria-labelledby': 'actions-title' });
  const logins = h('section', { class: 'card wide', 'aria-labelledby': 'logins-title' });
  const desk = h('div', { class: 'desk', 'aria-live': 'polite' });
  const url = `/users/${path(name)}`;
  const may = ctx.may('users');

  async function refresh() {
    const { user, token, groups, recentLogins } = await ctx.api.get<UserDetail>(url);
    details.replaceChildren(
      h('h2', { id: 'details-title' }, 'Details'),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'E-mail'),
        h('dd', {}, user.email ?? '-'),
        h('dt', {}, 'Mobile'),
        h('dd', {}, user.smsPhone ?? '-'),
        h('dt', {}, 'Two-factor'),
        h('dd', {}, TWO_FACTOR_WORDS[user.twoFactor] ?? user.twoFactor),
        h('dt', {}, 'Status'),
        h(
          'dd',
          {},
          user.locked
            ? badge({
                word: `locked out${user.lockedUntil === null ? ' until unlocked' : ` until ${time(user.lockedUntil)}`}`,
                tone: 'bad',
              })
            : user.status === 'disable'
              ? badge({ word: 'disabled', tone: 'bad' })
              : badge({ word: 'enabled', tone: 'good' }),
        ),
        h('dt', {}, 'Password checked by'),
        h('dd', {}, user.ldapServer === null ? 'this gateway' : `LDAP server ${user.ldapServer}`),
        h('dt', {}, 'Groups'),
        h('dd', {}, groups.length === 0 ? 'none' : groups.join(', ')),
        h('dt', {}, 'Token'),
        h(
          'dd',
          {},
          token === null
            ? 'none assigned'
            : h('a', { href: `#/tokens/${encodeURIComponent(token.serial)}` }, token.serial),
          ' ',
          badge(stateBadge(user.tokenState, user.tokenStatus)),
        ),
        h('dt', {}, 'Activation expires'),
        h('dd', {}, token?.state === 'provisioning' ? time(token.activationExpiresAt) : '-'),
        h('dt', {}, 'Added'),
        h('dd', {}, time(user.createdAt)),
      ),
    );
    if (may)
      fill(
        actions,
        h('h2', { id: 'actions-title' }, 'Actions'),
        ...userActions(ctx, user.name, user.locked, token?.state ?? null, url, refresh, go, desk),
        editForm(ctx, user, url, refresh),
        passwordForm(ctx, user.name, url, user.ldapServer !== null),
      );
    else actions.hidden = true;
    logins.replaceChildren(
      h('h2', { id: 'logins-title' }, 'Last logins'),
      recentLogins.length === 0
        ? h('p', {}, `${user.name} has not logged in yet.`)
        : h(
            'ul',
            { class: 'plain' },
            ...recentLogins.map((e) =>
              h(
                'li',
                {},
                `${time(e.at)}: `,
                h(
                  'span',
                  {
                    class: `badge ${e.result === 'accept' ? 'good' : e.result === 'reject' ? 'bad' : 'wait'}`,
                  },
                  e.result,
                ),
                ` via ${e.frontEnd}${e.sourceIp === null ? '' : ` from ${e.sourceIp}`} (${e.reason})`,
              ),
            ),
          ),
      h(
        'p',
        {},
        h(
          'a',
          { href: `#/auth-log?text=${encodeURIComponent(user.name)}` },
          `All of ${user.name}'s logins`,
        ),
      ),
    );
  }
  const element = h(
    'div',
    {},
    h('p', {}, h('a', { href: '#/users' }, 'Users')),
    ...viewHead(name),
    desk,
    h('div', { class: 'cards' }, details, actions, logins),
  );
  return { title: `User ${name}`, element, refresh };
}

function userActions(
  ctx: ViewContext,
  name: string,
  locked: boolean,
  state: string | null,
  url: string,
  refresh: () => Promise<void>,
  go: (hash: string) => void,
  desk: HTMLElement,
): HTMLElement[] {
  const buttons: HTMLElement[] = [];
  const send = (body: object) =>
    ctx.act(async () => {
      const sent = await ctx.api.send<{ delivered?: string }>('POST', `${url}/activation`, body);
      await refresh();
      return `Activation for ${name} sent${sent.delivered === undefined ? '' : ` by ${sent.delivered}`}.`;
    });
  if (state === null)
    buttons.push(actionButton('Assign a token and send the activation', () => send({})));
  else if (state === 'provisioned') {
    buttons.push(
      actionButton('Reprovision the token…', async () => {
        if (
          await confirmAction(
            `Reprovision ${name}'s token?`,
            `${name}'s phone will stop working for logins here at once. A new activation goes to ${name}, to activate on a phone again.`,
            'Reprovision',
          )
        ) {
          await send({ reprovision: true, confirm: true });
        }
      }),
    );
  } else {
    buttons.push(
      actionButton(
        state === 'provisioning' ? 'Resend the activation' : 'Send a new activation',
        () => send({}),
      ),
    );
  }
  if (state === 'provisioning') {
    buttons.push(
      actionButton('Show the activation on screen', () =>
        ctx.act(async () => {
          const serial = (await ctx.api.get<UserDetail>(url)).token?.serial ?? '';
          const shown = await ctx.api.send<DeskActivation>(
            'POST',
            `/tokens/${path(serial)}/show-activation`,
            {},
          );
          desk.replaceChildren(
            h(
              'section',
              { class: 'card', 'aria-label': 'Activation at the desk' },
              h('h2', {}, `Activation for ${name}`),
              h(
                'p',
                {},
                'Let them scan this code with the Tokenward app, or type the code. Showing it was written to the audit log.',
              ),
              h('img', {
                src: shown.qr,
                alt: `QR code of the activation for ${name}`,
                width: 220,
                height: 220,
              }),
              h('p', { class: 'code' }, shown.code),
              h('p', {}, `Works once, until ${time(shown.expiresAt)}.`),
              actionButton('Hide it', async () => desk.replaceChildren()),
            ),
          );
          return undefined;
        }),
      ),
    );
  }
  if (locked)
    buttons.push(
      actionButton('Unlock', () =>
        ctx.act(async () => {
          await ctx.api.send<Ok>('POST', `${url}/unlock`);
          await refresh();
          return `${name} unlocked: they can log in again.`;
        }),
      ),
    );
  buttons.push(
    actionButton(
      'Delete the user…',
      async () => {
        if (
          !(await confirmAction(
            `Delete ${name}?`,
            `${name} will not be able to log in, and their token (if any) is freed: their phone's token stops working here. This cannot be undone.`,
            `Delete ${name}`,
          ))
        )
          return;
        if (
          await ctx.act(async () => {
            await ctx.api.send<Ok>('DELETE', url, { confirm: true });
            return `${name} deleted.`;
          })
        )
          go('#/users');
      },
      { class: 'danger' },
    ),
  );
  return [h('div', { class: 'buttons' }, ...buttons)];
}

function editForm(
  ctx: ViewContext,
  user: UserDetail['user'],
  url: string,
  refresh: () => Promise<void>,
): HTMLElement {
  const form = h(
    'form',
    { class: 'grid' },
    field('E-mail', h('input', { name: 'email', type: 'email', value: user.email ?? '' })),
    field('Mobile number (SMS)', h('input', { name: 'sms', value: user.smsPhone ?? '' })),
    field('Two-factor', select('twoFactor', Object.entries(TWO_FACTOR_WORDS), user.twoFactor)),
    field(
      'Status',
      select(
        'status',
        [
          ['enable', 'enabled'],
          ['disable', 'disabled'],
        ],
        user.status,
      ),
    ),
    h('button', { type: 'submit' }, 'Save changes'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const v = formValues(form);
    await ctx.act(async () => {
      await ctx.api.send('PATCH', url, {
        email: v.email ?? '',
        sms: v.sms ?? '',
        twoFactor: v.twoFactor,
        status: v.status,
      });
      await refresh();
      return `${user.name} saved.`;
    });
  });
  return h('details', { class: 'panel' }, h('summary', {}, 'Edit'), form);
}

function passwordForm(
  ctx: ViewContext,
  name: string,
  url: string,
  directory: boolean,
): HTMLElement | false {
  if (directory) return false;
  const form = h(
    'form',
    { class: 'grid' },
    field(
      'New password',
      h('input', {
        name: 'password',
        type: 'password',
        autocomplete: 'new-password',
        required: true,
        minlength: 8,
      }),
    ),
    h('button', { type: 'submit' }, 'Set password'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await ctx.act(async () => {
      await ctx.api.send<Ok>('POST', `${url}/password`, { password: formValues(form).password });
      form.reset();
      return `${name}'s password set.`;
    });
  });
  return h('details', { class: 'panel' }, h('summary', {}, 'Set the password'), form);
}
