import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { AllInOne } from '../../src/all-in-one/all-in-one.js';
import { createMobileToken } from '../../src/mobile/mobile-token.js';
import { startTestAllInOne } from '../helpers/all-in-one.js';
import { requireComponent } from '../helpers/components.js';
import { checkView, launchChromium, signIn } from '../helpers/console-browser.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';

const chromiumComponent = await requireComponent('chromium', 'apt-get install chromium');
const activationCode = (text: string | undefined) =>
  /^ {4}([A-Z2-7]{16})$/m.exec(text ?? '')?.[1] ?? '';

// A new admin's first hour, in Chromium against a fresh `up`: the checklist leads from mail
// settings (tested against a real SMTP server) to a user whose token is active on a phone;
// then the admin protects their own sign-in with that token, reprovisions with confirmation,
// and a helpdesk admin finds the settings closed to them.
describe('console first run in Chromium', { skip: chromiumComponent.skip }, () => {
  let root: string;
  let running: AllInOne;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let browser: Browser;
  let page: Page;
  const phone = () => createMobileToken({ dir: join(root, 'phone'), version: '1.0.0' });

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'tokenward-console-first-run-'));
    smtp = await startSmtpSink();
    running = await startTestAllInOne(root);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });
  after(async () => {
    await browser?.close();
    await running?.close();
    await smtp?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('shows the sign-in alone, then the dashboard with the checklist', async () => {
    await page.goto(`${running.httpUrl}/`);
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    assert.equal(await page.locator('#nav').isVisible(), false, 'no navigation before sign-in');
    await checkView(page, 'sign-in');
    await signIn(page, running.httpUrl, 'admin', 'wrong-password-here');
    await page.getByText(/name or password is wrong/).waitFor();
    await signIn(page, running.httpUrl, 'admin', running.firstRun?.adminPassword ?? '');
    await page.getByRole('heading', { name: 'Getting started: 1 of 4 done' }).waitFor();
  });

  it('sets the mail server; the test e-mail shows the SMTP server answer', async () => {
    await page.getByRole('link', { name: 'Set how activations reach people' }).click();
    const mail = page.locator('form', { has: page.getByLabel('SMTP server') });
    await mail.getByLabel('SMTP server').fill('127.0.0.1');
    await mail.getByLabel('Port').fill(String(smtp.port));
    await mail.getByLabel('Security').selectOption('none');
    await mail.getByLabel('From address').fill('vpn@example.com');
    await mail.getByRole('button', { name: 'Save mail settings' }).click();
    await page.getByText('Mail settings saved.').waitFor();
    await page.getByLabel('Send a test e-mail to').fill('admin@example.com');
    await page.getByRole('button', { name: 'Send test e-mail' }).click();
    await page.getByText(/The server answered: 250 /).waitFor();
    assert.equal(smtp.received.at(-1)?.subject, 'Tokenward test e-mail');
    await checkView(page, 'settings');
  });

  it('adds a user; the activation mail arrives; the phone activates; the checklist moves on', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByText('No users yet. Add one below, or import a CSV file.').waitFor();
    await page.getByText('Add a user').click();
    await page.getByLabel('Name', { exact: true }).fill('alice');
    await page.getByLabel('Password', { exact: true }).fill('horse-battery-1');
    await page.getByLabel('E-mail', { exact: true }).fill('alice@example.com');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByText('alice added. Activation sent by e-mail to alice@example.com.').waitFor();
    await phone().activate({
      code: activationCode(smtp.received.at(-1)?.text),
      server: running.provisionerUrl,
    });
    await running.gateway.poll();
    await page.getByRole('link', { name: 'alice' }).click();
    await page.getByText('active on a phone').first().waitFor();
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Getting started: 3 of 4 done' }).waitFor();
  });

  it('gives the admin a token: the sign-in asks for its code, a wrong one is refused', async () => {
    await page.getByRole('link', { name: 'Protect your own sign-in with a token' }).click();
    await page.getByText('Add or change an admin').click();
    await page.getByLabel('Name', { exact: true }).fill('admin');
    await page.getByLabel('Role').selectOption('super');
    await page.getByLabel('Token user', { exact: true }).fill('alice');
    await page.getByRole('button', { name: 'Save admin' }).click();
    await page.getByText('token of user alice').waitFor();
    await checkView(page, 'admins');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, running.httpUrl, 'admin', running.firstRun?.adminPassword ?? '');
    await page.getByRole('heading', { name: 'Your token code' }).waitFor();
    await checkView(page, 'sign-in-code');
    const code = await phone().code();
    const wrong = String((Number(code.code) + 1) % 1_000_000).padStart(6, '0');
    await page.getByLabel('Code').fill(wrong);
    await page.getByLabel('Code').press('Enter');
    await page.getByText(/name or password is wrong/).waitFor();
    await page.getByLabel('Code').fill(code.code);
    await page.getByLabel('Code').press('Enter');
    await page.getByRole('heading', { name: 'Tokens by state' }).waitFor();
    assert.equal(await page.getByText('Getting started').isVisible(), false, 'every step is done');
    const signIns = await running.gateway.auditPage({ text: 'console.sign-in', limit: 5 });
    assert.deepEqual(
      signIns.entries.slice(0, 2).map((e) => [e.outcome, e.detail?.step]),
      [
        ['success', 'code'],
        ['failure', 'code'],
      ],
    );
    await checkView(page, 'dashboard');
  });

  it('signs the admin in by a push approved on the phone, the number picked', async () => {
    await running.gateway.changeSettings([
      { path: 'system ftm-push', name: 'number-matching', value: 'enable' },
    ]);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, running.httpUrl, 'admin', running.firstRun?.adminPassword ?? '');
    await page.getByRole('button', { name: 'Approve on my phone instead' }).click();
    const said = page.getByText(/approve it there and pick (\d+)\./);
    await said.waitFor();
    const number = Number(/pick (\d+)\./.exec((await said.textContent()) ?? '')?.[1]);
    const [push] = await phone().pendingPushes(20);
    assert.equal(push?.context.user_agent, 'Tokenward console');
    await phone().answerPush(push?.pushId ?? '', 'approve', number);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    const last = await running.gateway.auditPage({ text: 'console.sign-in', limit: 1 });
    assert.deepEqual(
      [last.entries[0]?.outcome, last.entries[0]?.detail?.step],
      ['success', 'push'],
    );
  });

  it('resends without asking, reprovisions only once the admin confirms what it does', async () => {
    await page.goto(`${running.httpUrl}/#/users/alice`);
    await page.getByRole('button', { name: 'Reprovision the token…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText("alice's phone will stop working for logins here at once.").waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    const serial = (await running.gateway.showUser('alice')).tokenSerial ?? '';
    assert.equal((await running.gateway.showToken(serial)).state, 'provisioned', 'cancel: nothing');
    await page.getByRole('button', { name: 'Reprovision the token…' }).click();
    await dialog.getByRole('button', { name: 'Reprovision' }).click();
    await page.getByText('Activation for alice sent by e-mail to alice@example.com.').waitFor();
    await page.getByText('waiting for activation').first().waitFor();
    const issued = activationCode(smtp.received.at(-1)?.text);
    const mails = smtp.received.length;
    await page.evaluate(`document.querySelector('#status').textContent = ''`);
    await page.getByRole('button', { name: 'Resend the activation' }).click();
    await page.getByText('Activation for alice sent by e-mail to alice@example.com.').waitFor();
    assert.equal(smtp.received.length, mails + 1, 'one more mail, no dialog asked');
    assert.equal(activationCode(smtp.received.at(-1)?.text), issued, 'the same code again');
    await page.getByRole('button', { name: 'Show the activation on screen' }).click();
    await page.getByRole('img', { name: 'QR code of the activation for alice' }).waitFor();
    assert.equal(await page.locator('.desk .code').textContent(), issued);
    await checkView(page, 'user');
    const audit = await running.gateway.auditPage({ subject: serial, limit: 10 });
    assert.ok(
      audit.entries.some((e) => e.action === 'token.reveal-code' && e.actor === 'console:admin'),
    );
    await page.goto(`${running.httpUrl}/#/tokens/${serial}`);
    await page
      .getByText(/reprovisioned \(the old phone stopped working\), by console:admin/)
      .waitFor();
    await page.getByText(/activated on a phone, by token-server/).waitFor();
    await checkView(page, 'token');
  });

  it('shows a helpdesk admin the settings without a way to change them, and the API refuses', async () => {
    await running.gateway.saveConsoleAdmin({
      name: 'hd',
      password: 'horse-helpdesk-battery-9',
      role: 'helpdesk',
    });
    const helpdesk = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await signIn(helpdesk, running.httpUrl, 'hd', 'horse-helpdesk-battery-9');
      await helpdesk.getByRole('heading', { name: 'Dashboard' }).waitFor();
      await helpdesk.goto(`${running.httpUrl}/#/settings`);
      await helpdesk
        .getByText('Your role (helpdesk) may look at the settings but not change them.')
        .waitFor();
      assert.equal(await helpdesk.getByRole('button', { name: 'Save policy' }).count(), 0);
      const refused = (await helpdesk.evaluate(`(async () => {
        const session = await (await fetch('/console/api/session')).json();
        const response = await fetch('/console/api/settings', {
          method: 'PUT',
          headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrf },
          body: JSON.stringify({ changes: [{ path: 'user setting', name: 'auth-lockout-threshold', value: 9 }] }),
        });
        return [response.status, (await response.json()).error.code];
      })()`)) as [number, string];
      assert.deepEqual(refused, [403, 'TW_CONSOLE_ROLE_FORBIDDEN']);
    } finally {
      await helpdesk.close();
    }
  });
});
