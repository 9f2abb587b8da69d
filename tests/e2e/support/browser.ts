import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect, test as base } from 'vitest';
import { baseUrl } from './provided';

/**
 * Debian's Chromium driven by playwright-core: one browser per test file, a
 * fresh context (cookies, storage) per test. Nothing here ever downloads a
 * browser; CHROMIUM_PATH overrides where it is.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const artifactsDir = fileURLToPath(new URL('../artifacts', import.meta.url));

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/** A context like a visitor from Norway with an English (UK) browser. */
export function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ baseURL: baseUrl(), locale: 'en-GB', timezoneId: 'Europe/Oslo' });
}

/** Console errors and uncaught exceptions of every page opened in a test (CSP violations show up here too). */
const pageErrors = new WeakMap<Page, string[]>();

export function watchErrors(page: Page): string[] {
  let errors = pageErrors.get(page);
  if (!errors) {
    const list: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') list.push(`console.error: ${message.text()}`);
    });
    page.on('pageerror', (error) => list.push(`uncaught: ${error.message}`));
    pageErrors.set(page, list);
    errors = list;
  }
  return errors;
}

function safeName(text: string): string {
  return text.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 100) || 'test';
}

async function saveFailureScreenshot(page: Page, fileName: string, testName: string) {
  if (page.isClosed()) return;
  try {
    mkdirSync(artifactsDir, { recursive: true });
    const file = path.join(artifactsDir, `${safeName(path.basename(fileName, '.ts'))}--${safeName(testName)}.png`);
    await page.screenshot({ path: file, fullPage: true, timeout: 10_000 });
    console.error(`[e2e] failed at ${page.url()}; screenshot: ${path.relative(process.cwd(), file)}`);
  } catch (error) {
    console.error(`[e2e] could not save a screenshot: ${String(error)}`);
  }
}

/**
 * `test` with browser fixtures:
 * - `browser`: Chromium, launched once per file (only if a test uses it);
 * - `context`: a fresh context per test (en-GB, Europe/Oslo, baseURL set);
 * - `page`: a page in it; a screenshot goes to tests/e2e/artifacts/ when the test fails;
 * - `consoleErrors`: the page's console errors and uncaught exceptions so far.
 */
export const test = base.extend<{
  $file: { browser: Browser };
  $test: { context: BrowserContext; page: Page; consoleErrors: string[] };
}>({
  browser: [
    // eslint-disable-next-line no-empty-pattern -- vitest reads fixture dependencies from this pattern
    async ({}, expose) => {
      const browser = await launchChromium();
      try {
        await expose(browser);
      } finally {
        await browser.close();
      }
    },
    { scope: 'file' },
  ],
  context: async ({ browser }, expose) => {
    const context = await newContext(browser);
    try {
      await expose(context);
    } finally {
      await context.close();
    }
  },
  page: async ({ context, task }, expose) => {
    const page = await context.newPage();
    // Fail fast and clearly instead of running into the 60 s test timeout.
    page.setDefaultTimeout(15_000);
    page.setDefaultNavigationTimeout(30_000);
    watchErrors(page);
    await expose(page);
    if (task.result?.state === 'fail') await saveFailureScreenshot(page, task.file.name, task.name);
  },
  consoleErrors: async ({ page }, expose) => {
    await expose(watchErrors(page));
  },
});

export { expect };

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Frames axe-core cannot run in: a sandbox without allow-scripts (e.g. the
 * mailbox's HTML part) never finishes axe's run, so analyze() would hang until
 * the test times out. They hold foreign content (an email), not the app's page.
 */
const SCRIPTLESS_FRAMES = 'iframe[sandbox]:not([sandbox~="allow-scripts"])';
const AXE_TIMEOUT_MS = 30_000;

/** Fails, listing every serious or critical axe-core violation on the page as it is now. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const builder = new AxeBuilder({ page }).withTags(AXE_TAGS);
  if ((await page.locator(SCRIPTLESS_FRAMES).count()) > 0) builder.exclude(SCRIPTLESS_FRAMES);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: axe-core did not finish within ${AXE_TIMEOUT_MS / 1000} s at ${page.url()}`)), AXE_TIMEOUT_MS);
  });
  const results = await Promise.race([builder.analyze(), timeout]).finally(() => clearTimeout(timer));
  const blocking = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => {
      const target = violation.nodes[0]?.target.join(' ') ?? '(no node)';
      const more = violation.nodes.length > 1 ? ` (+${violation.nodes.length - 1} more)` : '';
      return `${violation.impact} ${violation.id}: ${violation.help} — ${target}${more}`;
    });
  expect(blocking, `${label}: serious or critical accessibility violations at ${page.url()}`).toEqual([]);
}
