import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AllInOne } from '../../src/all-in-one/all-in-one.js';
import { buildGatewayServer } from '../../src/gateway/http/server.js';
import { createLogger } from '../../src/log/create-logger.js';
import { startTestAllInOne } from '../helpers/all-in-one.js';

// Threats: a helpdesk or read-only admin changing what their role does not allow by calling
// the API directly (not only the hidden buttons); a new route added without a role check.
describe('console roles on the API', () => {
  let root: string;
  let running: AllInOne;
  let app: ReturnType<typeof buildGatewayServer>;
  const changes: { method: string; url: string }[] = [];

  const signIn = async (user: string, password: string) => {
    const response = await app.inject({
      method: 'POST',
      url: '/console/api/session',
      payload: { user, password },
    });
    assert.equal(response.statusCode, 200, response.body);
    const cookie = String(response.headers['set-cookie']).split(';')[0] ?? '';
    const { csrf } = response.json() as { csrf: string };
    return (method: string, url: string, payload?: unknown) =>
      app.inject({
        method: method as 'POST',
        url,
        headers: { cookie, 'x-csrf-token': csrf },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
  };

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'tokenward-console-roles-'));
    running = await startTestAllInOne(root);
    // A second listener on the same gateway, whose routes this test lists as they are added.
    app = buildGatewayServer({
      gateway: running.gateway,
      auth: running.auth,
      console: true,
      log: createLogger({ level: 'silent' }),
    });
    app.addHook('onRoute', (route) => {
      const methods = [route.method].flat();
      for (const method of methods) {
        if (method !== 'GET' && method !== 'HEAD' && route.url.startsWith('/console/api/')) {
          changes.push({ method, url: route.url });
        }
      }
    });
    await app.ready();
    const admin = await signIn('admin', running.firstRun?.adminPassword ?? '');
    for (const [name, role] of [
      ['hd', 'helpdesk'],
      ['ro', 'read-only'],
    ] as const) {
      const added = await admin('POST', '/console/api/admins', {
        name,
        role,
        password: `horse-${role}-battery-9`,
      });
      assert.equal(added.statusCode, 200, added.body);
    }
  });
  after(async () => {
    await app?.close();
    await running?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('refuses a read-only admin every change the API has, and changes nothing', async () => {
    const ro = await signIn('ro', 'horse-read-only-battery-9');
    const before = await running.gateway.auditPage({ limit: 1 });
    const signInRoutes = [
      '/console/api/session',
      '/console/api/session/code',
      '/console/api/session/push',
      '/console/api/session/push/answer',
    ];
    const writes = changes.filter((route) => !signInRoutes.includes(route.url));
    assert.ok(writes.length >= 20, `${writes.length} changing routes found`);
    for (const route of writes) {
      const url = route.url.replace(/:(\w+)/g, (_m, name: string) =>
        name === 'action' ? 'lock' : 'x',
      );
      const response = await ro(route.method, url, { confirm: true });
      assert.equal(response.statusCode, 403, `${route.method} ${route.url}: ${response.body}`);
      assert.equal(
        (response.json() as { error: { code: string } }).error.code,
        'TW_CONSOLE_ROLE_FORBIDDEN',
        `${route.method} ${route.url}`,
      );
    }
    const afterwards = await running.gateway.auditPage({ limit: 1 });
    assert.equal(afterwards.total, before.total, 'no audit entry: nothing was changed');
    assert.equal((await ro('GET', '/console/api/users')).statusCode, 200, 'reading works');
    assert.equal((await ro('DELETE', '/console/api/session')).statusCode, 200, 'signing out works');
  });

  it('lets a helpdesk admin change users and tokens, not settings, RADIUS clients or admins', async () => {
    const hd = await signIn('hd', 'horse-helpdesk-battery-9');
    const refused = [
      [
        'PUT',
        '/console/api/settings',
        { changes: [{ path: 'user setting', name: 'auth-lockout-threshold', value: 9 }] },
      ],
      ['PUT', '/console/api/delivery/sms', { webhook: 'http://127.0.0.1:9/sms' }],
      ['POST', '/console/api/radius-clients', { name: 'x', address: '10.0.0.1', secret: 's' }],
      ['POST', '/console/api/admins', { name: 'hd', role: 'super' }],
    ] as const;
    for (const [method, url, body] of refused) {
      const response = await hd(method, url, body);
      assert.equal(response.statusCode, 403, `${method} ${url}`);
      assert.equal(
        (response.json() as { error: { code: string } }).error.code,
        'TW_CONSOLE_ROLE_FORBIDDEN',
      );
    }
    assert.equal((await running.gateway.policy()).lockout.threshold, 3, 'the setting is as it was');
    const added = await hd('POST', '/console/api/users', {
      name: 'carol',
      password: 'horse-battery-77',
      twoFactor: 'disable',
    });
    assert.equal(added.statusCode, 200, added.body);
    const audit = await running.gateway.auditPage({ subject: 'carol', limit: 5 });
    assert.equal(audit.entries[0]?.actor, 'console:hd', 'the audit names the admin');
  });

  it('keeps one super admin, and a demoted admin loses the role at their next request', async () => {
    const admin = await signIn('admin', running.firstRun?.adminPassword ?? '');
    const demote = await admin('POST', '/console/api/admins', { name: 'admin', role: 'helpdesk' });
    assert.equal(
      (demote.json() as { error: { code: string } }).error.code,
      'TW_CONSOLE_LAST_SUPER',
    );
    const hd = await signIn('hd', 'horse-helpdesk-battery-9');
    assert.equal(
      (await admin('POST', '/console/api/admins', { name: 'hd', role: 'super' })).statusCode,
      200,
    );
    assert.equal(
      (await hd('PUT', '/console/api/delivery/sms', { webhook: 'http://127.0.0.1:9/s' }))
        .statusCode,
      200,
    );
    await admin('POST', '/console/api/admins', { name: 'hd', role: 'read-only' });
    assert.equal((await hd('POST', '/console/api/users/carol/unlock')).statusCode, 403);
  });

  it('sends a test text through the SMS webhook and shows its answer', async () => {
    const texts: string[] = [];
    const webhook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on('end', () => {
        texts.push(body);
        response.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = webhook.address() as AddressInfo;
      const admin = await signIn('admin', running.firstRun?.adminPassword ?? '');
      const set = await admin('PUT', '/console/api/delivery/sms', {
        webhook: `http://127.0.0.1:${port}/sms`,
      });
      assert.equal(set.statusCode, 200, set.body);
      const sent = await admin('POST', '/console/api/delivery/test', {
        channel: 'sms',
        to: '+15550100',
      });
      assert.deepEqual(sent.json(), { answer: 'HTTP 202' });
      assert.equal((JSON.parse(texts[0] ?? '{}') as { to: string }).to, '+15550100');
      await new Promise<void>((resolve) => webhook.close(() => resolve()));
      const unreachable = await admin('POST', '/console/api/delivery/test', {
        channel: 'sms',
        to: '+15550100',
      });
      assert.equal(unreachable.statusCode, 502);
      assert.match(
        (unreachable.json() as { error: { message: string } }).error.message,
        /could not be reached/,
      );
    } finally {
      webhook.close();
    }
  });

  it('says what is wrong in words, naming the field, for a request the schema refuses', async () => {
    const admin = await signIn('admin', running.firstRun?.adminPassword ?? '');
    const response = await admin('POST', '/console/api/users', {
      name: 'x'.repeat(65),
      password: 'horse-battery-77',
    });
    assert.equal(response.statusCode, 400);
    const { error } = response.json() as {
      error: { code: string; message: string; field: string };
    };
    assert.deepEqual([error.code, error.field], ['TW_INPUT_INVALID', 'name']);
    assert.match(error.message, /name takes at most 64 characters/);
    assert.doesNotMatch(error.message, /must NOT/);
  });
});
