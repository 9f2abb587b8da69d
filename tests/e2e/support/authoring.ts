import type { DateTime } from 'luxon';
import type { Locator, Page } from 'playwright-core';
import { expect, expectAccessible } from './browser';
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

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What a datetime-local field holds. */
export const localInput = (at: DateTime) => at.toFormat("yyyy-MM-dd'T'HH:mm");

/** The datetime-local field of a form whose label starts with this text (the label ends with the organiser's zone in brackets). */
export const dateField = (form: Locator, labelKey: string) => form.getByLabel(new RegExp(`^${escapeRegExp(en(labelKey))} \\(`));

/** A tab of the offering's authoring pages (e.g. 'authoring.layout.sessions'), once the page there has hydrated. */
export async function openTab(page: Page, tabKey: string, path: RegExp | string): Promise<void> {
  await page.getByRole('navigation', { name: en('authoring.layout.tabs') }).getByRole('link', { name: en(tabKey), exact: true }).click();
  await waitForPath(page, path);
  await waitForHydration(page);
}

/** The details every offering needs before it may be published (the run of a course is set apart, a live offering's comes from its sessions). */
export async function fillCommonDetails(
  form: Locator,
  values: { summary: string; description: string; topics: string; opens: DateTime; closes: DateTime; deadline: DateTime },
): Promise<void> {
  await form.getByLabel(en('authoring.fields.summary'), { exact: true }).fill(values.summary);
  await form.getByLabel(en('authoring.fields.description'), { exact: true }).fill(values.description);
  await form.getByLabel(en('authoring.fields.topics'), { exact: true }).fill(values.topics);
  await form.getByRole('checkbox', { name: en('offerings.audiences.primary'), exact: true }).check();
  await form.getByRole('checkbox', { name: en('offerings.audiences.lower_secondary'), exact: true }).check();
  await dateField(form, 'authoring.fields.enrolmentOpensAt').fill(localInput(values.opens));
  await dateField(form, 'authoring.fields.enrolmentClosesAt').fill(localInput(values.closes));
  await dateField(form, 'authoring.fields.completionDeadline').fill(localInput(values.deadline));
}

/** "Save" on the details tab. */
export async function saveDetails(page: Page, label: string): Promise<void> {
  await page.locator('form#offering-details').getByRole('button', { name: en('common.save'), exact: true }).click();
  await expectFlash(page, en('authoring.flash.saved'));
  await waitForHydration(page);
  await expectAccessible(page, label);
}

/** "Save and publish" on the details tab, once every rule holds. */
export async function publish(page: Page, label: string): Promise<void> {
  await page.locator('form#offering-details').getByRole('button', { name: en('authoring.details.saveAndPublish'), exact: true }).click();
  await expectFlash(page, en('authoring.flash.published'));
  await page.getByText(en('authoring.publishing.status.published')).waitFor();
  // The header's status badge says so too, and "Save and publish" is gone.
  await page.locator('main .badge').filter({ hasText: new RegExp(`^${en('offerings.statuses.published')}$`) }).first().waitFor();
  expect(await page.getByRole('button', { name: en('authoring.details.saveAndPublish') }).count()).toBe(0);
  await expectAccessible(page, label);
}

/** On the Sessions tab: adds a session whose start is typed in the organiser's zone (`start` must be in that zone). */
export async function addSession(page: Page, session: { title: string; start: DateTime; durationMinutes?: number; joinUrl: string }): Promise<void> {
  const form = page.locator('form#session-new');
  await form.getByLabel(en('authoring.sessions.title'), { exact: true }).fill(session.title);
  await form.getByLabel(new RegExp(`^${escapeRegExp(en('authoring.sessions.startsAt'))} \\(`)).fill(localInput(session.start));
  const duration = form.getByLabel(en('authoring.sessions.duration'), { exact: true });
  if (session.durationMinutes === undefined) expect(await duration.inputValue()).toBe('60');
  else await duration.fill(String(session.durationMinutes));
  await form.getByLabel(en('authoring.sessions.joinUrl'), { exact: true }).fill(session.joinUrl);
  await form.getByRole('button', { name: en('authoring.sessions.add'), exact: true }).click();
  await expectFlash(page, en('authoring.flash.sessionAdded'));
  await page.getByRole('table').getByRole('row').filter({ hasText: session.title }).waitFor();
  await waitForHydration(page);
}

/** On the structure tab: opens an "add activity" disclosure, picks the kind, names it and lands in its editor. */
export async function addActivity(page: Page, scope: Locator, summary: string, kind: string, title: string): Promise<void> {
  await scope.locator('summary').filter({ hasText: summary }).click();
  const form = scope.locator('form').filter({ has: page.locator('input[name="intent"][value="addActivity"]') });
  await form.getByLabel(en('structure.activities.kind'), { exact: true }).selectOption({ label: en(`offerings.activityKinds.${kind}`) });
  await form.getByLabel(en('structure.activities.title'), { exact: true }).fill(title);
  await expectAccessible(page, `structure with the add-${kind} form open`);
  await form.getByRole('button', { name: en('structure.activities.add'), exact: true }).click();
  await page.waitForURL((url) => /\/activities\/[0-9a-f-]{36}$/.test(url.pathname));
  await expectFlash(page, en('structure.flash.activityAdded'));
  await page.getByRole('heading', { name: `${en(`offerings.activityKinds.${kind}`)}: ${title}` }).waitFor();
  await waitForHydration(page);
  await expectAccessible(page, `editor of the new ${kind}`);
}

/** "Save activity" in the activity editor. */
export async function saveActivity(page: Page, label: string): Promise<void> {
  await page.getByRole('button', { name: en('structure.editor.save'), exact: true }).click();
  await expectFlash(page, en('structure.flash.activitySaved'));
  await waitForHydration(page);
  await expectAccessible(page, label);
}
