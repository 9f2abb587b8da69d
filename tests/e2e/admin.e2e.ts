import type { Page } from 'playwright-core';
import { afterAll, describe } from 'vitest';
import { textsFor } from '#emails/texts';
import { expect, expectAccessible, test } from './support/browser';
import { DEMO_PASSWORD, expectFlash, signIn, unexpectedConsoleErrors, visit, waitForHydration, waitForPath } from './support/flows';
import { tr } from './support/i18n';
import { closeMailbox, waitForMail } from './support/mailbox';

/**
 * Administration, as the demo admin (Astrid Øvergård, language nb, so the
 * pages are in Norwegian once signed in): roles, the email outbox, and the
 * keyboard route into the content.
 */

const ADMIN = 'admin@kollega.example';
const LUCJA = { email: 'lucja.zolkiewska@szkola.example.pl', name: 'Łucja Żółkiewska' }; // participant: trainer role granted and removed here
const JONAS = 'jonas.berg@skole.example.no'; // nb: asked for a reset mail here (his password is not changed)

const nb = (key: string, params?: Record<string, string | number>) => tr('nb', key, params);
const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);

afterAll(async () => {
  await closeMailbox();
});

const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { tag: el?.tagName ?? '', id: el?.id ?? '', href: el?.getAttribute('href') ?? '', text: el?.textContent?.trim() ?? '' };
  });

describe('users and roles', () => {
  test('the admin finds a participant, grants the trainer role, sees it listed and removes it again', async ({ page, consoleErrors }) => {
    await signIn(page, ADMIN, DEMO_PASSWORD);
    await page.getByRole('navigation', { name: nb('app.mainNavigation') }).getByRole('link', { name: nb('nav.adminUsers') }).click();
    await waitForPath(page, '/admin/users');
    await page.getByRole('heading', { level: 1, name: nb('admin.users.title') }).waitFor();
    await expectAccessible(page, 'users and roles');

    await page.getByRole('search').getByLabel(nb('admin.users.searchLabel')).fill('Żółkiewska');
    await page.getByRole('search').getByRole('button', { name: nb('common.search') }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === 'Żółkiewska');
    await page.getByRole('status').filter({ hasText: nb('common.found', { count: 1 }) }).waitFor();
    await expectAccessible(page, 'users and roles, search results');

    const table = page.getByRole('region', { name: nb('admin.users.title') });
    const row = table.getByRole('row').filter({ hasText: LUCJA.email });
    expect(await row.innerText()).toContain(LUCJA.name);
    expect(await row.getByRole('cell').nth(3).innerText()).toBe(nb('admin.users.roleNames.participant'));

    // Grant the trainer role.
    await row.getByRole('link', { name: nb('admin.users.grantFor', { name: LUCJA.name }) }).click();
    const grant = page.getByRole('region', { name: nb('admin.users.grantFor', { name: LUCJA.name }) });
    await grant.waitFor();
    await expectAccessible(page, 'grant-role form');
    await grant.getByLabel(nb('admin.users.role'), { exact: true }).selectOption({ label: nb('admin.users.roleNames.trainer') });
    await grant.getByRole('button', { name: nb('admin.users.grant'), exact: true }).click();
    const trainer = nb('admin.users.roleNames.trainer');
    await expectFlash(page, nb('admin.users.granted', { name: LUCJA.name, role: trainer }));
    expect(await grant.count()).toBe(0);
    // Back on the same search, with the role listed and a button to remove it.
    expect(new URL(page.url()).searchParams.get('q')).toBe('Żółkiewska');
    const remove = row.getByRole('button', { name: nb('admin.users.removeRole', { role: trainer, name: LUCJA.name }) });
    await remove.waitFor();
    expect(await row.getByRole('cell').nth(3).innerText()).toContain(trainer);
    await expectAccessible(page, 'users and roles after granting');

    // Remove it.
    await remove.click();
    await expectFlash(page, nb('admin.users.removed', { name: LUCJA.name, role: trainer }));
    await expect.poll(() => remove.count()).toBe(0);
    expect(await row.getByRole('cell').nth(3).innerText()).toBe(nb('admin.users.roleNames.participant'));
    await expectAccessible(page, 'users and roles after removing');

    expect(unexpectedConsoleErrors(consoleErrors)).toEqual([]);
  });
});

