import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import type { AllInOne } from '../../src/all-in-one/all-in-one.js';
import { createStore } from '../../src/store/store.js';
import { startTestAllInOne } from '../helpers/all-in-one.js';
import { requireComponent } from '../helpers/components.js';
import {
  checkView,
  launchChromium,
  sidewaysScroll,
  signIn,
  waitUntil,
} from '../helpers/console-browser.js';
import { userRow } from '../helpers/rows.js';

const chromiumComponent = await requireComponent('chromium', 'apt-get install chromium');
const SEEDED = 10_000;
const name = (i: number) => `user${String(i).padStart(5, '0')}`;

/** The names in the users table, in order. */
const shownNames = (page: Page) =>
  page
    .locator('tbody tr[data-key]')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-key') ?? ''));

// The tables an admin works in, over 10,000 users: search and paging on the server, a CSV
// import checked before anything is written, the live refresh keeping focus and selection,
// exports that say what the table says; every view at 360 and 1280 px without sideways scroll.
describe('console tables in Chromium', { skip: chromiumComponent.skip }, () => {
  let root: string;
  let running: AllInOne;
  let browser: Browser;
  let page: Page;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'tokenward-console-tables-'));
    running = await startTestAllInOne(root);
    // Seeded beside the running gateway, in its database, as a directory sync would leave them.
    const store = await createStore(`sqlite:${join(root, 'data', 'tokenward.db')}`);
    try {
      const now = Date.now();
      const users = Array.from({ length: SEEDED }, (_, i) => ({
        ...userRow(name(i), now),
        email: `${name(i)}@example.com`,
      }));
      for (let i = 0; i < users.length; i += 500)
        await store.users.createMany(users.slice(i, i + 500));
    } finally {
      await store.close();
    }
    for (const [username, password] of [
      ['user00001', 'wrong'],
      ['user00002', 'wrong'],
      ['user00001', 'wrong'],
    ] as const) {
      await running.auth.login({
        username,
        password,
        context: { frontEnd: 'http', sourceIp: '203.0.113.7' },
      });
    }
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, running.httpUrl, 'admin', running.firstRun?.adminPassword ?? '');
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await running?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('searches and pages 10,000 users on the server', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByText('Rows 1-50 of 10,000').waitFor();
    assert.deepEqual((await shownNames(page)).slice(0, 2), [name(0), name(1)]);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Rows 51-100 of 10,000').waitFor();
    assert.equal((await shownNames(page))[0], name(50));
    await page.getByLabel('Search (start of name or e-mail)').fill('user0042');
    await page.getByText('Rows 1-10 of 10').waitFor();
    assert.deepEqual(
      await shownNames(page),
      Array.from({ length: 10 }, (_, i) => name(420 + i)),
    );
    await page.getByRole('button', { name: 'Name' }).click();
    await waitUntil(
      page,
      `document.querySelector('tbody tr[data-key]')?.dataset.key === '${name(429)}'`,
    );
    await page.getByLabel('Search (start of name or e-mail)').fill('nobody-like-this');
    await page.getByText('No user matches. Clear the search or the filters.').waitFor();
    await page.getByLabel('Search (start of name or e-mail)').fill('');
    await page.getByText('Rows 1-50 of 10,000').waitFor();
    await checkView(page, 'users');
  });

  it('keeps focus and the selection across the live refresh', async () => {
    const third = (await shownNames(page))[3] ?? '';
    const box = page.getByRole('checkbox', { name: `Select ${third}`, exact: true });
    await box.check();
    await box.focus();
    await page.getByText('1 selected').waitFor();
    const before = Number(await page.evaluate('document.body.dataset.refreshes ?? 0'));
    await waitUntil(page, `Number(document.body.dataset.refreshes ?? 0) > ${before}`);
    const focused = await page.evaluate(
      `[document.activeElement?.closest('tr')?.dataset.key, document.activeElement?.checked]`,
    );
    assert.deepEqual(focused, [third, true], 'the same checkbox, still checked, has the focus');
    await page.keyboard.press('Space');
    await page.getByText('1 selected').waitFor({ state: 'hidden' });
  });

  it('checks a CSV of 200 users, shows the 3 bad rows and writes nothing, then adds the fixed file', async () => {
    const lines = Array.from(
      { length: 200 },
      (_, i) =>
        `new${String(i).padStart(3, '0')},correct-horse-${i}-staple,new${i}@example.com,,email`,
    );
    lines[10] = 'new000,correct-horse-x-staple,dup@example.com,,email';
    lines[50] = 'new050,correct-horse-50-staple,not-an-address,,email';
    lines[120] = 'new120,password,new120@example.com,,email';
    const csv = ['name,password,email,sms,two-factor', ...lines].join('\n');
    await page.getByText('Import users from a CSV file').click();
    await page.getByLabel('or paste it').fill(csv);
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByText('3 of 200 rows have errors (shown below)').waitFor();
    const invalid = await page
      .locator('tr.invalid')
      .evaluateAll((rows) => rows.map((row) => row.querySelector('td')?.textContent ?? ''));
    assert.deepEqual(invalid, ['12', '52', '122'], 'the file lines of the bad rows');
    assert.match(
      (await page.locator('tr.invalid').nth(0).textContent()) ?? '',
      /already on an earlier line/,
    );
    assert.match((await page.locator('tr.invalid').nth(2).textContent()) ?? '', /password/i);
    assert.equal(await page.getByRole('button', { name: 'Add these users' }).isVisible(), false);
    assert.equal(
      (
        await running.gateway.findUsers({
          text: 'new',
          sort: 'name',
          descending: false,
          offset: 0,
          limit: 1,
        })
      ).total,
      0,
    );
    await checkView(page, 'users-import');

    lines[10] = 'new010,correct-horse-10-staple,new10@example.com,,email';
    lines[50] = 'new050,correct-horse-50-staple,new50@example.com,,email';
    lines[120] = 'new120,correct-horse-120-staple,new120@example.com,,email';
    await page
      .getByLabel('or paste it')
      .fill(['name,password,email,sms,two-factor', ...lines].join('\n'));
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByText('All 200 rows are right.').waitFor();
    await page.getByRole('button', { name: 'Add these users' }).click();
    await page.getByText('200 users added.').waitFor({ timeout: 120_000 });
    const added = await running.gateway.findUsers({
      text: 'new',
      sort: 'name',
      descending: false,
      offset: 0,
      limit: 1,
    });
    assert.equal(added.total, 200);
  });

  it('exports the auth log as CSV and JSON that match the table', async () => {
    await page.getByRole('link', { name: 'Auth log' }).click();
    await page.getByLabel('Search (start of user or source address)').fill('user00001');
    await page.getByText('Rows 1-2 of 2').waitFor();
    const shown = await page
      .locator('tbody tr[data-key]')
      .evaluateAll((rows) =>
        rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent ?? '')),
      );
    const download = async (format: 'CSV' | 'JSON') => {
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: `Export ${format}` }).click(),
      ]);
      return readFile((await file.path()) ?? '', 'utf8');
    };
    const csv = parse(await download('CSV'), { columns: true }) as Record<string, string>[];
    const json = JSON.parse(await download('JSON')) as Record<string, unknown>[];
    assert.equal(csv.length, 2);
    assert.deepEqual(
      csv.map((row) => [row.username, row.sourceIp, row.result, row.reason]),
      shown.map((cells) => [cells[1], cells[2], cells[5], cells[6]]),
    );
    assert.deepEqual(
      json.map((row) => [row.username, row.result, row.at]),
      csv.map((row) => [row.username, row.result, row.at]),
    );
    await checkView(page, 'auth-log');
  });

  it('shows a read-only admin the users with no way to change them', async () => {
    await running.gateway.saveConsoleAdmin({
      name: 'ro',
      password: 'horse-read-only-battery-9',
      role: 'read-only',
    });
    const readOnly = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await signIn(readOnly, running.httpUrl, 'ro', 'horse-read-only-battery-9');
      await readOnly.getByRole('heading', { name: 'Dashboard' }).waitFor();
      await readOnly.goto(`${running.httpUrl}/#/users`);
      await readOnly.getByText('Rows 1-50 of 10,000+').waitFor();
      assert.equal(await readOnly.getByText('Add a user').count(), 0);
      assert.equal(await readOnly.getByText('Import users from a CSV file').count(), 0);
      assert.equal(
        await readOnly.getByRole('checkbox').count(),
        0,
        'no selection, no bulk actions',
      );
      await readOnly.goto(`${running.httpUrl}/#/users/user00001`);
      await readOnly.getByRole('heading', { name: 'Details' }).waitFor();
      assert.equal(
        await readOnly.getByRole('button', { name: /Delete|Unlock|activation/ }).count(),
        0,
      );
    } finally {
      await readOnly.close();
    }
  });

  it('shows the dashboard chart and the most rejected; every other view fits 360 and 1280 px', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByText('user00001: 2 rejected').waitFor();
    await page.getByText('203.0.113.7: 3 rejected').waitFor();
    await page.getByText(/0 accepted.*0 challenged.*3 rejected/).waitFor();
    for (const [view, heading] of [
      ['tokens', 'Tokens'],
      ['audit', 'Audit trail'],
      ['radius', 'RADIUS clients'],
      ['directory', 'Directory (LDAP servers)'],
      ['users/user00001', 'user00001'],
    ] as const) {
      await page.goto(`${running.httpUrl}/#/${view}`);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await page.setViewportSize({ width: 360, height: 740 });
      assert.ok((await sidewaysScroll(page)) <= 0, `${view} at 360 px`);
      await page.setViewportSize({ width: 1280, height: 800 });
      await checkView(page, view.replace('/', '-'));
    }
  });

  it('edits a user and clears a lockout from the user page', async () => {
    await running.gateway.changeSettings([
      { path: 'user setting', name: 'auth-lockout-user-threshold', value: 3 },
    ]);
    await running.gateway.addUser({
      name: 'lockme',
      password: 'horse-battery-lock-1',
      twoFactor: 'disable',
    });
    for (let i = 0; i < 3; i++) {
      await running.auth.login({
        username: 'lockme',
        password: 'wrong',
        context: { frontEnd: 'http' },
      });
    }
    await page.goto(`${running.httpUrl}/#/users/lockme`);
    await page.getByText('locked out until unlocked').waitFor();
    await page.getByText('Edit', { exact: true }).click();
    await page.getByLabel('Mobile number (SMS)').fill('+15550123');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('lockme saved.').waitFor();
    assert.equal((await running.gateway.showUser('lockme')).smsPhone, '+15550123');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByText('lockme unlocked: they can log in again.').waitFor();
    assert.equal((await running.gateway.showUser('lockme')).lockedAt, null);
  });
});
