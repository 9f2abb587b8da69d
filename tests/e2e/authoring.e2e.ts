import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { describe } from 'vitest';
import { expect, expectAccessible, test } from './support/browser';
import {
  DEMO_PASSWORD,
  expectFieldError,
  expectFlash,
  openDevice,
  signIn,
  unexpectedConsoleErrors,
  visit,
  waitForHydration,
  waitForPath,
} from './support/flows';
import {
  addActivity,
  addSession,
  createOffering as createDraft,
  dateField,
  escapeRegExp,
  fillCommonDetails,
  localInput,
  openMyOfferings,
  openTab,
  publish,
  saveActivity,
  saveDetails,
  titleSuffix,
} from './support/authoring';
import { tr } from './support/i18n';

/**
 * Authoring: trainers build offerings tab by tab (details, sessions,
 * structure, activity editor) and publish them only once the rules of their
 * kind hold; other trainers may look, participants may not; copying makes a
 * new edition. Every offering made here has a unique title; the trainers are
 * the demo ones (English UI, Ingrid Hansen in Europe/Brussels).
 */

const HANSEN = 'trainer.hansen@example.org';
const ZULAWSKI = 'trainer.zulawski@example.org';
const ANNA = 'anna.nilsson@skola.example.se'; // participant, language sv
const ZONE = 'Europe/Brussels';

const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);

/** Today at 00:00 on the organiser's calendar. */
const today = () => DateTime.now().setZone(ZONE).startOf('day');

const createOffering = (page: Page, kind: string, title: string) => createDraft(page, { kind, title, zone: ZONE });

