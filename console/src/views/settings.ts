import type {
  DeliverySettings,
  Ok,
  SettingField,
} from '../../../src/gateway/console/console-api-types.js';
import { field, formValues, h, select } from '../dom.js';
import { type View, type ViewContext, viewHead } from '../view.js';

/** Delivery (mail and SMS, each with a test) and the policy: expiry, lockout, push. */
export function settingsView(ctx: ViewContext): View {
  const delivery = h('div', { class: 'cards' });
  const policy = h('section', { class: 'card wide', 'aria-labelledby': 'policy-title' });
  const readOnly = !ctx.may('settings');

  async function refresh() {
    const [current, fields] = await Promise.all([
      ctx.api.get<DeliverySettings>('/delivery'),
      ctx.api.get<SettingField[]>('/settings'),
    ]);
    delivery.replaceChildren(
      mailCard(ctx, current, readOnly, refresh),
      smsCard(ctx, current, readOnly, refresh),
    );
    policy.replaceChildren(
      h('h2', { id: 'policy-title' }, 'Policy'),
      policyForm(ctx, fields, readOnly, refresh),
    );
  }
  const element = h(
    'div',
    {},
    ...viewHead(
      'Settings',
      readOnly
        ? `Your role (${ctx.session.role}) may look at the settings but not change them.`
        : undefined,
    ),
    delivery,
    policy,
  );
  // Not refreshed live: a form being typed into keeps what was typed.
  return { title: 'Settings', element, refresh, live: false };
}

function mailCard(
  ctx: ViewContext,
  current: DeliverySettings,
  readOnly: boolean,
  refresh: () => Promise<void>,
) {
  const mail = current.mail;
  const form = h(
    'form',
    { class: 'grid' },
    field(
      'SMTP server',
      h('input', {
        name: 'host',
        required: true,
        value: mail?.host ?? '',
        placeholder: 'smtp.example.com',
      }),
    ),
    field(
      'Port',
      h('input', {
        name: 'port',
        type: 'number',
        min: 1,
        max: 65535,
        required: true,
        value: mail?.port ?? 587,
      }),
    ),
    field(
      'Security',
      select(
        'tls',
        [
          ['starttls', 'STARTTLS (587)'],
          ['implicit', 'TLS from the start (465)'],
          ['none', 'none (a local relay)'],
        ],
        mail?.tls ?? 'starttls',
      ),
    ),
    field(
      'From address',
      h('input', { name: 'from', type: 'email', required: true, value: mail?.from ?? '' }),
    ),
    field('User name', h('input', { name: 'user', value: mail?.user ?? '', autocomplete: 'off' })),
    field(
      'Password',
      h('input', {
        name: 'password',
        type: 'password',
        autocomplete: 'new-password',
        placeholder: mail?.passwordSet ? 'kept (type to change)' : '',
      }),
    ),
    !readOnly && h('button', { type: 'submit' }, 'Save mail settings'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const v = formValues(form);
    await ctx.act(async () => {
      await ctx.api.send<Ok>('PUT', '/delivery/mail', {
        host: v.host,
        port: Number(v.port),
        tls: v.tls,
        from: v.from,
        user: v.user ?? '',
        password: v.password ?? '',
      });
      await refresh();
      return 'Mail settings saved. Send a test e-mail to check them.';
    });
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'mail-title' },
    h('h2', { id: 'mail-title' }, 'Mail server'),
    h(
      'p',
      {},
      mail === null
        ? 'Not set: activations cannot be e-mailed yet.'
        : `Activations go out through ${mail.host}:${mail.port}.`,
    ),
    form,
    !readOnly && mail !== null && testForm(ctx, 'email'),
  );
}

function smsCard(
  ctx: ViewContext,
  current: DeliverySettings,
  readOnly: boolean,
  refresh: () => Promise<void>,
) {
  const form = h(
    'form',
    { class: 'grid' },
    field(
      'Webhook URL',
      h('input', {
        name: 'webhook',
        type: 'url',
        required: true,
        value: current.sms?.webhook ?? '',
        placeholder: 'https://sms.example.com/send',
      }),
      'Tokenward POSTs JSON {to, text} here',
    ),
    !readOnly && h('button', { type: 'submit' }, 'Save SMS webhook'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await ctx.act(async () => {
      await ctx.api.send<Ok>('PUT', '/delivery/sms', { webhook: formValues(form).webhook });
      await refresh();
      return 'SMS webhook saved.';
    });
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'sms-title' },
    h('h2', { id: 'sms-title' }, 'SMS'),
    h(
      'p',
      {},
      current.sms === null
        ? 'Not set: activations and codes cannot be texted yet.'
        : 'Texts go to the webhook below.',
    ),
    form,
    !readOnly && current.sms !== null && testForm(ctx, 'sms'),
  );
}

function testForm(ctx: ViewContext, channel: 'email' | 'sms') {
  const to = h('input', {
    name: 'to',
    type: channel === 'email' ? 'email' : 'tel',
    required: true,
    autocomplete: 'off',
  });
  const answer = h('p', { class: 'answer', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'grid test' },
    field(channel === 'email' ? 'Send a test e-mail to' : 'Send a test text to', to),
    h('button', { type: 'submit' }, channel === 'email' ? 'Send test e-mail' : 'Send test text'),
    answer,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    answer.textContent = 'Sending…';
    const ok = await ctx.act(async () => {
      const sent = await ctx.api.send<{ answer: string }>('POST', '/delivery/test', {
        channel,
        to: to.value.trim(),
      });
      answer.textContent = `Sent. The server answered: ${sent.answer}`;
      return `Test ${channel === 'email' ? 'e-mail' : 'text'} sent to ${to.value.trim()}.`;
    });
    if (!ok) answer.textContent = 'Not sent: see the message above.';
  });
  return form;
}

function policyForm(
  ctx: ViewContext,
  fields: SettingField[],
  readOnly: boolean,
  refresh: () => Promise<void>,
) {
  const form = h(
    'form',
    { class: 'grid' },
    ...fields.map((f) => {
      const name = `${f.path}|${f.name}`;
      const control =
        f.choices === undefined
          ? h('input', {
              name,
              type: 'number',
              min: f.min,
              max: f.max,
              required: true,
              value: f.value,
            })
          : select(name, f.choices, String(f.value));
      return field(
        f.unit === undefined ? f.label : `${f.label} (${f.unit})`,
        control,
        f.min === undefined ? undefined : `${f.min} to ${f.max}`,
      );
    }),
    !readOnly && h('button', { type: 'submit' }, 'Save policy'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = formValues(form);
    const changes = fields.map((f) => {
      const raw = values[`${f.path}|${f.name}`] ?? '';
      return { path: f.path, name: f.name, value: f.choices === undefined ? Number(raw) : raw };
    });
    await ctx.act(async () => {
      await ctx.api.send<Ok>('PUT', '/settings', { changes });
      await refresh();
      return 'Policy saved: it applies to the next login on every node.';
    });
  });
  return form;
}
