import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';
import { fill, textsFor } from '#emails/texts';
import { expect, expectAccessible, test } from './support/browser';
import { closeDb, insertTestOffering, staffStatusOf } from './support/db';
import { DEMO_PASSWORD, expectFlash, openDevice, signIn, uniqueSuffix, unexpectedConsoleErrors, visit, waitForHydration } from './support/flows';
import { tr, type Locale } from './support/i18n';
import { closeMailbox, waitForMail } from './support/mailbox';
import { baseUrl } from './support/provided';

/**
 * Enrolment on the offering page: a full short course with a waitlist (one
 * place), where leaving hands the place to the first in line at once; the
 * refusals a person reads before clicking (not validated school staff,
 * enrolment not open yet), which the server repeats if they post anyway;
 * and the trainer's participant list with its CSV. The offerings are made
 * for this file (support/db.ts).
 */

const A = { email: 'jonas.berg@skole.example.no', name: 'Jonas Berg', locale: 'nb' as const }; // validated, language nb
const B = { email: 'sean.obrien@scoil.example.ie', name: 'Seán O’Brien', locale: 'en' as const }; // validated, language en
const UNVALIDATED = { email: 'ayse.yilmaz@okul.example.tr', zone: 'Europe/Istanbul' }; // language en; not validated (validation.e2e.ts may make her request pending)
const TRAINER = 'trainer.hansen@example.org'; // language en
const ZONE = 'Europe/Oslo';

const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);
const nb = (key: string, params?: Record<string, string | number>) => tr('nb', key, params);

const suffix = uniqueSuffix();
const FULL = { slug: `one-seat-short-course-${suffix}`, title: `Classroom talk: one seat ${suffix}` };
const STAFF_ONLY = { slug: `staff-only-short-course-${suffix}`, title: `School staff only: mentoring new teachers ${suffix}` };
const NOT_YET = { slug: `not-yet-open-short-course-${suffix}`, title: `Opens later: outdoor learning ${suffix}` };

const today = DateTime.now().setZone(ZONE).startOf('day');
/** When the not-yet-open offering's enrolment opens. */
const notYetOpens = today.plus({ days: 10 }).set({ hour: 9 });

let fullId = '';

beforeAll(async () => {
  const common = {
    kind: 'short_course' as const,
    organiserTimeZone: ZONE,
    trainer: TRAINER,
    enrolmentOpensAt: today.minus({ days: 7 }).toJSDate(),
    enrolmentClosesAt: today.plus({ days: 7 }).toJSDate(),
    startsAt: today.plus({ days: 14 }).set({ hour: 9 }).toJSDate(),
    endsAt: today.plus({ days: 42 }).set({ hour: 17 }).toJSDate(),
  };
  const module = (release: Date) => [
    {
      title: 'Week 1',
      releaseAt: release,
      activities: [{ kind: 'page' as const, title: 'Welcome', content: { kind: 'page' as const, body: 'Welcome.', videoUrl: '' } }],
    },
  ];
  const full = await insertTestOffering({ ...common, ...FULL, capacity: 1, waitlistEnabled: true, modules: module(common.startsAt) });
  fullId = full.id;
  await insertTestOffering({ ...common, ...STAFF_ONLY, eligibility: 'validated', modules: module(common.startsAt) });
  const later = today.plus({ days: 40 }).set({ hour: 9 });
  await insertTestOffering({
    ...common,
    ...NOT_YET,
    enrolmentOpensAt: notYetOpens.toJSDate(),
    enrolmentClosesAt: later.toJSDate(),
    startsAt: later.toJSDate(),
    endsAt: later.plus({ days: 28 }).toJSDate(),
    modules: module(later.toJSDate()),
  });
});

afterAll(async () => {
  await closeDb();
  await closeMailbox();
});

/** The offering page's enrolment section and, in it, the viewer's standing. */
function enrolmentPanel(page: Page, locale: Locale) {
  const region = page.getByRole('region', { name: tr(locale, 'offeringPage.enrolment') });
  return { region, standing: region.getByRole('status'), refusal: region.getByRole('note') };
}

async function openOffering(page: Page, offering: { slug: string; title: string }, label: string) {
  await visit(page, `/offerings/${offering.slug}`, label);
  await page.getByRole('heading', { level: 1, name: offering.title }).waitFor();
}

/** The trainer's participant list of the full offering: the table's row for an address. */
async function openParticipants(page: Page, label: string) {
  await visit(page, `/trainer/offerings/${fullId}/participants`, label);
  await page.getByRole('heading', { level: 2, name: en('enrolment.participants.title') }).waitFor();
  const table = page.getByRole('region', { name: en('enrolment.participants.title') }).getByRole('table');
  return (email: string) => table.getByRole('row').filter({ hasText: email });
}