describe('building and publishing offerings', () => {
  test('a trainer builds a webinar series: publishing waits for a required task due between the two webinars', async ({ page, consoleErrors }) => {
    const title = `Peer observation webinars ${titleSuffix()}`;
    const day = today();
    const webinar1 = day.plus({ days: 14 }).set({ hour: 16 });
    const webinar2 = day.plus({ days: 28 }).set({ hour: 16 });

    await openMyOfferings(page, HANSEN);
    await createOffering(page, 'webinar_series', title);

    // Details.
    const details = page.locator('form#offering-details');
    expect(await details.getByLabel(en('authoring.fields.organiserTimeZone'), { exact: true }).inputValue()).toBe(ZONE);
    await fillCommonDetails(details, {
      summary: 'Two webinars on peer observation, with a short observation task in between.',
      description: '## What you do\n\n1. Join **webinar 1**\n2. Observe a colleague\n3. Reflect in **webinar 2**',
      topics: 'peer observation, professional learning',
      opens: day.minus({ days: 1 }).set({ hour: 9 }),
      closes: day.plus({ days: 13 }).set({ hour: 12 }),
      deadline: day.plus({ days: 35 }).set({ hour: 23 }),
    });
    await saveDetails(page, 'webinar series details after saving');
    // The run of a live offering comes from its sessions, which it has none of yet.
    const panel = page.getByRole('region', { name: en('authoring.publishing.heading'), exact: true });
    await panel.getByText(en('offerings.rules.seriesTwoSessions', { count: 0 })).waitFor();
    expect(await details.getByLabel(en('authoring.fields.summary'), { exact: true }).inputValue()).toContain('peer observation');

    // Sessions: two webinars two weeks apart.
    await openTab(page, 'authoring.layout.sessions', /\/sessions$/);
    await page.getByText(en('authoring.sessions.none')).waitFor();
    await expectAccessible(page, 'sessions tab without sessions');
    for (const [name, start] of [
      ['Webinar 1: how to observe', webinar1],
      ['Webinar 2: what we saw', webinar2],
    ] as const) {
      await addSession(page, { title: name, start, joinUrl: 'https://meet.example.org/peer-observation' });
    }
    const rows = page.getByRole('table').locator('tbody tr');
    expect(await rows.count()).toBe(2);
    await expectAccessible(page, 'sessions tab with two webinars');

    // Publishing now fails: no task links the two webinars. The message stands next to the activities, at the top and in the panel.
    await openTab(page, 'authoring.layout.details', /^\/trainer\/offerings\/[0-9a-f-]{36}$/);
    const linking = en('offerings.rules.seriesLinkingActivity');
    await details.getByRole('button', { name: en('authoring.details.saveAndPublish'), exact: true }).click();
    const activitiesError = page.locator('#offering-details-activities-error');
    await activitiesError.waitFor();
    expect(await activitiesError.innerText()).toContain(linking);
    const formAlert = details.getByRole('alert');
    await formAlert.filter({ hasText: en('authoring.errors.savedNotPublished') }).waitFor();
    expect(await formAlert.innerText()).toContain(linking);
    const panelLink = panel.getByRole('link', { name: linking });
    expect(await panelLink.getAttribute('href')).toMatch(/\/structure$/);
    // Still a draft, and nothing else is wrong.
    expect(await panel.locator('.problem-list li').count()).toBe(1);
    expect(await page.getByText(en('authoring.publishing.status.draft')).count()).toBe(1);
    await expectAccessible(page, 'details after a refused publish (webinar series)');

    // Structure: a required assignment due between the webinars, at the offering level.
    await panelLink.click();
    await waitForPath(page, /\/structure$/);
    await waitForHydration(page);
    await expectAccessible(page, 'structure of the webinar series');
    const structure = page.getByRole('region', { name: en('structure.title'), exact: true });
    await addActivity(page, structure, en('structure.activities.addHeading'), 'assignment', 'Observe a colleague');
    await page.getByText(en('structure.editor.atOfferingLevel')).waitFor();
    // New activities start optional: required only once the trainer saves them with real content.
    const requiredBox = page.getByRole('checkbox', { name: en('structure.editor.required'), exact: true });
    expect(await requiredBox.isChecked()).toBe(false);
    await requiredBox.check();
    await page.getByLabel(en('structure.editor.assignment.prompt'), { exact: true }).fill('Observe one lesson of a colleague and note **three** things you saw.');
    await page.getByLabel(en('structure.editor.dueAt', { zone: ZONE }), { exact: true }).fill(localInput(day.plus({ days: 21 }).set({ hour: 23 })));
    await saveActivity(page, 'assignment editor after saving');
    await page.getByRole('link', { name: en('structure.editor.back'), exact: false }).click();
    await waitForPath(page, /\/structure$/);
    const task = page.getByRole('region', { name: en('structure.activities.offeringHeading') }).getByRole('row').filter({ hasText: 'Observe a colleague' });
    await task.waitFor();
    expect(await task.innerText()).toContain(en('structure.activities.required'));

    // Now it publishes.
    await openTab(page, 'authoring.layout.details', /^\/trainer\/offerings\/[0-9a-f-]{36}$/);
    await panel.getByText(en('authoring.publishing.ready')).waitFor();
    await publish(page, 'webinar series after publishing');
    expect(unexpectedConsoleErrors(consoleErrors)).toEqual([]);
  });

  test('a trainer builds a MOOC with weekly modules, a page and a quiz; 30 hours are refused, 15 publish; another trainer only looks, a participant gets 404, and a copy moves by 52 weeks', async ({
    page,
    browser,
    consoleErrors,
  }) => {
    const title = `Assessment for learning MOOC ${titleSuffix()}`;
    const day = today();
    const start = day.plus({ days: 21 }).set({ hour: 9 });
    const end = start.plus({ weeks: 5 });

    await openMyOfferings(page, HANSEN);
    const id = await createOffering(page, 'mooc', title);
    const detailsPath = `/trainer/offerings/${id}`;

    // Details: five weeks, 15 hours.
    const details = page.locator('form#offering-details');
    await fillCommonDetails(details, {
      summary: 'Five weeks of practical formative assessment for primary and lower secondary teachers.',
      description: 'Each week: a short **reading**, a quiz and an idea to try in class.',
      topics: 'assessment, feedback',
      opens: day.minus({ days: 1 }).set({ hour: 9 }),
      closes: start.plus({ days: 7 }),
      deadline: end.plus({ days: 14 }),
    });
    await dateField(details, 'authoring.fields.startsAt').fill(localInput(start));
    await dateField(details, 'authoring.fields.endsAt').fill(localInput(end));
    await details.getByLabel(en('authoring.fields.expectedHours'), { exact: true }).fill('15');
    await saveDetails(page, 'MOOC details after saving');
    expect(await dateField(details, 'authoring.fields.startsAt').inputValue()).toBe(localInput(start));
    const panel = page.getByRole('region', { name: en('authoring.publishing.heading'), exact: true });
    await panel.getByText(en('offerings.rules.courseNeedsContent')).waitFor();

    // Structure: the weekly helper makes five modules.
    await openTab(page, 'authoring.layout.structure', /\/structure$/);
    await page.getByText(en('structure.modules.empty')).waitFor();
    await expectAccessible(page, 'structure of the MOOC without modules');
    const weekly = page.getByRole('region', { name: en('structure.weekly.heading') });
    await weekly.getByLabel(en('structure.weekly.count'), { exact: true }).fill('5');
    await weekly.getByRole('button', { name: en('structure.weekly.submit') }).click();
    await expectFlash(page, en('structure.flash.weeklyCreated', { count: 5 }));
    const moduleList = page.getByRole('list', { name: en('structure.modules.heading') });
    await expect.poll(() => moduleList.locator(':scope > li').count()).toBe(5);
    for (let n = 1; n <= 5; n++) {
      await page.getByRole('heading', { name: en('structure.modules.numbered', { n, title: en('structure.weekly.weekTitle', { n }) }) }).waitFor();
    }
    await waitForHydration(page);
    await expectAccessible(page, 'structure with five weekly modules');

    // Week 1: a page …
    const week1Title = en('structure.weekly.weekTitle', { n: 1 });
    const week1 = () => page.getByRole('region', { name: en('structure.modules.numbered', { n: 1, title: week1Title }) });
    await addActivity(page, week1(), en('structure.activities.addLabel', { title: week1Title }), 'page', 'Why feedback matters');
    await page.getByText(en('structure.editor.inModule', { title: week1Title })).waitFor();
    await page.getByRole('checkbox', { name: en('structure.editor.required'), exact: true }).check();
    await page.getByLabel(en('structure.editor.page.body'), { exact: true }).fill('## Feedback\n\nGood feedback is **specific** and *timely*.');
    await page.locator('.markdown-preview strong').filter({ hasText: 'specific' }).waitFor();
    await saveActivity(page, 'page editor after saving');
    await openTab(page, 'authoring.layout.structure', /\/structure$/);

    // … and a quiz with one question of two choices, the first correct.
    await addActivity(page, week1(), en('structure.activities.addLabel', { title: week1Title }), 'quiz', 'Check your understanding');
    const quizForm = page.locator('form').filter({ has: page.getByRole('group', { name: en('structure.editor.quiz.questions'), exact: true }) });
    // The add and remove buttons change the form in place (conform intents), saving nothing.
    await quizForm.getByRole('button', { name: en('structure.editor.quiz.addChoiceLabel', { n: 1 }) }).click();
    await quizForm.getByLabel(en('structure.editor.quiz.choice', { n: 3 }), { exact: true }).waitFor();
    await quizForm.getByRole('button', { name: en('structure.editor.quiz.removeChoiceLabel', { choice: 3, n: 1 }) }).click();
    await expect.poll(() => quizForm.getByLabel(en('structure.editor.quiz.choice', { n: 3 }), { exact: true }).count()).toBe(0);
    await quizForm.getByRole('button', { name: en('structure.editor.quiz.addQuestion'), exact: true }).click();
    await quizForm.getByRole('group', { name: en('structure.editor.quiz.question', { n: 2 }), exact: true }).waitFor();
    await quizForm.getByRole('button', { name: en('structure.editor.quiz.removeQuestion', { n: 2 }) }).click();
    await expect.poll(() => quizForm.getByRole('group', { name: en('structure.editor.quiz.question', { n: 2 }), exact: true }).count()).toBe(0);
    const question = quizForm.getByRole('group', { name: en('structure.editor.quiz.question', { n: 1 }), exact: true });
    await question.getByLabel(en('structure.editor.quiz.prompt'), { exact: true }).fill('What makes feedback useful?');
    await question.getByLabel(en('structure.editor.quiz.choice', { n: 1 }), { exact: true }).fill('It is specific and timely');
    await question.getByLabel(en('structure.editor.quiz.choice', { n: 2 }), { exact: true }).fill('It is a grade only');
    await question.getByRole('checkbox', { name: en('structure.editor.quiz.correctLabel', { n: 1 }) }).check();
    await page.getByRole('checkbox', { name: en('structure.editor.required'), exact: true }).check();
    await expectAccessible(page, 'quiz editor, filled in');
    await saveActivity(page, 'quiz editor after saving');
    // Stored: the editor shows it again after a reload.
    await page.reload();
    await waitForHydration(page);
    const stored = page.getByRole('group', { name: en('structure.editor.quiz.question', { n: 1 }), exact: true });
    expect(await stored.getByLabel(en('structure.editor.quiz.prompt'), { exact: true }).inputValue()).toBe('What makes feedback useful?');
    expect(await stored.getByLabel(en('structure.editor.quiz.choice', { n: 2 }), { exact: true }).inputValue()).toBe('It is a grade only');
    expect(await stored.getByRole('checkbox', { name: en('structure.editor.quiz.correctLabel', { n: 1 }) }).isChecked()).toBe(true);
    expect(await stored.getByRole('checkbox', { name: en('structure.editor.quiz.correctLabel', { n: 2 }) }).isChecked()).toBe(false);

    await openTab(page, 'authoring.layout.structure', /\/structure$/);
    const week1Activities = week1().getByRole('region', { name: en('structure.activities.list', { title: week1Title }) });
    await expect.poll(() => week1Activities.locator('tbody tr').count()).toBe(2);

    // 30 hours are too many for a MOOC: refused, with the message on the field.
    await openTab(page, 'authoring.layout.details', detailsPath);
    await panel.getByText(en('authoring.publishing.ready')).waitFor();
    const hours = details.getByLabel(en('authoring.fields.expectedHours'), { exact: true });
    await hours.fill('30');
    await details.getByRole('button', { name: en('authoring.details.saveAndPublish'), exact: true }).click();
    await expectFieldError(hours, en('offerings.rules.moocHours', { hours: 30 }));
    await details.getByRole('alert').filter({ hasText: en('authoring.errors.savedNotPublished') }).waitFor();
    expect(await page.getByText(en('authoring.publishing.status.draft')).count()).toBe(1);
    await expectAccessible(page, 'MOOC details after a refused publish (30 hours)');

    // 15 hours publish.
    await hours.fill('15');
    await publish(page, 'MOOC after publishing');

    // Another trainer may look but not change anything.
    const other = await openDevice(browser);
    try {
      await signIn(other.page, ZULAWSKI, DEMO_PASSWORD);
      await visit(other.page, detailsPath, 'the MOOC seen by another trainer');
      await other.page.getByRole('heading', { level: 1, name: title }).waitFor();
      await other.page.getByRole('note').filter({ hasText: en('authoring.layout.readOnly') }).waitFor();
      expect(await other.page.getByRole('button', { name: en('common.save'), exact: true }).count()).toBe(0);
      expect(await other.page.getByRole('button', { name: en('authoring.details.saveAndPublish') }).count()).toBe(0);
      expect(await other.page.getByRole('button', { name: en('authoring.publishing.unpublish') }).count()).toBe(0);
      expect(await other.page.locator('form#offering-details fieldset[disabled]').count()).toBe(1);
      await visit(other.page, `${detailsPath}/structure`, 'the MOOC structure seen by another trainer');
      expect(await other.page.getByRole('button', { name: en('structure.weekly.submit') }).count()).toBe(0);
      expect(await other.page.getByRole('button', { name: en('structure.activities.add') }).count()).toBe(0);
      expect(unexpectedConsoleErrors(other.errors)).toEqual([]);
    } finally {
      await other.context.close();
    }

    // A participant who opens the authoring address gets the not-found page.
    const anna = await openDevice(browser);
    try {
      await signIn(anna.page, ANNA, DEMO_PASSWORD);
      const response = await anna.page.goto(detailsPath);
      expect(response?.status()).toBe(404);
      await waitForHydration(anna.page);
      await anna.page.getByRole('heading', { level: 1, name: tr('sv', 'errors.notFoundTitle') }).waitFor();
      expect(await anna.page.getByText(title).count()).toBe(0);
      await expectAccessible(anna.page, 'authoring page opened by a participant (404)');
    } finally {
      await anna.context.close();
    }

    // Copy as a new edition, 52 weeks later.
    await openTab(page, 'authoring.layout.copy', /\/copy$/);
    await expectAccessible(page, 'copy as new edition');
    const copyForm = page.locator('form#copy-edition');
    await copyForm.getByRole('radio', { name: en('authoring.copy.byGap') }).check();
    await copyForm.getByLabel(en('authoring.copy.gapAmount'), { exact: true }).fill('52');
    await copyForm.getByLabel(en('authoring.copy.gapUnit'), { exact: true }).selectOption('weeks');
    await copyForm.getByRole('button', { name: en('authoring.copy.submit') }).click();
    await page.waitForURL((url) => /^\/trainer\/offerings\/[0-9a-f-]{36}$/.test(url.pathname) && url.pathname !== detailsPath);
    await expectFlash(page, en('authoring.flash.copied', { title }));
    const copyTitle = `${title}${en('authoring.copy.titleSuffix')}`;
    await page.getByRole('heading', { level: 1, name: copyTitle }).waitFor();
    await waitForHydration(page);
    await page.locator('main .badge').filter({ hasText: new RegExp(`^${en('offerings.statuses.draft')}$`) }).first().waitFor();
    await expectAccessible(page, 'details of the copied edition');
    // Every date moved by 52 weeks on the organiser's calendar, same time of day.
    const copied = page.locator('form#offering-details');
    expect(await dateField(copied, 'authoring.fields.startsAt').inputValue()).toBe(localInput(start.plus({ weeks: 52 })));
    expect(await dateField(copied, 'authoring.fields.endsAt').inputValue()).toBe(localInput(end.plus({ weeks: 52 })));
    expect(await dateField(copied, 'authoring.fields.enrolmentOpensAt').inputValue()).toBe(localInput(day.minus({ days: 1 }).set({ hour: 9 }).plus({ weeks: 52 })));
    expect(await dateField(copied, 'authoring.fields.completionDeadline').inputValue()).toBe(localInput(end.plus({ days: 14 }).plus({ weeks: 52 })));
    expect(await copied.getByLabel(en('authoring.fields.expectedHours'), { exact: true }).inputValue()).toBe('15');
    // The same modules, with week 1's page and quiz.
    await openTab(page, 'authoring.layout.structure', /\/structure$/);
    const copiedModules = page.getByRole('list', { name: en('structure.modules.heading') });
    await expect.poll(() => copiedModules.locator(':scope > li').count()).toBe(5);
    for (let n = 1; n <= 5; n++) {
      await page.getByRole('heading', { name: en('structure.modules.numbered', { n, title: en('structure.weekly.weekTitle', { n }) }) }).waitFor();
    }
    const copiedWeek1 = week1().getByRole('region', { name: en('structure.activities.list', { title: week1Title }) });
    await expect.poll(() => copiedWeek1.locator('tbody tr').allInnerTexts()).toEqual([expect.stringContaining('Why feedback matters'), expect.stringContaining('Check your understanding')]);
    await expectAccessible(page, 'structure of the copied edition');
    expect(unexpectedConsoleErrors(consoleErrors)).toEqual([]);
    // The longest walk here (about 20–30 s): more room than the usual 60 s when the machine is busy.
  }, 90_000);
});

