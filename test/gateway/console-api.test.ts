import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AllInOne } from '../../src/all-in-one/all-in-one.js';
import { startTestAllInOne } from '../helpers/all-in-one.js';

// Threats: a page on another site making the signed-in admin's browser change things (CSRF);
// guessing or replaying the console session; reading secrets through the console API.
describe('console API: sign-in, session cookie, CSRF', () => {
  let root: string;
  let running: AllInOne;
  let api: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'tokenward-console-api-'));
    running = await startTestAllInOne(root);
    api = `${running.httpUrl}/console/api`;
  });
  after(async () => {
    await running?.close();
    await rm(root, { recursive: true, force: true });
  });

  const signIn = async (password: string) =>
    fetch(`${api}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'admin', password }),
    });

  it('refuses a wrong password and any API call without a session', async () => {
    const wrong = await signIn('not-the-password');
    assert.equal(wrong.status, 401);
    assert.equal(
      ((await wrong.json()) as { error: { code: string } }).error.code,
      'TW_CONSOLE_SIGN_IN',
    );
    assert.equal((await fetch(`${api}/users`)).status, 401);
    const forged = await fetch(`${api}/users`, { headers: { cookie: 'tw_console=guess' } });
    assert.equal(forged.status, 401);
  });

  it('sets an HttpOnly SameSite=Strict cookie and demands the CSRF token for changes', async () => {
    const signedIn = await signIn(running.firstRun?.adminPassword ?? '');
    assert.equal(signedIn.status, 200);
    const setCookie = signedIn.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /tw_console=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict/);
    const { csrf } = (await signedIn.json()) as { csrf: string };
    const cookie = setCookie.split(';')[0] ?? '';
    const change = (headers: Record<string, string>) =>
      fetch(`${api}/users`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ name: 'eve', password: 'horse-battery-5', twoFactor: 'disable' }),
      });
    const withoutToken = await change({});
    assert.equal(withoutToken.status, 403);
    assert.equal(
      ((await withoutToken.json()) as { error: { code: string } }).error.code,
      'TW_CONSOLE_CSRF',
    );
    assert.equal((await change({ 'x-csrf-token': 'x'.repeat(43) })).status, 403);
    assert.ok(
      !(await running.gateway.listUsers()).some((user) => user.name === 'eve'),
      'nothing was changed',
    );
    assert.equal((await change({ 'x-csrf-token': csrf })).status, 200);
    assert.ok((await running.gateway.listUsers()).some((user) => user.name === 'eve'));

    const clients = await (await fetch(`${api}/radius-clients`, { headers: { cookie } })).text();
    assert.ok(
      !clients.includes(running.firstRun?.radiusSecret ?? '-') && !clients.includes('secret'),
    );
    const signedOut = await fetch(`${api}/session`, {
      method: 'DELETE',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    assert.equal(signedOut.status, 200);
    assert.equal((await fetch(`${api}/users`, { headers: { cookie } })).status, 401);
  });

  it('serves the OpenAPI description of the HTTP API at /docs', async () => {
    const page = await (await fetch(`${running.httpUrl}/docs`)).text();
    assert.match(
      page,
      /<code>POST<\/code><\/td><td data-label="Path"><code>\/api\/v1\/auth<\/code>/,
    );
    const document = (await (await fetch(`${running.httpUrl}/docs/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    assert.match(document.openapi, /^3\./);
    for (const path of ['/api/v1/auth', '/api/v1/auth/otp', '/api/v1/auth/push']) {
      assert.ok(path in document.paths, path);
    }
    assert.doesNotMatch(page, /<script/i, 'the docs page runs no script');
  });

  it('loads nothing from elsewhere: every script, style and image of the console is its own', async () => {
    const response = await fetch(`${running.httpUrl}/`);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const page = await response.text();
    const references = [...page.matchAll(/\b(?:src|href)="([^"]*)"/g)].map(([, url]) => url ?? '');
    assert.ok(references.length > 0, 'the page references its script and style');
    for (const url of references) {
      assert.ok(!/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(url), `${url} is not this server's`);
    }
  });
});
