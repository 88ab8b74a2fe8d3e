import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { encodeBase32 } from '../../src/core/base32.js';
import { generateTotp } from '../../src/core/totp.js';
import { openSeed } from '../../src/gateway/token-secrets.js';
import { seriousViolations } from '../helpers/axe.js';
import { requireComponent } from '../helpers/components.js';
import { type GatewayHarness, startGatewayHarness } from '../helpers/gateway-harness.js';
import { radclient, radclientComponent } from '../helpers/radclient.js';

const chromiumComponent = await requireComponent('chromium', 'apt-get install chromium');
const SCREENSHOTS = new URL('../../test-output/app/', import.meta.url);
const SECRET = 'radius-secret-for-the-phone-app';

/** A phone: a browser context of its own (its own IndexedDB), 390x844 with touch. */
async function phone(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  return { context, page: await context.newPage() };
}

/**
 * Every IndexedDB record of the page, bytes as base64 and CryptoKeys as what they let out.
 * In-page code is a string: it runs in the browser, not through this file's compiler.
 */
const DUMP_INDEXED_DB = `(async () => {
  const db = await new Promise((resolve, reject) => {
    const opening = indexedDB.open('tokenward');
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
  const show = (value) => {
    if (value instanceof CryptoKey)
      return { key: value.type, extractable: value.extractable, algorithm: value.algorithm.name };
    if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
      const bytes = new Uint8Array(value instanceof ArrayBuffer ? value : value.buffer);
      return { bytes: btoa(String.fromCharCode(...bytes)) };
    }
    if (Array.isArray(value)) return value.map(show);
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, show(v)]));
    return value;
  };
  const all = (store) => new Promise((resolve) => {
    const request = db.transaction(store).objectStore(store).getAll();
    request.onsuccess = () => resolve(request.result);
  });
  const tokens = await all('tokens');
  const exported = await Promise.all(tokens.map((t) =>
    crypto.subtle.exportKey('raw', t.key).then(() => 'exported', (error) => error.name)));
  return { device: (await all('device')).map(show), tokens: tokens.map(show), exported };
})()`;

interface IndexedDbDump {
  readonly device: {
    readonly registrationId: string;
    readonly identity: { readonly privateKey: { readonly extractable: boolean } };
  }[];
  readonly tokens: { readonly key: { key: string; extractable: boolean; algorithm: string } }[];
  /** What exporting each token's key gave. */
  readonly exported: string[];
}

const dumpIndexedDb = async (page: Page) => (await page.evaluate(DUMP_INDEXED_DB)) as IndexedDbDump;

