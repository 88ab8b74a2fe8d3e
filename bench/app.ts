import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { createMobileToken } from '../src/mobile/mobile-token.js';
import { startGatewayHarness } from '../test/helpers/gateway-harness.js';
import { report } from './measure.js';

const ACTIVATIONS = 15;
const CODES = 2_000;

/** The activation link of the last mail the harness's SMTP server received. */
const lastLink = (mails: readonly { text?: string | undefined }[]) =>
  /open (https?:\/\/\S+)/.exec(mails.at(-1)?.text ?? '')?.[1] ?? '';

/** Median of a list of milliseconds. */
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * The phone app in Chromium beside the CLI token, in the same run against the same provisioner:
 * (1) from opening the activation link to the first code on screen (a fresh phone each: page
 * load, key generation, MobileProvision, seed opened into WebCrypto keys, first code drawn),
 * against the CLI token's activate + first code; (2) one code's computation in the page
 * (WebCrypto HMAC with the stored non-extractable key) against the CLI token's `code()`.
 */
export async function benchApp(): Promise<void> {
  const g = await startGatewayHarness('sqlite');
  const phones = await mkdtemp(join(tmpdir(), 'tokenward-bench-app-'));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox'],
  });
  try {
    const pack = await g.provisioner.provisioner.admin.createLicence(
      { tokens: ACTIVATIONS * 2 + 2 },
      g.provisioner.clock.now,
    );
    await g.gateway.importLicence(pack.code);
    const user = async (name: string) => {
      await g.gateway.addUser({
        name,
        password: 'correct-horse-battery-9',
        email: `${name}@example.com`,
        token: 'auto',
      });
      return lastLink(g.smtp.received);
    };

    const inApp: number[] = [];
    const inCli: number[] = [];
    let lastPage: Page | undefined;
    for (let n = 0; n < ACTIVATIONS; n++) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      const link = await user(`app${n}`);
      const started = performance.now();
      await page.goto(link);
      await page
        .locator('.token .digits')
        .filter({ hasText: /^\d{3} \d{3}$/ })
        .waitFor();
      inApp.push(performance.now() - started);
      if (lastPage !== undefined) await lastPage.context().close();
      lastPage = page;

      const cliLink = await user(`cli${n}`);
      const phone = createMobileToken({ dir: join(phones, `cli${n}`), version: '1.0.0' });
      const cliStarted = performance.now();
      await phone.activate({ uri: cliLink });
      await phone.code();
      inCli.push(performance.now() - cliStarted);
    }
    report(
      'app: activation link to first code',
      `${median(inApp).toFixed(0)} ms (median of ${ACTIVATIONS}, Chromium, fresh phone each)`,
      `CLI token activate + first code ${median(inCli).toFixed(1)} ms`,
      median(inApp) / median(inCli),
    );

    const perCodeInPage = (await lastPage?.evaluate(`(async () => {
      const db = await new Promise((resolve) => {
        const opening = indexedDB.open('tokenward');
        opening.onsuccess = () => resolve(opening.result);
      });
      const [token] = await new Promise((resolve) => {
        const request = db.transaction('tokens').objectStore('tokens').getAll();
        request.onsuccess = () => resolve(request.result);
      });
      const message = new Uint8Array(8);
      const started = performance.now();
      for (let i = 0; i < ${CODES}; i++) {
        new DataView(message.buffer).setBigUint64(0, BigInt(i));
        const mac = new Uint8Array(await crypto.subtle.sign('HMAC', token.key, message));
        const at = mac[mac.length - 1] & 15;
        void (((mac[at] & 127) << 24) | (mac[at + 1] << 16) | (mac[at + 2] << 8) | mac[at + 3]);
      }
      return (performance.now() - started) / ${CODES};
    })()`)) as number;
    const cliPhone = createMobileToken({ dir: join(phones, 'cli0'), version: '1.0.0' });
    const cliStarted = performance.now();
    for (let i = 0; i < CODES / 10; i++) await cliPhone.code();
    const perCodeCli = (performance.now() - cliStarted) / (CODES / 10);
    report(
      'app: one code in the page',
      `${(perCodeInPage * 1000).toFixed(0)} us (WebCrypto HMAC, non-extractable key)`,
      `CLI token code() ${(perCodeCli * 1000).toFixed(0)} us (vault read and opened each time)`,
      perCodeInPage / perCodeCli,
    );
  } finally {
    await browser.close();
    await g.close();
    await rm(phones, { recursive: true, force: true });
  }
}
