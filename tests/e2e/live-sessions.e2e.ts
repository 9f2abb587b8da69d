import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import type { Locator, Page } from 'playwright-core';
import { afterAll, describe } from 'vitest';
import { fill, textsFor } from '#emails/texts';
import { formatInstant } from '~/modules/catalogue/datetime';
import { describeSessionTime } from '~/modules/time/session-time';
import { parseCalendar } from '../support/calendar';
import {
  addActivity,
  addSession,
  createOffering,
  fillCommonDetails,
  localInput,
  openMyOfferings,
  openTab,
  publish,
  saveActivity,
  saveDetails,
  titleSuffix,
} from './support/authoring';
import { expect, expectAccessible, test } from './support/browser';
import { closeDb, liveSessionsOf, type StoredSession } from './support/db';
import { DEMO_PASSWORD, expectFlash, openDevice, signIn, unexpectedConsoleErrors, visit, waitForHydration, waitForPath } from './support/flows';
import { tr, trPattern } from './support/i18n';
import { closeMailbox, mimeParts, waitForMail } from './support/mailbox';
import { baseUrl } from './support/provided';

/**
 * Issue 5's end-to-end scenario, on real clocks: a trainer schedules a
 * webinar series in Lisbon time whose first webinar has just ended and whose
 * second opens for joining now, with the linking discussion due between
 * them; a Swedish teacher (Stockholm, an hour ahead of Lisbon in winter and
 * in summer) enrols, reads both times, downloads the series' .ics, gets the
 * invitation by email and joins the second webinar through the tracked
 * link; the trainer imports the Teams report of the first webinar; the
 * teacher posts in the discussion and has completed the series.
 */

const TRAINER = 'trainer.hansen@example.org'; // language en, zone Europe/Brussels
const ANNA = { email: 'anna.nilsson@skola.example.se', name: 'Anna Nilsson', zone: 'Europe/Stockholm' }; // validated, language sv
const MIKKO = { email: 'mikko.virtanen@koulu.example.fi', name: 'Mikko Virtanen' }; // validated, language fi; 20 minutes in the Teams report
const LUCJA = { email: 'lucja.zolkiewska@szkola.example.pl', name: 'Łucja Żółkiewska' }; // in the Teams report, never enrolled here
const ORGANISER_ZONE = 'Europe/Lisbon';
/** The zone the Teams report's times are written in (the account that downloaded it). */
const REPORT_ZONE = 'Europe/Brussels';

const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);
const sv = (key: string, params?: Record<string, string | number>) => tr('sv', key, params);
const fi = (key: string, params?: Record<string, string | number>) => tr('fi', key, params);

const TEAMS_FIXTURE = fileURLToPath(new URL('../fixtures/attendance/teams-attendance.csv', import.meta.url));
/** When the fixture's meeting starts: 1 Dec 2026, 17:00 in Brussels. */
const FIXTURE_SESSION_START = DateTime.fromISO('2026-12-01T16:00:00Z');
const TEAMS_DATE_TIME = /\b\d{1,2}\/\d{1,2}\/\d{2}, \d{1,2}:\d{2}:\d{2} [AP]M\b/g;
const TEAMS_FORMAT = 'M/d/yy, h:mm:ss a';

/**
 * The Teams fixture (UTF-16 LE with a BOM, tab-separated, CRLF) with every
 * date-time moved by the same amount so its meeting starts at `start`,
 * written the way Teams writes them (US style, in REPORT_ZONE).
 */
function shiftedTeamsReport(start: Date): Buffer {
  const bytes = readFileSync(TEAMS_FIXTURE);
  expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
  const text = bytes.subarray(2).toString('utf16le');
  const shiftMs = start.getTime() - FIXTURE_SESSION_START.toMillis();
  let count = 0;
  const shifted = text.replace(TEAMS_DATE_TIME, (written) => {
    const at = DateTime.fromFormat(written, TEAMS_FORMAT, { zone: REPORT_ZONE, locale: 'en-US' });
    if (!at.isValid) throw new Error(`The fixture's date-time ${written} did not read`);
    count += 1;
    return at.plus({ milliseconds: shiftMs }).setZone(REPORT_ZONE).setLocale('en-US').toFormat(TEAMS_FORMAT);
  });
  // The summary's start and end, then two (join, leave) in each of the 4 rows of section 2 and the 5 of section 3.
  expect(count).toBe(2 + 2 * 4 + 2 * 5);
  expect(shifted.split('\r\n').length).toBe(text.split('\r\n').length);
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(shifted, 'utf16le')]);
}