describe('email delivery', () => {
  test('/admin/emails lists the messages sent', async ({ page, consoleErrors }) => {
    // Something to send: a reset link for Jonas, asked for while signed out.
    await visit(page, '/forgot-password', 'forgot-password page');
    const requestedAt = new Date();
    await page.getByLabel(en('auth.fields.email'), { exact: true }).fill(JONAS);
    await page.getByRole('button', { name: en('auth.forgot.submit') }).click();
    await page.getByRole('status').filter({ hasText: en('auth.forgot.sent') }).waitFor();
    await expectAccessible(page, 'forgot-password page after sending');
    const subject = textsFor('nb').resetPassword.subject;
    await waitForMail(JONAS, { subject, since: requestedAt });

    await signIn(page, ADMIN, DEMO_PASSWORD);
    await page.getByRole('navigation', { name: nb('app.mainNavigation') }).getByRole('link', { name: nb('nav.adminEmails') }).click();
    await waitForPath(page, '/admin/emails');
    await page.getByRole('heading', { level: 1, name: nb('admin.emails.title') }).waitFor();
    await expectAccessible(page, 'email delivery');

    // Only the sent ones (the outbox marks a message sent right after the mailbox got it, so look again if needed).
    const table = page.getByRole('region', { name: nb('admin.emails.title') });
    const row = table.getByRole('row').filter({ hasText: JONAS }).filter({ hasText: subject });
    await page.getByLabel(nb('admin.emails.status'), { exact: true }).selectOption({ label: nb('admin.emails.statuses.sent') });
    await page.getByRole('button', { name: nb('common.applyFilters') }).click();
    await page.waitForURL((url) => url.searchParams.get('status') === 'sent');
    await expect
      .poll(
        async () => {
          if ((await row.count()) > 0) return true;
          await page.reload();
          return (await row.count()) > 0;
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(true);
    await waitForHydration(page);
    const cells = await row.first().getByRole('cell').allInnerTexts();
    expect(cells[1]).toBe(JONAS);
    expect(cells[2]).toBe(subject);
    expect(cells[3]).toContain(nb('admin.emails.statuses.sent'));
    // Every row in the "sent" filter is sent.
    const statuses = await table.getByRole('row').locator('td:nth-child(4)').allInnerTexts();
    expect(statuses.length).toBeGreaterThan(0);
    for (const status of statuses) expect(status.trim()).toBe(nb('admin.emails.statuses.sent'));
    await expectAccessible(page, 'email delivery, sent messages');

    expect(unexpectedConsoleErrors(consoleErrors)).toEqual([]);
  });
});

describe('keyboard', () => {
  test('from the home page, Tab reaches the skip link first, Enter moves focus to the main content, and the header links work by keyboard', async ({ page }) => {
    await signIn(page, ADMIN, DEMO_PASSWORD);
    await visit(page, '/', 'home page (admin)');

    await page.keyboard.press('Tab');
    const first = await focused(page);
    expect(first).toMatchObject({ tag: 'A', href: '#main', text: nb('app.skipToContent') });
    // Visible when focused, with a focus outline.
    const box = await page.locator('.skip-link').boundingBox();
    expect(box && box.x >= 0 && box.y >= 0).toBe(true);
    expect(await page.locator('.skip-link').evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');

    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'main');
    expect((await focused(page)).id).toBe('main');

    // After a fresh load, Tab through the header to "Users and roles" and follow it with Enter.
    await page.reload();
    await waitForHydration(page);
    const target = nb('nav.adminUsers');
    let reached = false;
    for (let i = 0; i < 12 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await focused(page)).text === target;
    }
    expect(reached, `Tab reaches the "${target}" link`).toBe(true);
    await page.keyboard.press('Enter');
    await waitForPath(page, '/admin/users');
    await page.getByRole('heading', { level: 1, name: nb('admin.users.title') }).waitFor();
    await expectAccessible(page, 'users and roles, reached by keyboard');

    // Search by keyboard: Tab to the search field, type, Enter.
    let inSearch = false;
    for (let i = 0; i < 15 && !inSearch; i++) {
      await page.keyboard.press('Tab');
      inSearch = (await focused(page)).id === 'user-search';
    }
    expect(inSearch, 'Tab reaches the search field').toBe(true);
    await page.keyboard.type('Hansen');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('q') === 'Hansen');
    await page.getByRole('row').filter({ hasText: 'Ingrid Hansen' }).waitFor();
    await waitForHydration(page);
    await expectAccessible(page, 'users and roles, searched by keyboard');
  });
});
