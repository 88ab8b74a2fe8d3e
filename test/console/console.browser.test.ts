import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import type { AllInOne } from '../../src/all-in-one/all-in-one.js';
import { createNotifier } from '../../src/gateway/notifier.js';
import { createMobileToken } from '../../src/mobile/mobile-token.js';
import { startTestAllInOne } from '../helpers/all-in-one.js';
import { requireComponent } from '../helpers/components.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';

const chromiumComponent = await requireComponent('chromium', 'apt-get install chromium');
const SCREENSHOTS = new URL('../../test-output/console/', import.meta.url);

/** True when a screenshot has real content: many colours, not one flat fill. */
async function notBlank(file: URL): Promise<boolean> {
  const png = PNG.sync.read(await readFile(file));
  const colours = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4 * 97) colours.add(png.data.readUInt32BE(i));
  return colours.size > 8;
}

describe('admin console in Chromium', { skip: chromiumComponent.skip }, () => {
  let root: string;
  let running: AllInOne;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let browser: Browser;
  let page: Page;

  const shot = async (name: string) => {
    const file = new URL(`${name}.png`, SCREENSHOTS);
    await page.screenshot({ path: file.pathname, fullPage: true });
    assert.ok(await notBlank(file), `${name}.png is blank`);
  };

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'tokenward-console-'));
    await mkdir(SCREENSHOTS, { recursive: true });
    smtp = await startSmtpSink();
    running = await startTestAllInOne(
      root,
      createNotifier({
        smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none', from: 'vpn@example.com' },
      }),
    );
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  after(async () => {
    await browser?.close();
    await running?.close();
    await smtp?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('signs in with the keyboard and shows the dashboard', async () => {
    await page.goto(`${running.httpUrl}/`);
    const signIn = page.locator('#sign-in-form');
    await signIn.getByLabel('Password').fill(running.firstRun?.adminPassword ?? '');
    await signIn.getByLabel('Password').press('Enter');
    await page.getByRole('link', { name: 'Dashboard' }).waitFor();
    await page.getByText('Signed in as admin.').waitFor();
    await page.locator('#licences tr').first().waitFor();
    const [licence, ...seats] = await page.locator('#licences td').allTextContents();
    assert.match(licence ?? '', /^TWTRIAL\d+$/);
    assert.deepEqual(seats, ['2', '0', '2'], 'seats, used, free');
    await shot('dashboard');
  });

  it('adds a user and sends the activation; the token turns provisioned without a reload', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    const form = page.locator('#add-user-form');
    await form.getByLabel('Name').fill('bob');
    await form.getByLabel('Password').fill('horse-battery-1');
    await form.getByLabel('E-mail').fill('bob@example.com');
    await form.getByRole('button', { name: 'Add user' }).click();
    await page.getByText(/activation: e-mail to bob@example\.com/).waitFor();
    await shot('users');

    const code = /^ {4}([A-Z2-7]{16})$/m.exec(smtp.received.at(-1)?.text ?? '')?.[1] ?? '';
    const phone = createMobileToken({ dir: join(root, 'phone'), version: '1.0.0' });
    await phone.activate({ code, server: running.provisionerUrl });
    const { registrationId } = await phone.info();

    await page.getByRole('link', { name: 'Tokens' }).click();
    await running.gateway.poll();
    const row = page.locator('#token-rows tr', { hasText: 'bob' });
    await row.locator('.state-provisioned').waitFor({ timeout: 10_000 });
    assert.match((await row.textContent()) ?? '', new RegExp(registrationId));
    await shot('tokens');
  });

  it('edits a user', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    const form = page.locator('#edit-user-form');
    await form.getByLabel('Edit user').fill('bob');
    await form.getByLabel('SMS', { exact: true }).fill('+15550123');
    await form.getByLabel('Two-factor').selectOption('fortitoken');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('User bob changed.').waitFor();
    const bob = (await running.gateway.listUsers()).find((user) => user.name === 'bob');
    assert.deepEqual([bob?.smsPhone, bob?.email], ['+15550123', 'bob@example.com']);
  });

  it('clears a lockout', async () => {
    // Wrong passwords alone lock a user at auth-lockout-user-threshold (default 10).
    await running.gateway.changeSettings([
      { path: 'user setting', name: 'auth-lockout-user-threshold', value: 3 },
    ]);
    for (let i = 0; i < 3; i++) {
      await running.auth.login({
        username: 'bob',
        password: 'wrong',
        context: { frontEnd: 'http' },
      });
    }
    await page.getByRole('link', { name: 'Users' }).click();
    const row = page.locator('#user-rows tr', { hasText: 'bob' });
    await row.getByText('locked', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Unlock bob' }).click();
    await page.getByText('bob unlocked.').waitFor();
    assert.equal((await running.gateway.showUser('bob')).lockedAt, null);
    await page.getByRole('link', { name: 'Auth log' }).click();
    await page.locator('#log-rows tr', { hasText: 'password-mismatch,locked-out' }).waitFor();
    await shot('auth-log');
  });

  it('adds an LDAP server on the directory page and says when no host answers its test', async () => {
    await page.getByRole('link', { name: 'Directory' }).click();
    const form = page.locator('#add-ldap-form');
    await form.getByLabel('Name').fill('corp');
    await form.getByLabel('Server', { exact: true }).fill('127.0.0.1');
    await form.getByLabel('Port').fill('1');
    await form.getByLabel('Base DN').fill('ou=people,dc=example,dc=com');
    await form.getByRole('button', { name: 'Add server' }).click();
    await page.getByText('LDAP server corp added.').waitFor();
    const row = page.locator('#ldap-rows tr', { hasText: 'corp' });
    await row.getByRole('button', { name: 'Test corp' }).click();
    await page.getByText(/No host of LDAP server "corp" answered/).waitFor({ timeout: 15_000 });
    await shot('directory');
  });

  it('is readable on a phone-sized screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Tokens' }).click();
    await page.locator('#token-rows tr').first().waitFor();
    const overflow = Number(
      await page.evaluate(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      ),
    );
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
    await shot('tokens-phone');
  });
});
