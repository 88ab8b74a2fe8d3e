// @ts-check
// The Tokenward admin console: plain DOM, no framework, no CDN. Views follow the URL hash and
// refresh every few seconds, so a change (a token becoming provisioned) shows without a reload.

const REFRESH_MS = 3000;
let csrf = '';
let timer;

const $ = (selector) => document.querySelector(selector);
const say = (text) => {
  $('#status').textContent = text;
};

async function api(method, path, body) {
  const response = await fetch(`/console/api${path}`, {
    method,
    credentials: 'same-origin',
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(method === 'GET' ? {} : { 'x-csrf-token': csrf }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer = await response.json().catch(() => ({}));
  if (response.status === 401) {
    showSignIn();
    throw new Error(answer.error?.message ?? 'Sign in again.');
  }
  if (!response.ok) throw new Error(answer.error?.message ?? `HTTP ${response.status}`);
  return answer;
}

/** Table rows from cells; strings are text (never HTML), nodes are placed as they are. */
function fill(tbody, rows, labels) {
  tbody.replaceChildren(
    ...rows.map((cells) => {
      const tr = document.createElement('tr');
      cells.forEach((cell, index) => {
        const td = document.createElement('td');
        if (labels?.[index]) td.dataset.label = labels[index];
        if (cell instanceof Node) td.append(cell);
        else td.textContent = cell === null || cell === undefined ? '-' : String(cell);
        tr.append(td);
      });
      return tr;
    }),
  );
}

function labelsOf(tbody) {
  return [...tbody.closest('table').querySelectorAll('th')].map((th) => th.textContent);
}

function button(text, action) {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = text;
  element.addEventListener('click', async () => {
    element.disabled = true;
    try {
      const result = await action();
      say(result ?? `${text}: done.`);
      await refresh();
    } catch (error) {
      say(`${text}: ${error.message}`);
    } finally {
      element.disabled = false;
    }
  });
  return element;
}

function actions(...buttons) {
  const span = document.createElement('span');
  span.className = 'actions';
  span.append(...buttons.filter(Boolean));
  return span;
}

const time = (ms) => (ms === null || ms === undefined ? '-' : new Date(ms).toLocaleString());

const views = {
  async dashboard() {
    const overview = await api('GET', '/overview');
    $('#tokens-by-state').replaceChildren(
      ...Object.entries(overview.tokensByState).flatMap(([state, count]) => {
        const dt = document.createElement('dt');
        dt.textContent = state;
        const dd = document.createElement('dd');
        dd.textContent = String(count);
        return [dt, dd];
      }),
    );
    const licences = $('#licences');
    fill(
      licences,
      overview.licences.map((l) => [l.name, l.seats, l.used, l.free]),
      labelsOf(licences),
    );
    $('#token-server').textContent = overview.tokenServer;
    const logins = $('#recent-logins');
    fill(
      logins,
      overview.recentLogins.map((e) => [time(e.at), e.username, e.frontEnd, e.result, e.reason]),
      labelsOf(logins),
    );
  },

  async users() {
    const rows = $('#user-rows');
    const users = await api('GET', '/users');
    $('#user-names').replaceChildren(
      ...users.map((u) => {
        const option = document.createElement('option');
        option.value = u.name;
        return option;
      }),
    );
    fill(
      rows,
      users.map((u) => [
        u.name,
        u.twoFactor,
        u.tokenSerial,
        [u.email, u.smsPhone].filter(Boolean).join(' / ') || '-',
        u.locked ? 'locked' : u.status,
        actions(
          u.locked &&
            button(`Unlock ${u.name}`, async () => {
              await api('POST', `/users/${encodeURIComponent(u.name)}/unlock`);
              return `${u.name} unlocked.`;
            }),
          (u.email || u.smsPhone) &&
            button(u.tokenSerial ? 'Resend activation' : 'Assign token', async () => {
              const sent = await api('POST', `/users/${encodeURIComponent(u.name)}/activation`);
              return `Activation for ${u.name}: ${sent.delivered ?? 'sent'}.`;
            }),
        ),
      ]),
      labelsOf(rows),
    );
  },

  async tokens() {
    const rows = $('#token-rows');
    const tokens = await api('GET', '/tokens');
    fill(
      rows,
      tokens.map((t) => {
        const state = document.createElement('span');
        state.textContent = t.status === 'lock' ? `${t.state} (locked)` : t.state;
        state.className = `state-${t.state}`;
        const act = (name) => () =>
          api('POST', `/tokens/${t.serial}/${name}`).then(() => `${t.serial}: ${name} done.`);
        return [
          t.serial,
          state,
          t.user,
          t.regId,
          t.osVer,
          time(t.activationExpiresAt),
          t.drift,
          actions(
            t.user && t.state !== 'provisioned' && button('Resend', act('resend')),
            t.user &&
              t.state === 'provisioned' &&
              button('Reprovision', () =>
                window.confirm(
                  `Reprovision ${t.serial}? The phone that has it stops working and ${t.user} gets a new activation.`,
                )
                  ? api('POST', `/tokens/${t.serial}/reprovision`, { confirm: true }).then(
                      () => `${t.serial}: reprovisioned; activation sent.`,
                    )
                  : Promise.resolve(`${t.serial}: not reprovisioned.`),
              ),
            t.state !== 'new' && button('Revoke', act('revoke')),
            button(
              t.status === 'lock' ? 'Unlock' : 'Lock',
              act(t.status === 'lock' ? 'unlock' : 'lock'),
            ),
          ),
        ];
      }),
      labelsOf(rows),
    );
  },

  async radius() {
    const rows = $('#radius-rows');
    const clients = await api('GET', '/radius-clients');
    fill(
      rows,
      clients.map((c) => [
        c.name,
        c.address,
        c.otpMode,
        c.messageAuthenticator,
        actions(
          button(`Remove ${c.name}`, async () => {
            await api('DELETE', `/radius-clients/${encodeURIComponent(c.name)}`);
            return `${c.name} removed.`;
          }),
        ),
      ]),
      labelsOf(rows),
    );
  },

  async directory() {
    const rows = $('#ldap-rows');
    const servers = await api('GET', '/ldap-servers');
    fill(
      rows,
      servers.map((s) => [
        s.name,
        [s.server, s.secondaryServer, s.tertiaryServer].filter(Boolean).join(', '),
        String(s.port),
        s.secure,
        s.type,
        s.cnid,
        s.dn,
        actions(
          button(`Test ${s.name}`, async () => {
            const answered = await api('POST', `/ldap-servers/${encodeURIComponent(s.name)}/test`);
            return `${s.name}: ${answered.host} answered.`;
          }),
          button(`Remove ${s.name}`, async () => {
            await api('DELETE', `/ldap-servers/${encodeURIComponent(s.name)}`);
            return `${s.name} removed.`;
          }),
        ),
      ]),
      labelsOf(rows),
    );
  },

  async log() {
    const form = new FormData($('#log-filter'));
    const query = new URLSearchParams();
    for (const key of ['user', 'result']) if (form.get(key)) query.set(key, String(form.get(key)));
    const rows = $('#log-rows');
    const entries = await api('GET', `/auth-log?${query}`);
    fill(
      rows,
      entries.map((e) => [
        time(e.at),
        e.username,
        e.sourceIp,
        e.client ? `${e.frontEnd} (${e.client})` : e.frontEnd,
        e.method,
        e.result,
        e.reason,
        e.latencyMs,
      ]),
      labelsOf(rows),
    );
  },

  async settings() {
    const form = $('#settings-form');
    if (form.contains(document.activeElement)) return;
    const settings = await api('GET', '/settings');
    for (const [name, value] of Object.entries(settings)) form.elements[name].value = value;
  },
};

function currentView() {
  const name = location.hash.slice(1);
  return name in views ? name : 'dashboard';
}

/** The view sections of the page. */
function views$() {
  return /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-view]'));
}

async function refresh() {
  const name = currentView();
  for (const section of views$()) section.hidden = section.id !== name;
  for (const link of document.querySelectorAll('nav a')) {
    if (link.getAttribute('href') === `#${name}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  await views[name]();
}

function startRefreshing() {
  clearInterval(timer);
  timer = setInterval(() => refresh().catch((error) => say(error.message)), REFRESH_MS);
}

function showSignIn() {
  clearInterval(timer);
  $('#nav').hidden = true;
  for (const section of views$()) section.hidden = true;
  $('#sign-in').hidden = false;
  $('#sign-in-form [name=password]').focus();
}

async function signedIn(session) {
  csrf = session.csrf;
  $('#sign-in').hidden = true;
  $('#nav').hidden = false;
  say(`Signed in as ${session.user}.`);
  await refresh();
  startRefreshing();
}

function onSubmit(selector, handler) {
  $(selector).addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    try {
      say(await handler(new FormData(form), form));
      await refresh();
    } catch (error) {
      say(error.message);
    }
  });
}

onSubmit('#sign-in-form', async (data, form) => {
  const response = await fetch('/console/api/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: data.get('user'), password: data.get('password') }),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error?.message ?? 'Sign-in failed.');
  form.reset();
  await signedIn(answer);
  return `Signed in as ${answer.user}.`;
});

onSubmit('#add-user-form', async (data, form) => {
  const added = await api('POST', '/users', {
    name: data.get('name'),
    password: data.get('password'),
    email: data.get('email') ?? '',
    sms: data.get('sms') ?? '',
    token: data.get('token') === 'on',
  });
  form.reset();
  return `User ${added.name} added${added.token ? ` with token ${added.token}; activation: ${added.delivered}` : ''}.`;
});

onSubmit('#edit-user-form', async (data, form) => {
  const change = {};
  for (const key of ['email', 'sms', 'twoFactor', 'status']) {
    const value = data.get(key);
    // Empty e-mail/SMS fields clear them only when typed as such; empty selects leave them.
    if (
      value !== '' ||
      (key !== 'twoFactor' && key !== 'status' && form.elements[key].dataset.touched)
    ) {
      change[key] = value;
    }
  }
  const name = data.get('name');
  await api('PATCH', `/users/${encodeURIComponent(name)}`, change);
  form.reset();
  for (const field of form.querySelectorAll('[data-touched]')) delete field.dataset.touched;
  return `User ${name} changed.`;
});
for (const field of ['email', 'sms']) {
  $(`#edit-user-form [name=${field}]`).addEventListener('input', (event) => {
    event.target.dataset.touched = 'yes';
  });
}

onSubmit('#add-radius-form', async (data, form) => {
  const added = await api('POST', '/radius-clients', Object.fromEntries(data));
  form.reset();
  return `RADIUS client ${added.name} added.`;
});

onSubmit('#add-ldap-form', async (data, form) => {
  // Empty fields are left out: the server's defaults apply (port from the security, cn, 5 s).
  const body = Object.fromEntries([...data].filter(([, value]) => value !== ''));
  if (body.port !== undefined) body.port = Number(body.port);
  const added = await api('POST', '/ldap-servers', body);
  form.reset();
  return `LDAP server ${added.name} added.`;
});

onSubmit('#log-filter', async () => 'Filtered.');

onSubmit('#settings-form', async (data) => {
  await api('PUT', '/settings', {
    activationExpiryHours: Number(data.get('activationExpiryHours')),
    lockoutThreshold: Number(data.get('lockoutThreshold')),
    lockoutDurationSeconds: Number(data.get('lockoutDurationSeconds')),
  });
  if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
  return 'Settings saved.';
});

$('#sign-out').addEventListener('click', async () => {
  await api('DELETE', '/session').catch(() => undefined);
  csrf = '';
  say('Signed out.');
  showSignIn();
});

window.addEventListener('hashchange', () => refresh().catch((error) => say(error.message)));

fetch('/console/api/session', { credentials: 'same-origin' })
  .then(async (response) => (response.ok ? signedIn(await response.json()) : showSignIn()))
  .catch(() => showSignIn());
