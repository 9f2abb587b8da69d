import type { Page } from 'playwright-core';
import { describe } from 'vitest';
import { expect, expectAccessible, test } from './support/browser';
import { baseUrl, urlFor } from './support/provided';

const activeElementId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

describe('home page in Chromium', () => {
  test('loads with a heading, a working skip link and no serious accessibility problems', async ({ page }) => {
    const response = await page.goto('/');
    expect(response?.status()).toBe(200);

    const h1 = page.locator('h1');
    expect(await h1.count()).toBe(1);
    expect((await h1.innerText()).trim()).not.toBe('');

    // The skip link is the first thing a keyboard user reaches, and it moves focus into the content.
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return { tag: el?.tagName, href: el?.getAttribute('href'), text: el?.textContent?.trim() };
    });
    expect(focused).toMatchObject({ tag: 'A', href: '#main' });
    expect(focused.text).toBeTruthy();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'main');
    expect(await activeElementId(page)).toBe('main');

    await expectAccessible(page, 'home page');
  });

  test('hydrates under the Content-Security-Policy without console errors', async ({ page, context, consoleErrors }) => {
    await page.goto('/', { waitUntil: 'networkidle' });
    // The inline bootstrap script ran (it carries the nonce) …
    expect(await page.evaluate(() => typeof (window as unknown as { __remixContext?: unknown }).__remixContext)).toBe('object');
    // … and React hydrated and ran its effects: the root remembers the browser's time zone in a cookie.
    await page.waitForFunction(() => document.cookie.includes('kollega_tz='));
    const cookies = await context.cookies(baseUrl());
    expect(decodeURIComponent(cookies.find((c) => c.name === 'kollega_tz')?.value ?? '')).toBe('Europe/Oslo');
    expect(consoleErrors).toEqual([]);
  });

  test('the language switcher changes the page to Norsk bokmål and back', async ({ page, consoleErrors }) => {
    await page.goto('/', { waitUntil: 'networkidle' });
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    const switcher = page.locator('form[action="/set-language"]');
    await switcher.getByLabel('Language', { exact: true }).selectOption({ label: 'Norsk bokmål' });
    await switcher.getByRole('button').click();
    await page.waitForSelector('html[lang="nb"]');
    expect(new URL(page.url()).pathname).toBe('/');

    // The choice is remembered across a full reload.
    await page.reload();
    expect(await page.getAttribute('html', 'lang')).toBe('nb');
    await expectAccessible(page, 'home page in Norsk bokmål');

    // Its label may be translated by now, so find the select by role.
    const select = page.locator('form[action="/set-language"] select');
    expect(await select.evaluate((el) => (el as HTMLSelectElement).labels?.[0]?.textContent?.trim())).toMatch(/^(Language|Språk)$/);
    await select.selectOption('en');
    await page.locator('form[action="/set-language"]').getByRole('button').click();
    await page.waitForSelector('html[lang="en"]');
    await page.reload();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(consoleErrors).toEqual([]);
  });

  test('the language switcher works without JavaScript', async ({ browser }) => {
    const context = await browser.newContext({ baseURL: baseUrl(), locale: 'en-GB', timezoneId: 'Europe/Oslo', javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto('/');
      await page.locator('form[action="/set-language"] select').selectOption('nb');
      await Promise.all([page.waitForURL(urlFor('/')), page.locator('form[action="/set-language"]').getByRole('button').click()]);
      expect(await page.getAttribute('html', 'lang')).toBe('nb');
    } finally {
      await context.close();
    }
  });
});

describe('HTTP basics', () => {
  test('GET /healthz reports the database up', async () => {
    const response = await fetch(urlFor('/healthz'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json()).toEqual({ ok: true, db: 'up' });
  });

  test('a cross-origin form post is refused with 403, a same-origin one is not', async () => {
    const post = (origin: string) =>
      fetch(urlFor('/set-language'), {
        method: 'POST',
        redirect: 'manual',
        headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ locale: 'nb', redirectTo: '/' }),
      });

    const evil = await post('http://evil.example');
    expect(evil.status).toBe(403);
    expect(evil.headers.get('set-cookie')).toBeNull();

    const own = await post(new URL(baseUrl()).origin);
    expect(own.status).toBeGreaterThanOrEqual(300);
    expect(own.status).toBeLessThan(400);
    expect(own.headers.get('location')).toBe('/');
  });

  test('the home page sends a nonce-based CSP and nosniff, and its scripts carry that nonce', async () => {
    const first = await fetch(urlFor('/'));
    expect(first.status).toBe(200);
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');

    const csp = first.headers.get('content-security-policy') ?? '';
    const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src ')) ?? '';
    const nonce = /'nonce-([A-Za-z0-9+/=_-]+)'/.exec(scriptSrc)?.[1];
    expect(nonce, `script-src with a nonce in: ${csp}`).toBeTruthy();
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");

    const html = await first.text();
    const scriptTags = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scriptTags.length).toBeGreaterThan(0);
    for (const tag of scriptTags) expect(tag).toContain(`nonce="${nonce}"`);

    // A nonce is only worth something if it changes with every response.
    const second = await fetch(urlFor('/'));
    await second.body?.cancel();
    expect(second.headers.get('content-security-policy')).not.toBe(csp);
  });
});