describe('enrolment', () => {
  test('a full course: the second person joins the waitlist and gets the place, with an email, once the first unenrols; the trainer sees it all and downloads the list', async ({
    page,
    browser,
    consoleErrors,
  }) => {
    // --- A takes the only place.
    await signIn(page, A.email, DEMO_PASSWORD);
    await openOffering(page, FULL, 'full offering page before enrolling (A)');
    const a = enrolmentPanel(page, A.locale);
    expect(await a.region.innerText()).toContain(nb('offeringPage.placesLeft_one', { count: 1, capacity: 1 }));
    const aEnrolled = new Date();
    await a.region.getByRole('button', { name: nb('enrolment.panel.enrol'), exact: true }).click();
    await expectFlash(page, nb('enrolment.flash.enrolled', { title: FULL.title }));
    await waitForHydration(page);
    expect(await a.standing.innerText()).toBe(nb('enrolment.panel.enrolled'));
    await expectAccessible(page, 'offering page after enrolling (A)');
    await waitForMail(A.email, { subject: fill(textsFor('nb').enrolmentConfirmed.subject, { title: FULL.title }), since: aEnrolled });

    const second = await openDevice(browser);
    const trainer = await openDevice(browser);
    try {
      // --- B finds it full and joins the waitlist: number 1 in line.
      const bp = second.page;
      await signIn(bp, B.email, DEMO_PASSWORD);
      await openOffering(bp, FULL, 'full offering page (B)');
      const b = enrolmentPanel(bp, B.locale);
      expect(await b.region.innerText()).toContain(en('offeringPage.placesWaitlist', { capacity: 1 }));
      expect(await b.region.innerText()).toContain(en('enrolment.panel.waitlistExplain'));
      expect(await b.region.getByRole('button', { name: en('enrolment.panel.enrol'), exact: true }).count()).toBe(0);
      await b.region.getByRole('button', { name: en('enrolment.panel.joinWaitlist'), exact: true }).click();
      await expectFlash(bp, en('enrolment.flash.waitlisted', { title: FULL.title, position: 1 }));
      await waitForHydration(bp);
      expect(await b.standing.innerText()).toBe(en('enrolment.panel.waitlisted', { position: 1 }));
      // No course to go to yet, and a way out.
      expect(await b.region.getByRole('link', { name: en('enrolment.panel.goToCourse') }).count()).toBe(0);
      await b.region.getByRole('link', { name: en('enrolment.panel.leaveWaitlist') }).waitFor();
      await expectAccessible(bp, 'offering page on the waitlist (B)');

      // --- The trainer's list: A enrolled, B waiting first in line.
      const tp = trainer.page;
      await signIn(tp, TRAINER, DEMO_PASSWORD);
      let rowOf = await openParticipants(tp, 'participant list with one enrolled and one waiting');
      expect(await tp.getByRole('main').innerText()).toContain(en('enrolment.participants.places', { taken: 1, capacity: 1 }));
      expect(await rowOf(A.email).innerText()).toContain(en('enrolment.participants.statuses.enrolled'));
      const waitingRow = await rowOf(B.email).innerText();
      expect(waitingRow).toContain(en('enrolment.participants.statuses.waitlisted'));
      expect(waitingRow).toContain(en('enrolment.participants.position', { position: 1 }));

      // --- A unenrols, after a confirmation step.
      await a.region.getByRole('link', { name: nb('enrolment.panel.unenrol') }).click();
      await page.waitForURL((url) => url.searchParams.get('confirm') === 'leave');
      const confirm = a.region.getByRole('form', { name: nb('enrolment.panel.confirmUnenrolQuestion') });
      await confirm.waitFor();
      await waitForHydration(page);
      await expectAccessible(page, 'unenrol confirmation (A)');
      const leftAt = new Date();
      await confirm.getByRole('button', { name: nb('enrolment.panel.confirmUnenrol'), exact: true }).click();
      await expectFlash(page, nb('enrolment.flash.unenrolled', { title: FULL.title }));
      await waitForHydration(page);
      expect(await a.standing.innerText()).toBe(nb('enrolment.panel.withdrawn'));
      // The place went to B at once: the course is full again, so A could only join the waitlist.
      await a.region.getByRole('button', { name: nb('enrolment.panel.joinWaitlist'), exact: true }).waitFor();
      await expectAccessible(page, 'offering page after unenrolling (A)');

      // --- B is enrolled, and told so by email.
      await openOffering(bp, FULL, 'offering page after the promotion (B)');
      expect(await b.standing.innerText()).toBe(en('enrolment.panel.enrolled'));
      await b.region.getByRole('link', { name: en('enrolment.panel.goToCourse') }).waitFor();
      const promoted = await waitForMail(B.email, { subject: fill(textsFor('en').waitlistPromoted.subject, { title: FULL.title }), since: leftAt });
      expect(promoted.text).toContain(fill(textsFor('en').waitlistPromoted.intro, { title: FULL.title }));
      expect(unexpectedConsoleErrors(second.errors)).toEqual([]);

      // --- The trainer's list now: A withdrawn, B enrolled; the CSV says the same, for spreadsheets.
      rowOf = await openParticipants(tp, 'participant list after the promotion');
      expect(await rowOf(A.email).innerText()).toContain(en('enrolment.participants.statuses.withdrawn'));
      const promotedRow = await rowOf(B.email).innerText();
      expect(promotedRow).toContain(en('enrolment.participants.statuses.enrolled'));
      expect(promotedRow).not.toContain(en('enrolment.participants.statuses.waitlisted'));
      const href = await tp.getByRole('link', { name: en('enrolment.participants.exportCsv') }).getAttribute('href');
      expect(href).toBe(`/trainer/offerings/${fullId}/participants.csv`);
      // Fetched with the trainer's cookies (the browser context's request client shares them).
      const response = await trainer.context.request.get(href!);
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toMatch(/^text\/csv; charset=utf-8/i);
      expect(response.headers()['content-disposition']).toMatch(/^attachment; filename="participants-.+\.csv"$/);
      const bytes = await response.body();
      expect([...bytes.subarray(0, 3)], 'the CSV starts with a UTF-8 byte order mark').toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
      expect(lines[0]).toBe(
        ['name', 'email', 'country', 'school', 'status', 'enrolledAt', 'waitlistPosition', 'completedAt'].map((key) => en(`enrolment.csv.${key}`)).join(','),
      );
      expect(lines).toHaveLength(3);
      expect(lines.find((line) => line.includes(A.email))).toContain(`,${en('enrolment.participants.statuses.withdrawn')},`);
      // "Seán O’Brien" survives as UTF-8.
      expect(lines.find((line) => line.includes(B.email))).toMatch(new RegExp(`^${B.name},.*,${en('enrolment.participants.statuses.enrolled')},`));
      // Someone else's cookies get nothing.
      const stranger = await bp.context().request.get(href!, { maxRedirects: 0 });
      expect(stranger.status()).toBe(404);
      expect(unexpectedConsoleErrors(trainer.errors)).toEqual([]);
    } finally {
      await second.context.close();
      await trainer.context.close();
    }
    expect(unexpectedConsoleErrors(consoleErrors)).toEqual([]);
  });

  test('refusals in plain words: school staff only for someone not validated, and enrolment that has not opened yet; posting anyway changes nothing', async ({
    page,
    consoleErrors,
  }) => {
    const status = await staffStatusOf(UNVALIDATED.email);
    expect(['none', 'pending']).toContain(status);
    await signIn(page, UNVALIDATED.email, DEMO_PASSWORD);

    // --- School staff only.
    await openOffering(page, STAFF_ONLY, 'staff-only offering page for someone not validated');
    const panel = enrolmentPanel(page, 'en');
    expect(await panel.standing.innerText()).toBe(en('enrolment.panel.notEnrolled'));
    const refusal = en(status === 'pending' ? 'enrolment.refusal.validationPending' : 'enrolment.refusal.notValidated');
    expect(await panel.refusal.innerText()).toContain(refusal);
    expect(await panel.region.getByRole('button').count()).toBe(0);
    // The way out: ask to be validated.
    await panel.refusal.getByRole('link', { name: en('enrolment.panel.askValidation') }).waitFor();

    // Posting the enrolment form anyway (an old tab, say) is refused with the same words, and enrols nobody.
    const posted = await page.context().request.post(`/offerings/${STAFF_ONLY.slug}/enrolment`, {
      form: { intent: 'enrol' },
      headers: { Origin: baseUrl() },
      maxRedirects: 0,
    });
    expect(posted.status()).toBe(302);
    expect(posted.headers().location).toBe(`/offerings/${STAFF_ONLY.slug}#enrolment`);
    await openOffering(page, STAFF_ONLY, 'staff-only offering page after a refused post');
    await expectFlash(page, refusal);
    expect(await page.locator('main > .flash').getAttribute('class')).toContain('flash--error');
    expect(await panel.standing.innerText()).toBe(en('enrolment.panel.notEnrolled'));
    await expectAccessible(page, 'staff-only offering page with the refusal as a message');

    // --- Enrolment not open yet: the date, in the viewer's zone (Istanbul), and no button.
    await openOffering(page, NOT_YET, 'offering page before enrolment opens');
    const later = enrolmentPanel(page, 'en');
    const opens = new Intl.DateTimeFormat('en-GB', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
      timeZone: UNVALIDATED.zone,
    }).format(notYetOpens.toJSDate());
    expect(opens).toContain(notYetOpens.setZone(UNVALIDATED.zone).toFormat('HH:mm'));
    expect(await later.refusal.innerText()).toBe(en('enrolment.refusal.notOpenYet', { date: opens }));
    expect(await later.region.getByRole('button').count()).toBe(0);
    expect(await later.region.innerText()).toContain(en('offeringPage.enrolmentNotYet'));
    expect(unexpectedConsoleErrors(consoleErrors)).toEqual([]);
  });
});