describe('dates in the organiser’s zone', () => {
  test('a session at a time the clocks skip (last Sunday of March, 02:30 in Brussels) is refused with a clear message', async ({ page, consoleErrors }) => {
    // The next spring-forward day after today: the last Sunday of March.
    const now = DateTime.now().setZone(ZONE);
    let year = now.year;
    const lastSunday = (y: number) => {
      const end = DateTime.fromObject({ year: y, month: 3, day: 31 }, { zone: ZONE });
      return end.minus({ days: end.weekday % 7 });
    };
    if (lastSunday(year) <= now) year += 1;
    const springForward = lastSunday(year);
    const skipped = `${springForward.toISODate()}T02:30`;
    // Sanity check of the premise: that wall time does not exist in Brussels.
    expect(DateTime.fromISO(skipped, { zone: ZONE }).toFormat("yyyy-MM-dd'T'HH:mm")).not.toBe(skipped);

    await openMyOfferings(page, ZULAWSKI);
    await createOffering(page, 'webinar', `Spring clocks webinar ${titleSuffix()}`);
    await openTab(page, 'authoring.layout.sessions', /\/sessions$/);
    const form = page.locator('form#session-new');
    const startsAt = form.getByLabel(new RegExp(`^${escapeRegExp(en('authoring.sessions.startsAt'))} \\(`));
    // The hint warns before anyone types.
    expect(await form.getByText(en('authoring.sessions.startsAtHint')).count()).toBe(1);
    await form.getByLabel(en('authoring.sessions.title'), { exact: true }).fill('Early bird session');
    await startsAt.fill(skipped);
    await form.getByRole('button', { name: en('authoring.sessions.add'), exact: true }).click();
    await expectFieldError(startsAt, en('authoring.errors.nonexistentTime'));
    await expectAccessible(page, 'session form refusing a skipped time');
    expect(await page.getByText(en('authoring.sessions.none')).count()).toBe(1);

    // An hour later exists, and is taken.
    await startsAt.fill(`${springForward.toISODate()}T03:30`);
    await form.getByRole('button', { name: en('authoring.sessions.add'), exact: true }).click();
    await expectFlash(page, en('authoring.flash.sessionAdded'));
    await page.getByRole('table').getByRole('row').filter({ hasText: 'Early bird session' }).waitFor();
    await waitForHydration(page);
    await expectAccessible(page, 'sessions tab after adding the session at 03:30');
    expect(unexpectedConsoleErrors(consoleErrors)).toEqual([]);
  });
});
