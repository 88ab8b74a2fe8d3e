import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { type Browser, chromium, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { seriousViolations } from './axe.js';

export const SCREENSHOTS = new URL('../../test-output/console/', import.meta.url);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox'],
  });
}

/** Signs in through the form (name, password; then the token's code when one is asked for). */
export async function signIn(page: Page, url: string, user: string, password: string) {
  await page.goto(`${url}/`);
  await page.getByLabel('Name').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
}

/** True when a screenshot has real content: many colours, not one flat fill. */
async function notBlank(file: URL): Promise<boolean> {
  const png = PNG.sync.read(await readFile(file));
  const colours = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4 * 97) colours.add(png.data.readUInt32BE(i));
  return colours.size > 8;
}

/** How far the page scrolls sideways (0: it fits). */
export const sidewaysScroll = async (page: Page) =>
  Number(
    await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    ),
  );

/** The elements reaching past the viewport's right edge, for the failure message. */
const widest = async (page: Page) =>
  String(
    await page.evaluate(`[...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth - 1 || e.scrollWidth > e.clientWidth + 1)
      .slice(-3).map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')`),
  );

/**
 * The view as it is now, checked and pictured: no serious or critical axe-core violation, no
 * sideways scroll, and a screenshot at 1280x800 and 390x844, light and dark.
 */
export async function checkView(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  try {
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(viewport);
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        assert.deepEqual(
          await seriousViolations(page),
          [],
          `${name} ${viewport.width} ${colorScheme}`,
        );
        if ((await sidewaysScroll(page)) > 0) {
          assert.fail(
            `${name} scrolls sideways at ${viewport.width} by ${await sidewaysScroll(page)} px: ${await widest(page)}`,
          );
        }
        const file = new URL(
          `${name}-${viewport.width}x${viewport.height}-${colorScheme}.png`,
          SCREENSHOTS,
        );
        await page.screenshot({ path: file.pathname, fullPage: true });
        assert.ok(await notBlank(file), `${file.pathname} is blank`);
      }
    }
  } finally {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize(size);
  }
}

/**
 * Waits until `expression` is true in the page, up to `timeoutMs` (playwright's waitForFunction
 * polls with eval, which the console's CSP refuses; evaluate does not need it).
 */
export async function waitUntil(page: Page, expression: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) assert.fail(`not true within ${timeoutMs} ms: ${expression}`);
    await page.waitForTimeout(100);
  }
}