/** A session's time as the app writes it for a viewer: theirs, and the organiser's beside it when the clocks differ. */
function expectedSessionTime(session: StoredSession, viewerZone: string, locale: 'sv'): string {
  const text = describeSessionTime(session.startsAt, session.organiserTimeZone, viewerZone, locale);
  expect(text.organiser, 'Stockholm and Lisbon clocks differ, so the organiser’s time shows').not.toBeNull();
  return `${text.viewer} (${tr(locale, 'offeringPage.organiserTime', text.organiser!)})`;
}

/** The trainer's attendance table: the cells of a participant's row (participant, result, source, minutes, …). */
async function attendanceRow(page: Page, email: string): Promise<string[]> {
  const row = page.getByRole('region', { name: en('attendance.participants') }).getByRole('row').filter({ hasText: email });
  await row.waitFor();
  return (await row.getByRole('cell').allInnerTexts()).map((cell) => cell.trim());
}

/** From the Sessions tab, a session's "Attendance and recording" page. */
async function openAttendance(page: Page, offeringId: string, session: StoredSession, label: string) {
  await openTab(page, 'authoring.layout.sessions', `/trainer/offerings/${offeringId}/sessions`);
  await page.getByRole('link', { name: en('calendar.sessions.attendanceNamed', { title: session.title }), exact: true }).click();
  await waitForPath(page, `/trainer/offerings/${offeringId}/sessions/${session.id}`);
  await page.getByRole('heading', { level: 2, name: en('attendance.heading', { title: session.title }) }).waitFor();
  await waitForHydration(page);
  await expectAccessible(page, label);
}

/** The rows of one of the preview's tables, each row's cells as text. */
async function previewRows(table: Locator): Promise<string[][]> {
  const rows = table.locator('tbody tr');
  const out: string[][] = [];
  for (let i = 0; i < (await rows.count()); i++) out.push((await rows.nth(i).getByRole('cell').allInnerTexts()).map((cell) => cell.trim()));
  return out;
}

afterAll(async () => {
  await closeDb();
  await closeMailbox();
});

