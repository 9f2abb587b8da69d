import type { Page } from 'playwright-core';
import { expectAccessible } from './browser';
import { DEMO_PASSWORD, expectFlash, signIn, waitForHydration, waitForPath } from './flows';
import { tr } from './i18n';

/**
 * Steps of the trainers' authoring pages shared by test files, in English
 * (the demo trainers' language).
 */

const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);

/** Letters only: a title with digits could look like a year to "copy as new edition". */
export function titleSuffix(): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let out = '';
  for (let i = 0; i < 8; i++) out += letters[Math.floor(Math.random() * letters.length)];
  return out;
}

/** Signs in and opens "My offerings" through the header. */
export async function openMyOfferings(page: Page, email: string): Promise<void> {
  await signIn(page, email, DEMO_PASSWORD);
  await page.getByRole('navigation', { name: en('app.mainNavigation') }).getByRole('link', { name: en('authoring.navTrainer') }).click();
  await waitForPath(page, '/trainer');
  await page.getByRole('heading', { level: 1, name: en('authoring.list.heading') }).waitFor();
  await waitForHydration(page);
  await expectAccessible(page, 'my offerings');
}

/**
 * From /trainer: "New offering", then kind, title, English and the organiser's
 * zone → the new draft's details page. Returns the offering's id.
 */
export async function createOffering(page: Page, options: { kind: string; title: string; zone: string }): Promise<string> {
  const { kind, title, zone } = options;
  await page.getByRole('link', { name: en('authoring.list.new') }).click();
  await waitForPath(page, '/trainer/offerings/new');
  await page.getByRole('heading', { level: 1, name: en('authoring.new.heading') }).waitFor();
  await waitForHydration(page);
  await expectAccessible(page, 'new offering form');

  const form = page.locator('form#new-offering');
  // The radio's name is the kind and its explanation, both inside the label.
  await form.getByRole('radio', { name: `${en(`offerings.kinds.${kind}`)} ${en(`authoring.kindHelp.${kind}`)}`, exact: true }).check();
  await form.getByLabel(en('authoring.fields.title'), { exact: true }).fill(title);
  await form.getByLabel(en('authoring.fields.language'), { exact: true }).selectOption('en');
  await form.getByLabel(en('authoring.fields.organiserTimeZone'), { exact: true }).selectOption(zone);
  await form.getByRole('button', { name: en('authoring.new.submit') }).click();
  await page.waitForURL((url) => /^\/trainer\/offerings\/[0-9a-f-]{36}$/.test(url.pathname));
  await expectFlash(page, en('authoring.flash.created', { title }));
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await waitForHydration(page);
  await expectAccessible(page, `details of the new ${kind} draft`);
  return new URL(page.url()).pathname.split('/').pop()!;
}