// The phone app (Tokenward Authenticator) in Chromium, served by a real provisioner, activated
// from the link in a real e-mail, its code checked by the gateway over RADIUS. Threats: a second
// phone taking an activation, the seed read back out of the browser, a replayed code.
describe('the phone app in Chromium', {
  skip: chromiumComponent.skip || radclientComponent.skip,
}, () => {
  let g: GatewayHarness;
  let browser: Browser;
  let a: { context: BrowserContext; page: Page };
  let b: { context: BrowserContext; page: Page };
  let alice: { password: string; serial: string; code: string };
  let link: string;
  let port: number;

  const shot = async (page: Page, name: string) => {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await page.screenshot({ path: new URL(`${name}-${colorScheme}.png`, SCREENSHOTS).pathname });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  };
  const shownCode = async (page: Page) =>
    ((await page.locator('.token .digits').first().textContent()) ?? '').replace(/\s/g, '');

  before(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    g = await startGatewayHarness('sqlite');
    await g.gateway.saveRadiusClient({ name: 'vpn', address: '127.0.0.1', secret: SECRET });
    ({ port } = await g.radius());
    alice = await g.mailedUser('alice');
    link = /open (https?:\/\/\S+)/.exec(g.smtp.received.at(-1)?.text ?? '')?.[1] ?? '';
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox'],
    });
    a = await phone(browser);
    b = await phone(browser);
  });
  after(async () => {
    await browser?.close();
    await g?.close();
  });

  it('mails a link to the app on the provisioner, the code in the fragment', () => {
    assert.equal(link, `${g.provisioner.url}/app/#activate=${alice.code}`);
  });

  it('shows the empty app with what to do, with no serious accessibility problem', async () => {
    await b.page.goto(`${g.provisioner.url}/app/`);
    await b.page.getByText('No token on this phone yet').waitFor();
    assert.deepEqual(await seriousViolations(b.page), []);
    await shot(b.page, 'empty');
  });

  it('activates from the e-mailed link: the gateway sees the phone, and takes its code', async () => {
    await a.page.goto(link);
    await a.page
      .locator('.token .digits')
      .filter({ hasText: /^\d{3} \d{3}$/ })
      .waitFor();
    assert.equal(new URL(a.page.url()).hash, '', 'the code left the address bar');
    await a.page.getByText('is ready on this phone').waitFor();
    await g.gateway.poll();
    const token = await g.store.fortitokens.find(alice.serial);
    const dump = await dumpIndexedDb(a.page);
    assert.equal(token?.state, 'provisioned');
    assert.equal(token?.regId, dump.device[0]?.registrationId);

    const code = await shownCode(a.page);
    const login = [
      `User-Name = "alice"`,
      `User-Password = "${alice.password}${code}"`,
      'Message-Authenticator = 0x00',
    ];
    assert.equal((await radclient(port, SECRET, login)).type, 'Access-Accept');
    assert.equal((await radclient(port, SECRET, login)).type, 'Access-Reject', 'replayed');
    assert.deepEqual(await seriousViolations(a.page), []);
    await shot(a.page, 'codes');
  });

  it('refuses the same link on a second phone, saying why on screen', async () => {
    await b.page.goto(link);
    await b.page.getByText('already activated on another device').waitFor();
    assert.equal(await b.page.locator('.token').count(), 0);
    assert.deepEqual(await seriousViolations(b.page), []);
    await shot(b.page, 'refused');
  });

  it('says what a typed code that cannot be one should look like', async () => {
    await b.page.getByLabel('Activation code').fill('not a code');
    await b.page.getByLabel('Activation code').press('Enter');
    await b.page.getByText('That is not an activation code').waitFor();
    assert.equal(await b.page.evaluate('document.activeElement.id'), 'code');
  });

  it('keeps the seed out of reach: a non-extractable HMAC key, no seed bytes stored', async () => {
    const stored = await g.store.fortitokens.find(alice.serial);
    const seed = Buffer.from(openSeed(g.cipher, alice.serial, stored?.seedEnc ?? ''));
    const dump = await dumpIndexedDb(a.page);
    assert.deepEqual(dump.tokens[0]?.key, { key: 'secret', extractable: false, algorithm: 'HMAC' });
    assert.equal(dump.device[0]?.identity.privateKey.extractable, false);
    const text = JSON.stringify(dump);
    for (const form of [seed.toString('base64'), seed.toString('hex'), encodeBase32(seed)]) {
      assert.ok(!text.includes(form), 'no form of the seed is stored');
    }
    assert.deepEqual(dump.exported, ['InvalidAccessError'], 'the key will not leave WebCrypto');
  });

  it('opens with no network and still shows working codes', async () => {
    await a.page.evaluate('navigator.serviceWorker.ready.then(() => true)');
    await a.context.setOffline(true);
    try {
      await a.page.reload();
      await a.page
        .locator('.token .digits')
        .filter({ hasText: /^\d{3} \d{3}$/ })
        .waitFor();
      assert.deepEqual(await seriousViolations(a.page), []);
      await shot(a.page, 'offline');
      const stored = await g.store.fortitokens.find(alice.serial);
      const seed = openSeed(g.cipher, alice.serial, stored?.seedEnc ?? '');
      // The code of this step or the next (the page may have turned over between the two reads).
      const expected = [0, 30_000].map((ahead) =>
        generateTotp({
          seed,
          now: Date.now() + ahead,
          algorithm: stored?.algorithm ?? 'SHA1',
          digits: stored?.digits ?? 6,
          period: stored?.period ?? 30,
        }),
      );
      const shown = await shownCode(a.page);
      assert.ok(expected.includes(shown), `${shown} is not one of ${expected.join(', ')}`);
    } finally {
      await a.context.setOffline(false);
    }
  });

  it('shows a login request with its context; approves only with the number typed from the login', async () => {
    await g.gateway.changeSettings([
      { path: 'system ftm-push', name: 'number-matching', value: 'enable' },
    ]);
    const context = { frontEnd: 'http', sourceIp: '198.51.100.7', application: 'vpn' } as const;
    const challenge = await g.challenge({ name: 'alice', password: alice.password }, context);
    const outcome = g.auth.answerPush(challenge.sessionId);
    const request = a.page.locator('.request');
    await request.getByText('alice is logging in').waitFor();
    await request.getByText('198.51.100.7').waitFor();
    assert.equal(
      await a.page.evaluate('document.activeElement.textContent'),
      'alice is logging in',
      'the request takes the focus',
    );
    assert.equal(await request.getByRole('button', { name: 'Approve' }).isDisabled(), true);
    assert.deepEqual(await seriousViolations(a.page), []);
    await shot(a.page, 'request');
    await request.getByLabel('Number shown at the login').fill(String(challenge.number));
    await request.getByRole('button', { name: 'Approve' }).click();
    assert.equal((await outcome).result, 'accept');
    await a.page.getByText('Approved: the login goes ahead.').waitFor();
  });

  it('refuses the login when the number typed is not the one shown', async () => {
    const challenge = await g.challenge({ name: 'alice', password: alice.password });
    const outcome = g.auth.answerPush(challenge.sessionId);
    const request = a.page.locator('.request');
    await request.getByText('alice is logging in').waitFor();
    const wrong = challenge.number === 10 ? 11 : 10;
    await request.getByLabel('Number shown at the login').fill(String(wrong));
    await request.getByRole('button', { name: 'Approve' }).click();
    assert.equal((await outcome).result, 'reject');
    await a.page.getByText('That is not the number the login shows').waitFor();
  });

  it('says so when the browser cannot be told of login requests while the app is closed', async () => {
    // Headless Chromium has the Push API but no push service to subscribe with.
    await a.context.grantPermissions(['notifications']);
    await a.page.getByRole('button', { name: 'Notify me of login requests' }).click();
    await a.page
      .locator('#status')
      .getByText('cannot tell you of login requests while the app is closed')
      .waitFor();
    assert.equal(
      (
        await g.provisioner.store.devices.find(
          (await dumpIndexedDb(a.page)).device[0]?.registrationId ?? '',
        )
      )?.webPush,
      null,
      'no subscription was stored',
    );
  });

  it('moves the token to a new phone: its code is accepted there, the old phone shows it moved', async () => {
    a.page.once('dialog', (dialog) => void dialog.accept());
    await a.page.getByRole('button', { name: 'Move to a new phone' }).click();
    const transfer = a.page.getByRole('dialog');
    await transfer.getByRole('img', { name: /QR code/ }).waitFor();
    assert.deepEqual(await seriousViolations(a.page), []);
    await shot(a.page, 'transfer');
    const transferLink = await transfer.getByLabel('Transfer link').inputValue();
    assert.match(transferLink, /\/app\/#activate=[A-Z2-7]{16}$/);
    await transfer.getByRole('button', { name: 'Close' }).click();

    await b.page.goto(transferLink);
    await b.page
      .locator('.token .digits')
      .filter({ hasText: /^\d{3} \d{3}$/ })
      .waitFor();
    await g.gateway.poll({ all: true });
    const bDevice = await dumpIndexedDb(b.page);
    assert.equal(
      (await g.store.fortitokens.find(alice.serial))?.regId,
      bDevice.device[0]?.registrationId,
    );
    const login = [
      `User-Name = "alice"`,
      `User-Password = "${alice.password}${await shownCode(b.page)}"`,
      'Message-Authenticator = 0x00',
    ];
    assert.equal((await radclient(port, SECRET, login)).type, 'Access-Accept');

    await a.page.reload();
    await a.page.getByText('Moved: this token now works on another phone').waitFor();
    assert.equal(await a.page.locator('.token .digits').count(), 0, 'no codes from the old phone');
    assert.deepEqual(await seriousViolations(a.page), []);
    await shot(a.page, 'moved');
  });
});