describe('live sessions', () => {
  test(
    'a trainer schedules a webinar series; a teacher in another zone enrols, reads both times, gets the .ics and the invitation, joins through the tracked link; the Teams report is imported; the linking discussion completes the series',
    async ({ page, browser, consoleErrors }) => {
      const title = `Formative talk webinars ${titleSuffix()}`;
      const meeting = `https://meet.example.org/kollega-${titleSuffix()}`;
      // Whole minutes on the organiser's clock, as the form takes them.
      const now = DateTime.now().setZone(ORGANISER_ZONE).startOf('minute');
      const webinar1 = { title: 'Webinar 1: talk moves', start: now.minus({ minutes: 75 }) }; // ended 15 minutes ago
      const webinar2 = { title: 'Webinar 2: what we tried', start: now.minus({ minutes: 5 }) }; // running: its link is open
      const discussionTitle = 'Discuss: one talk move you tried';
      const discussionDue = now.minus({ minutes: 10 }); // after webinar 1, before webinar 2

      // --- The trainer builds the series (organiser's zone: Lisbon).
      await openMyOfferings(page, TRAINER);
      const offeringId = await createOffering(page, { kind: 'webinar_series', title, zone: ORGANISER_ZONE });
      const details = page.locator('form#offering-details');
      await fillCommonDetails(details, {
        summary: 'Two webinars on classroom talk, with a discussion in between.',
        description: 'Join **webinar 1**, try one talk move, tell the others, and join **webinar 2**.',
        topics: 'classroom talk, formative assessment',
        opens: now.minus({ days: 1 }).startOf('hour'),
        // Enrolment may stay open until the series ends (webinar 2's end).
        closes: webinar2.start.plus({ minutes: 50 }),
        deadline: now.plus({ days: 7 }).startOf('hour'),
      });
      await saveDetails(page, 'series details after saving');

      // Sessions in Lisbon time: one in the past is accepted (a trainer may record one after the fact).
      await openTab(page, 'authoring.layout.sessions', /\/sessions$/);
      await expectAccessible(page, 'sessions tab without sessions');
      for (const webinar of [webinar1, webinar2]) await addSession(page, { title: webinar.title, start: webinar.start, joinUrl: meeting });
      await expectAccessible(page, 'sessions tab with both webinars');
      const sessions = await liveSessionsOf(offeringId);
      expect(sessions.map((s) => [s.title, s.startsAt.toISOString(), s.durationMinutes, s.organiserTimeZone, s.joinUrl])).toEqual([
        [webinar1.title, webinar1.start.toUTC().toISO({ suppressMilliseconds: false }), 60, ORGANISER_ZONE, meeting],
        [webinar2.title, webinar2.start.toUTC().toISO({ suppressMilliseconds: false }), 60, ORGANISER_ZONE, meeting],
      ]);
      const [session1, session2] = sessions as [StoredSession, StoredSession];

      // The linking activity: a required discussion at the offering level, due between the webinars.
      await openTab(page, 'authoring.layout.structure', /\/structure$/);
      await expectAccessible(page, 'structure of the series');
      const structure = page.getByRole('region', { name: en('structure.title'), exact: true });
      await addActivity(page, structure, en('structure.activities.addHeading'), 'discussion', discussionTitle);
      await page.getByText(en('structure.editor.atOfferingLevel')).waitFor();
      await page.getByRole('checkbox', { name: en('structure.editor.required'), exact: true }).check();
      await page.getByLabel(en('structure.editor.discussion.prompt'), { exact: true }).fill('Which **talk move** did you try, and what happened?');
      await page.getByLabel(en('structure.editor.dueAt', { zone: ORGANISER_ZONE }), { exact: true }).fill(localInput(discussionDue));
      await saveActivity(page, 'discussion editor after saving');

      await openTab(page, 'authoring.layout.details', `/trainer/offerings/${offeringId}`);
      await page.getByRole('region', { name: en('authoring.publishing.heading'), exact: true }).getByText(en('authoring.publishing.ready')).waitFor();
      await publish(page, 'series after publishing');
      const previewHref = await page.getByRole('link', { name: en('authoring.layout.preview'), exact: true }).getAttribute('href');
      expect(previewHref).toMatch(/^\/offerings\/[^/]+$/);
      const offeringPath = previewHref!;
      expect(unexpectedConsoleErrors(consoleErrors)).toEqual([]);

      const anna = await openDevice(browser, { locale: 'sv-SE', timezoneId: ANNA.zone });
      const mikko = await openDevice(browser, { locale: 'fi-FI', timezoneId: 'Europe/Helsinki' });
      const tmp = mkdtempSync(path.join(os.tmpdir(), 'kollega-e2e-teams-'));
      try {
        // --- Anna (Swedish, Stockholm) enrols on the offering page.
        const ap = anna.page;
        // A Swedish browser: the sign-in page is in Swedish.
        await signIn(ap, ANNA.email, DEMO_PASSWORD, { locale: 'sv' });
        await visit(ap, offeringPath, 'series page before enrolling (Anna)');
        await ap.getByRole('heading', { level: 1, name: title }).waitFor();
        const panel = ap.getByRole('region', { name: sv('offeringPage.enrolment') });
        const enrolledAt = new Date();
        await panel.getByRole('button', { name: sv('enrolment.panel.enrol'), exact: true }).click();
        await expectFlash(ap, sv('enrolment.flash.enrolled', { title }));
        await waitForHydration(ap);
        expect(await panel.getByRole('status').innerText()).toBe(sv('enrolment.panel.enrolled'));
        await expectAccessible(ap, 'series page after enrolling (Anna)');

        // Both times in her zone, with Lisbon's beside them.
        const schedule = ap.getByRole('region', { name: sv('offeringPage.schedule') });
        for (const session of [session1, session2]) {
          const item = schedule.getByRole('listitem').filter({ has: ap.getByRole('link', { name: sv('sessionPage.openNamed', { title: session.title }) }) });
          expect((await item.locator('.session-time').innerText()).trim()).toBe(expectedSessionTime(session, ANNA.zone, 'sv'));
          expect(await item.locator('time').getAttribute('datetime')).toBe(session.startsAt.toISOString());
        }

        // The series' .ics: both webinars, at the stored instants, with an alarm and the session page.
        const [download] = await Promise.all([ap.waitForEvent('download'), schedule.getByRole('link', { name: sv('calendar.links.offering'), exact: true }).click()]);
        expect(download.suggestedFilename()).toMatch(/\.ics$/);
        const downloaded = parseCalendar(readFileSync(await download.path(), 'utf8'));
        expect(downloaded.method).toBe('PUBLISH');
        expect(downloaded.events).toHaveLength(2);
        const host = new URL(baseUrl()).hostname;
        for (const [index, session] of [session1, session2].entries()) {
          const event = downloaded.events[index]!;
          expect(event.uid).toBe(`session-${session.id}@${host}`);
          expect(event.start.getTime()).toBe(session.startsAt.getTime());
          expect(event.end?.getTime()).toBe(session.startsAt.getTime() + 60 * 60_000);
          expect(event.sequence).toBe(session.sequence);
          expect(event.status).toBe('CONFIRMED');
          expect(event.url).toBe(`${baseUrl()}/sessions/${session.id}`);
          expect(event.description).toContain(`${baseUrl()}/sessions/${session.id}`);
          // Never the provider's link: that is only for participants, through the tracked route.
          expect(event.description).not.toContain(meeting);
          expect(event.alarms).toEqual([{ action: 'DISPLAY', trigger: '-PT15M', description: expect.stringContaining(session.title) }]);
        }

        // The confirmation email carries the invitation (METHOD:REQUEST) to what is still to come: webinar 2.
        const mail = await waitForMail(ANNA.email, { subject: fill(textsFor('sv').enrolmentConfirmed.subject, { title }), since: enrolledAt });
        const calendarParts = mimeParts(mail.raw).filter((part) => part.type === 'text/calendar');
        const invitationPart = calendarParts.find((part) => part.params.method === 'REQUEST');
        expect(invitationPart, `a text/calendar part with method=REQUEST among ${mimeParts(mail.raw).map((p) => p.type).join(', ')}`).toBeDefined();
        const invitation = parseCalendar(invitationPart!.body.toString('utf8'));
        expect(invitation.method).toBe('REQUEST');
        expect(invitation.events.map((e) => [e.uid, e.start.getTime()])).toEqual([[`session-${session2.id}@${host}`, session2.startsAt.getTime()]]);
        expect(invitation.events[0]!.attendees).toEqual([`mailto:${ANNA.email}`]);
        expect(invitation.events[0]!.url).toBe(`${baseUrl()}/sessions/${session2.id}`);
        expect(invitation.events[0]!.alarms).toHaveLength(1);

        // Webinar 1 is over: no link any more.
        await visit(ap, `/sessions/${session1.id}`, 'webinar 1 page after its end (Anna)');
        await ap.getByText(sv('sessionPage.join.ended')).waitFor();
        expect(await ap.getByRole('link', { name: sv('sessionPage.join.button') }).count()).toBe(0);

        // --- Webinar 2 is running: she joins through the tracked link and arrives at the provider.
        await visit(ap, offeringPath, 'series page (Anna, enrolled)');
        await ap.getByRole('link', { name: sv('sessionPage.openNamed', { title: session2.title }), exact: true }).click();
        await waitForPath(ap, `/sessions/${session2.id}`);
        await ap.getByRole('heading', { level: 1, name: session2.title }).waitFor();
        await waitForHydration(ap);
        expect((await ap.locator('.session-time').innerText()).trim()).toBe(expectedSessionTime(session2, ANNA.zone, 'sv'));
        await ap.getByText(sv('sessionPage.join.openNow')).waitFor();
        await expectAccessible(ap, 'webinar 2 page with the join link (Anna)');
        // The provider is not reachable from the test machine: a stand-in page answers for it.
        await ap.route('https://meet.example.org/**', (route) =>
          route.fulfill({
            status: 200,
            contentType: 'text/html; charset=utf-8',
            body: '<!doctype html><html lang="en"><head><title>Meeting room</title></head><body><main><h1>Meeting room</h1><p>You are in the meeting.</p></main></body></html>',
          }),
        );
        const joinLink = ap.getByRole('link', { name: sv('sessionPage.join.button'), exact: true });
        expect(await joinLink.getAttribute('href')).toBe(`/sessions/${session2.id}/join`);
        const joinedAt = new Date();
        // The browser asks the tracked route, which answers with a redirect to the provider, and then goes there.
        const [tracked, arrival] = await Promise.all([
          ap.waitForResponse((response) => response.url() === `${baseUrl()}/sessions/${session2.id}/join`),
          ap.waitForRequest((request) => request.url() === meeting && request.isNavigationRequest()),
          joinLink.click(),
        ]);
        expect(tracked.status()).toBe(303);
        expect(tracked.headers()['location']).toBe(meeting);
        expect(arrival.frame()).toBe(ap.mainFrame());
        await ap.waitForURL(meeting);
        await ap.getByRole('heading', { level: 1, name: 'Meeting room' }).waitFor();
        await expectAccessible(ap, 'the stand-in meeting page');

        // --- Mikko (Finnish) enrols too; the Teams report has him for 20 minutes.
        await signIn(mikko.page, MIKKO.email, DEMO_PASSWORD, { locale: 'fi' });
        await visit(mikko.page, offeringPath, 'series page before enrolling (Mikko)');
        const mikkoPanel = mikko.page.getByRole('region', { name: fi('offeringPage.enrolment') });
        await mikkoPanel.getByRole('button', { name: fi('enrolment.panel.enrol'), exact: true }).click();
        await expectFlash(mikko.page, fi('enrolment.flash.enrolled', { title }));
        await waitForHydration(mikko.page);
        await expectAccessible(mikko.page, 'series page after enrolling (Mikko)');
        expect(unexpectedConsoleErrors(mikko.errors)).toEqual([]);

        // --- The trainer sees Anna's join on webinar 2's attendance page.
        await openAttendance(page, offeringId, session2, 'attendance of webinar 2 after the join');
        const annaOn2 = await attendanceRow(page, ANNA.email);
        expect(annaOn2[0]).toContain(ANNA.name);
        expect(annaOn2[1]).toBe(en('attendance.attended'));
        expect(annaOn2[2]).toBe(en('attendance.sources.joins'));
        // Counted from the join to the end of the session.
        const counted = Math.floor((session2.startsAt.getTime() + 60 * 60_000 - Math.max(joinedAt.getTime(), session2.startsAt.getTime())) / 60_000);
        expect(Math.abs(Number(annaOn2[3]) - counted)).toBeLessThanOrEqual(1);
        const mikkoOn2 = await attendanceRow(page, MIKKO.email);
        expect(mikkoOn2[1]).toBe(en('attendance.notAttended'));
        expect(mikkoOn2[2]).toBe(en('attendance.sources.none'));

        // --- The trainer imports the Teams report of webinar 1: preview, then save.
        await page.getByRole('link', { name: en('attendance.back') }).click();
        await waitForPath(page, `/trainer/offerings/${offeringId}/sessions`);
        await waitForHydration(page);
        await page.getByRole('link', { name: en('calendar.sessions.attendanceNamed', { title: session1.title }), exact: true }).click();
        await waitForPath(page, `/trainer/offerings/${offeringId}/sessions/${session1.id}`);
        await page.getByRole('heading', { level: 2, name: en('attendance.heading', { title: session1.title }) }).waitFor();
        await waitForHydration(page);
        await expectAccessible(page, 'attendance of webinar 1 before the import');
        expect((await attendanceRow(page, ANNA.email))[2]).toBe(en('attendance.sources.none'));

        const reportFile = path.join(tmp, 'teams-attendance-webinar-1.csv');
        writeFileSync(reportFile, shiftedTeamsReport(session1.startsAt));
        await page.getByLabel(en('attendance.import.file'), { exact: true }).setInputFiles(reportFile);
        await page.getByLabel(en('attendance.import.timeZone'), { exact: true }).selectOption(REPORT_ZONE);
        await page.getByRole('button', { name: en('attendance.import.preview'), exact: true }).click();
        const preview = page.getByRole('region', { name: en('attendance.import.previewHeading', { file: path.basename(reportFile) }) });
        await preview.waitFor();
        await waitForHydration(page);
        const counts = { matched: 2, attended: 1, belowThreshold: 1, unmatched: 1 };
        expect(await preview.getByRole('status').innerText()).toBe(en('attendance.import.summary', counts));
        expect(await preview.innerText()).toContain(en('attendance.import.formats.teams'));
        expect(await preview.innerText()).toContain(en('attendance.import.readInZone', { zone: REPORT_ZONE }));
        expect(await preview.innerText()).toContain(en('attendance.import.organiserIgnored_one', { count: 1 }));
        expect(await preview.getByText(en('attendance.import.outsideSession')).count()).toBe(0);
        const matched = await previewRows(preview.getByRole('region', { name: en('attendance.import.matched') }));
        expect(matched).toHaveLength(2);
        const matchedAnna = matched.find((cells) => cells[0]!.includes(ANNA.email))!;
        const matchedMikko = matched.find((cells) => cells[0]!.includes(MIKKO.email))!;
        expect(matchedAnna[2]).toBe(en('attendance.attended'));
        // Two segments (16:58:40–17:31:12 and 17:33:02–18:00:55) within the 60 minutes of the session.
        expect(Number(matchedAnna[1])).toBeGreaterThanOrEqual(57);
        expect(Number(matchedAnna[1])).toBeLessThanOrEqual(60);
        expect(matchedMikko[2]).toBe(en('attendance.belowThreshold'));
        expect(Number(matchedMikko[1])).toBe(20);
        const unmatched = await previewRows(preview.getByRole('region', { name: en('attendance.import.unmatched') }));
        expect(unmatched).toHaveLength(1);
        expect(unmatched[0]![1]).toContain(LUCJA.name);
        expect(unmatched[0]![1]).toContain(LUCJA.email);
        await expectAccessible(page, 'preview of the Teams report');

        await preview.getByRole('button', { name: en('attendance.import.save'), exact: true }).click();
        await expectFlash(page, en('attendance.flash.imported', counts));
        await waitForHydration(page);
        await expectAccessible(page, 'attendance of webinar 1 after the import');
        const annaOn1 = await attendanceRow(page, ANNA.email);
        expect(annaOn1[1]).toBe(en('attendance.attended'));
        expect(annaOn1[2]).toBe(en('attendance.sources.report'));
        const mikkoOn1 = await attendanceRow(page, MIKKO.email);
        expect(mikkoOn1[1]).toBe(en('attendance.notAttended'));
        expect(mikkoOn1[2]).toBe(en('attendance.sources.report'));
        expect(mikkoOn1[3]).toBe('20');
        expect(await page.getByRole('region', { name: en('attendance.participants') }).getByText(LUCJA.email).count()).toBe(0);
        expect(unexpectedConsoleErrors(consoleErrors)).toEqual([]);

        // --- Anna: both webinars attended, the discussion still to do; posting completes the series.
        await visit(ap, offeringPath, 'series page before the discussion (Anna)');
        await ap.getByRole('region', { name: sv('offeringPage.enrolment') }).getByRole('link', { name: sv('enrolment.panel.goToCourse') }).click();
        const coursePath = `/learn/${offeringPath.split('/').pop()}`;
        await waitForPath(ap, coursePath);
        await ap.getByRole('heading', { level: 1, name: title }).waitFor();
        await waitForHydration(ap);
        expect(await ap.locator('#progress-text').innerText()).toBe(sv('learn.overview.progress', { done: 0, total: 1 }));
        expect(await ap.getByRole('note').filter({ hasText: trPattern('sv', 'learn.overview.completedOn') }).count()).toBe(0);
        await expectAccessible(ap, 'series overview before the discussion (Anna)');
        await ap.getByRole('link', { name: discussionTitle, exact: true }).click();
        await ap.waitForURL((url) => url.pathname.startsWith(`${coursePath}/activities/`));
        await ap.getByRole('heading', { level: 1, name: discussionTitle }).waitFor();
        await waitForHydration(ap);
        await ap.getByText(sv('learn.discussion.noPosts')).waitFor();
        await expectAccessible(ap, 'the discussion before posting (Anna)');
        const post = 'I asked the class to “say more” before anyone answered. Twice as many took part.';
        await ap.getByLabel(sv('learn.discussion.postLabel'), { exact: true }).fill(post);
        await ap.getByRole('button', { name: sv('learn.discussion.post'), exact: true }).click();
        // Both webinars were attended already: this post is the last piece, and the flash says the series is completed.
        await expectFlash(ap, sv('learn.flash.completed', { title }));
        const postedAt = new Date();
        await ap.locator('article.learn-post').filter({ hasText: post }).waitFor();
        await expectAccessible(ap, 'the discussion with her post (Anna)');

        const completedOn = formatInstant(postedAt, 'date', ANNA.zone, 'sv');
        await ap.getByRole('link', { name: sv('learn.activity.back') }).click();
        await waitForPath(ap, coursePath);
        await waitForHydration(ap);
        await ap.getByRole('note').filter({ hasText: sv('learn.overview.completedOn', { date: completedOn }) }).waitFor();
        expect(await ap.locator('#progress-text').innerText()).toBe(sv('learn.overview.progress', { done: 1, total: 1 }));
        await expectAccessible(ap, 'series overview once completed (Anna)');

        await ap.getByRole('navigation', { name: sv('app.mainNavigation') }).getByRole('link', { name: sv('dashboard.nav'), exact: true }).click();
        await waitForPath(ap, '/dashboard');
        await waitForHydration(ap);
        const completed = ap.getByRole('region', { name: sv('dashboard.completed'), exact: true });
        const done = completed.getByRole('listitem').filter({ has: ap.getByRole('heading', { level: 3, name: title }) });
        expect(await done.innerText()).toContain(sv('dashboard.completedOn', { date: completedOn }));
        await expectAccessible(ap, 'dashboard with the series completed (Anna)');

        await visit(ap, offeringPath, 'series page once completed (Anna)');
        expect(await ap.getByRole('region', { name: sv('offeringPage.enrolment') }).getByRole('status').innerText()).toBe(sv('enrolment.panel.completed'));
        expect(unexpectedConsoleErrors(anna.errors)).toEqual([]);
      } catch (error) {
        // The fixture keeps a screenshot of the trainer's page only: keep the teachers' too, with what their consoles said.
        for (const [who, device] of [
          ['anna', anna],
          ['mikko', mikko],
        ] as const) {
          if (device.page.isClosed()) continue;
          const file = fileURLToPath(new URL(`./artifacts/live-sessions--${who}.png`, import.meta.url));
          await device.page.screenshot({ path: file, fullPage: true, timeout: 10_000 }).catch(() => undefined);
          console.error(`[e2e] ${who} was at ${device.page.url()}; screenshot: ${path.relative(process.cwd(), file)}; console: ${JSON.stringify(device.errors)}`);
        }
        throw error;
      } finally {
        rmSync(tmp, { recursive: true, force: true });
        await anna.context.close();
        await mikko.context.close();
      }
      expect(unexpectedConsoleErrors(consoleErrors)).toEqual([]);
    },
    // The longest walk of the suite: three people, about forty pages, each checked with axe.
    300_000,
  );
});
