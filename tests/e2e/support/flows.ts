import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { expect, expectAccessible, watchErrors } from './browser';
import { tr, type Locale } from './i18n';
import { baseUrl } from './provided';

/** Every demo account's password (db/seed.ts). */
export const DEMO_PASSWORD = 'kollega-demo-2026';

/** A unique suffix for addresses and names made by one test run. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * Waits until React has hydrated the page (it attaches its fiber to <main>),
 * so a click goes through Remix's enhanced forms and the browser-side
 * validation rather than a plain form post made before the scripts ran.
 */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const main = document.getElementById('main');
    return !!main && Object.keys(main).some((key) => key.startsWith('__reactFiber'));
  });
}

/**
 * Opens a path, waits for hydration and checks the page with axe. In a
 * context without JavaScript pass `javaScript: false`: no hydration to wait
 * for, and axe runs on a copy of the page (see expectAccessibleWithoutScripts).
 */
export async function visit(page: Page, path: string, label: string, options: { status?: number; javaScript?: boolean } = {}) {
  const response = await page.goto(path);
  if (options.status !== undefined) expect(response?.status(), `${label}: HTTP status of ${path}`).toBe(options.status);
  if (options.javaScript === false) {
    await expectAccessibleWithoutScripts(page, label);
  } else {
    await waitForHydration(page);
    await expectAccessible(page, label);
  }
  return response;
}

/**
 * expectAccessible for a page in a context with `javaScriptEnabled: false`,
 * where axe-core itself cannot run (its timers never fire, so analyze()
 * hangs): the page's current HTML, without its scripts, is served at the same
 * URL to a scratch page that runs scripts, with the app's real stylesheets,
 * and axe checks that copy.
 */
export async function expectAccessibleWithoutScripts(page: Page, label: string): Promise<void> {
  const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
  const url = page.url();
  const browser = page.context().browser();
  if (!browser) throw new Error('expectAccessibleWithoutScripts needs a page of a launched browser');
  const scratch = await browser.newContext({ baseURL: baseUrl(), locale: 'en-GB', timezoneId: 'Europe/Oslo', bypassCSP: true });
  try {
    const copy = await scratch.newPage();
    await copy.route(
      (candidate) => candidate.href === url,
      (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
    );
    await copy.goto(url);
    await expectAccessible(copy, `${label} (its HTML without JavaScript)`);
  } finally {
    await scratch.close();
  }
}

/** The pathname (and search) the page is at now. */
export function pathOf(page: Page): string {
  const url = new URL(page.url());
  return url.pathname + url.search;
}

/** Waits until the page is at `pathname` (search ignored unless given in a RegExp). */
export async function waitForPath(page: Page, pathname: string | RegExp): Promise<void> {
  await page.waitForURL((url) => (typeof pathname === 'string' ? url.pathname === pathname : pathname.test(url.pathname + url.search)));
}

/** The flash message at the top of <main> (role=status), once it shows `text`. */
export async function expectFlash(page: Page, text: string | RegExp): Promise<void> {
  const flash = page.locator('main > .flash[role="status"]');
  await flash.filter({ hasText: text }).first().waitFor();
}

/**
 * The field shows `message` as its error the way assistive technology gets it:
 * aria-invalid="true" and aria-describedby pointing at a visible element with the text.
 */
export async function expectFieldError(field: Locator, message: string | RegExp): Promise<void> {
  await expect.poll(() => field.getAttribute('aria-invalid'), { timeout: 10_000 }).toBe('true');
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
  expect(ids.length, 'aria-describedby names the error message').toBeGreaterThan(0);
  const described: string[] = [];
  for (const id of ids) {
    const element = field.page().locator(`[id="${id}"]`);
    if ((await element.count()) === 1 && (await element.isVisible())) described.push((await element.innerText()).trim());
  }
  const joined = described.join(' ');
  if (typeof message === 'string') expect(joined).toContain(message);
  else expect(joined).toMatch(message);
}

/** The field is not marked invalid. */
export async function expectFieldValid(field: Locator): Promise<void> {
  expect(await field.getAttribute('aria-invalid')).not.toBe('true');
}

/**
 * Signs in on /login by typing and clicking, as a person does. The sign-in page
 * is in `locale` (an anonymous visitor's language: English for these contexts).
 * Waits until the browser has left /login and the page shows the signed-in
 * header (in the account's language, whatever it is), then checks that page with axe.
 */
export async function signIn(page: Page, email: string, password: string, options: { locale?: Locale; path?: string; label?: string } = {}) {
  const locale = options.locale ?? 'en';
  const label = options.label ?? 'sign-in page';
  await visit(page, options.path ?? '/login', label);
  const form = page.locator('form#login');
  await form.getByLabel(tr(locale, 'auth.fields.email'), { exact: true }).fill(email);
  await form.getByLabel(tr(locale, 'auth.fields.password'), { exact: true }).fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== '/login'),
    form.getByRole('button', { name: tr(locale, 'auth.login.submit'), exact: true }).click(),
  ]);
  // The header's sign-out form appears once the page has rendered for the signed-in account.
  await page.locator('header form[action="/logout"]').waitFor();
  await expectAccessible(page, `${label} → first page after signing in as ${email}`);
}

/** Console errors other than the browser's own "Failed to load resource … 4xx" lines that every error answer (404 page, 400 form reply) causes. */
export function unexpectedConsoleErrors(errors: string[]): string[] {
  return errors.filter((line) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(line));
}

/** A second browser context (another device) with a page set up like the fixture's. Close the context when done. */
export async function openDevice(browser: Browser, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ baseURL: baseUrl(), locale: 'en-GB', timezoneId: 'Europe/Oslo', ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.setDefaultNavigationTimeout(30_000);
  return { context, page, errors: watchErrors(page) };
}
