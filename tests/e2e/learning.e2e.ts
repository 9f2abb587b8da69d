import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';
import { fill, textsFor } from '#emails/texts';
import { expect, expectAccessible, test } from './support/browser';
import { closeDb, insertTestOffering } from './support/db';
import { DEMO_PASSWORD, expectFieldError, expectFlash, openDevice, signIn, uniqueSuffix, unexpectedConsoleErrors, visit, waitForHydration, waitForPath } from './support/flows';
import { tr } from './support/i18n';
import { closeMailbox, waitForLink, waitForMail } from './support/mailbox';

/**
 * The course player from enrolment to completion (issue 4's scenario): a
 * Finnish teacher enrols in a cohort short course, works through the open
 * module (page, quiz failed once and then passed, assignment, discussion)
 * while the next module stays locked, and completes the course once the
 * trainer has returned the assignment with feedback and accepted the second
 * submission. The offering is made for this file (support/db.ts); the
 * teacher's UI is Finnish and times show in his zone (Helsinki), an hour
 * ahead of the organiser's (Oslo).
 */

const TEACHER = { email: 'mikko.virtanen@koulu.example.fi', name: 'Mikko Virtanen', zone: 'Europe/Helsinki' }; // validated, language fi; only signs in elsewhere
const TRAINER = 'trainer.hansen@example.org'; // language en
const ORGANISER_ZONE = 'Europe/Oslo';

const fi = (key: string, params?: Record<string, string | number>) => tr('fi', key, params);
const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);

/** A date or time as the app writes it for this language and zone (app/modules/catalogue/datetime.ts's styles). */
const DATE: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric' };
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
const format = (at: Date, style: Intl.DateTimeFormatOptions, zone: string, locale: string) =>
  new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : locale, { ...style, timeZone: zone }).format(at);

const suffix = uniqueSuffix();
const TITLE = `Feedback that moves learning ${suffix}`;
const SLUG = `feedback-that-moves-learning-${suffix}`;
const MODULE_1 = 'Week 1: feedback in the classroom';
const MODULE_2 = 'Week 2: peer assessment';
const PAGE = 'Read: what good feedback looks like';
const QUIZ = 'Quiz: feedback basics';
const ASSIGNMENT = 'Task: a feedback plan for one lesson';
const DISCUSSION = 'Discuss: feedback in your school';
const LATER_PAGE = 'Further reading: peer assessment';
const Q1 = { prompt: 'What should feedback to a learner point to?', right: 'The next step in their learning', wrong: 'Their rank in the class' };
const Q2 = { prompt: 'When is feedback most useful?', right: 'While there is still time to act on it', wrong: 'Only at the end of the school year' };

/** Yesterday 09:00 on the organiser's calendar: the course start and module 1's release. */
const start = DateTime.now().setZone(ORGANISER_ZONE).minus({ days: 1 }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
/** Module 2: a week after module 1, at the same local time. */
const module2Release = start.plus({ weeks: 1 });

let offering: { id: string; slug: string; activityIds: Record<string, string> };

beforeAll(async () => {
  const question = (q: typeof Q1) => ({
    id: randomUUID(),
    prompt: q.prompt,
    multiple: false,
    choices: [
      { id: randomUUID(), label: q.right, correct: true },
      { id: randomUUID(), label: q.wrong, correct: false },
    ],
  });
  const ends = DateTime.now().setZone(ORGANISER_ZONE).plus({ weeks: 3 }).set({ hour: 17, minute: 0, second: 0, millisecond: 0 });
  offering = await insertTestOffering({
    slug: SLUG,
    title: TITLE,
    kind: 'short_course',
    organiserTimeZone: ORGANISER_ZONE,
    enrolmentOpensAt: start.minus({ days: 14 }).toJSDate(),
    enrolmentClosesAt: ends.toJSDate(),
    startsAt: start.toJSDate(),
    endsAt: ends.toJSDate(),
    completionDeadline: ends.plus({ weeks: 2 }).toJSDate(),
    trainer: TRAINER,
    modules: [
      {
        title: MODULE_1,
        releaseAt: start.toJSDate(),
        activities: [
          { kind: 'page', title: PAGE, content: { kind: 'page', body: 'Good feedback names **one next step**.', videoUrl: '' } },
          {
            kind: 'quiz',
            title: QUIZ,
            content: { kind: 'quiz', intro: 'Two questions.', passMarkPercent: 50, attemptsAllowed: 2, questions: [question(Q1), question(Q2)] },
          },
          { kind: 'assignment', title: ASSIGNMENT, content: { kind: 'assignment', prompt: 'Plan the feedback for one lesson.', submission: 'text' } },
          { kind: 'discussion', title: DISCUSSION, content: { kind: 'discussion', prompt: 'How is feedback given at your school?' } },
        ],
      },
      {
        title: MODULE_2,
        releaseAt: module2Release.toJSDate(),
        activities: [{ kind: 'page', title: LATER_PAGE, required: false, content: { kind: 'page', body: 'Read more.', videoUrl: '' } }],
      },
    ],
  });
});

afterAll(async () => {
  await closeDb();
  await closeMailbox();
});

const activityPath = (title: string) => `/learn/${SLUG}/activities/${offering.activityIds[title]}`;

/** From the course overview, the link to an activity → its page. */
async function openActivity(page: Page, title: string) {
  await page.getByRole('link', { name: title, exact: true }).click();
  await waitForPath(page, activityPath(title));
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await waitForHydration(page);
}

/** "Back to the course overview". */
async function backToOverview(page: Page) {
  await page.getByRole('link', { name: fi('learn.activity.back') }).click();
  await waitForPath(page, `/learn/${SLUG}`);
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  await waitForHydration(page);
}

/** "My learning" in the header → the dashboard. */
async function openDashboard(page: Page) {
  await page.getByRole('navigation', { name: fi('app.mainNavigation') }).getByRole('link', { name: fi('dashboard.nav'), exact: true }).click();
  await waitForPath(page, '/dashboard');
  await page.getByRole('heading', { level: 1, name: fi('dashboard.title') }).waitFor();
  await waitForHydration(page);
}

describe('taking a course', () => {
  test(
    'a teacher enrols, works through the open module while the next stays locked, and completes the course once the trainer accepts the resubmitted assignment',
    async ({ page, browser, consoleErrors }) => {
      // --- Enrol on the offering page.
      await signIn(page, TEACHER.email, DEMO_PASSWORD);
      await visit(page, `/offerings/${SLUG}`, 'offering page before enrolling');
      await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
      const panel = page.getByRole('region', { name: fi('offeringPage.enrolment') });
      expect(await panel.getByRole('status').innerText()).toBe(fi('enrolment.panel.notEnrolled'));
      const enrolledAt = new Date();
      await panel.getByRole('button', { name: fi('enrolment.panel.enrol'), exact: true }).click();
      await expectFlash(page, fi('enrolment.flash.enrolled', { title: TITLE }));
      await waitForHydration(page);
      expect(await panel.getByRole('status').innerText()).toBe(fi('enrolment.panel.enrolled'));
      expect(await panel.getByRole('button', { name: fi('enrolment.panel.enrol'), exact: true }).count()).toBe(0);
      await expectAccessible(page, 'offering page after enrolling');
      await waitForMail(TEACHER.email, { subject: fill(textsFor('fi').enrolmentConfirmed.subject, { title: TITLE }), since: enrolledAt });

      // --- The course: module 1 open, module 2 locked until next week, in the teacher's zone (an hour ahead of Oslo).
      await panel.getByRole('link', { name: fi('enrolment.panel.goToCourse') }).click();
      await waitForPath(page, `/learn/${SLUG}`);
      await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
      await waitForHydration(page);
      await expectAccessible(page, 'course overview');
      expect(await page.locator('#progress-text').innerText()).toBe(fi('learn.overview.progress', { done: 0, total: 4 }));
      const moduleCard = (title: string) => page.locator('ol.learn-modules > li').filter({ has: page.getByRole('heading', { level: 3, name: title }) });
      expect(await moduleCard(MODULE_1).innerText()).toContain(fi('learn.overview.open'));
      const release = module2Release.toJSDate();
      const opensText = fi('learn.overview.opensOn', { date: format(release, DATE, TEACHER.zone, 'fi'), time: format(release, TIME, TEACHER.zone, 'fi') });
      const locked = await moduleCard(MODULE_2).innerText();
      expect(locked).toContain(fi('learn.overview.locked'));
      expect(locked).toContain(opensText);
      // 09:00 in Oslo is 10.00 in Helsinki.
      expect(opensText).toContain(module2Release.setZone(TEACHER.zone).toFormat('HH.mm'));
      // A locked module's activities are listed, not linked.
      expect(locked).toContain(LATER_PAGE);
      expect(await moduleCard(MODULE_2).getByRole('link').count()).toBe(0);

      // Its address (a bookmark, say) says when it opens, and nothing more.
      await visit(page, activityPath(LATER_PAGE), 'activity in the locked module');
      await page.getByRole('heading', { level: 1, name: LATER_PAGE }).waitFor();
      const lockedNote = page.getByRole('note').filter({ hasText: fi('learn.activity.lockedTitle') });
      expect(await lockedNote.innerText()).toContain(
        fi('learn.activity.locked', { date: format(release, DATE, TEACHER.zone, 'fi'), time: format(release, TIME, TEACHER.zone, 'fi') }),
      );
      expect(await page.getByRole('button').filter({ hasText: fi('learn.page.markDone') }).count()).toBe(0);
      await backToOverview(page);

      // --- The page: mark as done.
      await openActivity(page, PAGE);
      await page.getByRole('button', { name: fi('learn.page.markDone'), exact: true }).click();
      await expectFlash(page, fi('learn.flash.pageDone'));
      await page.getByRole('note').filter({ hasText: fi('learn.page.done') }).waitFor();
      await expectAccessible(page, 'page marked as done');
      await backToOverview(page);

      // --- The quiz: failed once (0 %), with feedback and one attempt left; then passed at the pass mark (50 %).
      await openActivity(page, QUIZ);
      const facts = page.locator('ul.learn-facts');
      expect(await facts.innerText()).toContain(fi('learn.quiz.passMark', { percent: 50 }));
      expect(await facts.innerText()).toContain(fi('learn.quiz.attemptsLeft', { left: 2, allowed: 2 }));
      await expectAccessible(page, 'quiz before the first attempt');
      await page.getByRole('radio', { name: Q1.wrong, exact: true }).check();
      await page.getByRole('radio', { name: Q2.wrong, exact: true }).check();
      await page.getByRole('button', { name: fi('learn.quiz.submit'), exact: true }).click();
      await expectFlash(page, fi('learn.flash.quizFailed', { score: 0, pass: 50 }));
      await expect.poll(() => facts.innerText()).toContain(fi('learn.quiz.attemptsLeft', { left: 1, allowed: 2 }));
      const quizForm = page.locator('form#quiz-form');
      const lastAttempt = page.locator('main p[role="status"]').filter({ hasText: fi('learn.quiz.lastAttempt', { score: 0 }) });
      expect(await lastAttempt.innerText()).toContain(fi('learn.quiz.lastFailed'));
      expect(await quizForm.locator('.badge').allInnerTexts()).toEqual([fi('learn.quiz.wrong'), fi('learn.quiz.wrong')]);
      // No answers given away while an attempt is left.
      await page.getByText(fi('learn.quiz.notRevealed')).waitFor();
      expect(await page.getByText(fi('learn.quiz.correctChoice')).count()).toBe(0);
      await expectAccessible(page, 'quiz after a failed attempt');

      await page.getByRole('radio', { name: Q1.right, exact: true }).check();
      await page.getByRole('radio', { name: Q2.wrong, exact: true }).check();
      await page.getByRole('button', { name: fi('learn.quiz.submit'), exact: true }).click();
      await expectFlash(page, fi('learn.flash.quizPassed', { score: 50 }));
      await page.getByRole('note').filter({ hasText: fi('learn.quiz.passed') }).waitFor();
      expect(await facts.innerText()).toContain(fi('learn.quiz.bestScore', { score: 50 }));
      // Passed: the right answers are shown, and there is nothing more to submit.
      expect(await quizForm.getByText(fi('learn.quiz.correctChoice')).count()).toBe(2);
      expect(await page.getByRole('button', { name: fi('learn.quiz.submit'), exact: true }).count()).toBe(0);
      await expectAccessible(page, 'quiz passed');
      await backToOverview(page);

      // --- The assignment: submitted for review.
      await openActivity(page, ASSIGNMENT);
      const firstAnswer = 'In my Year 8 class I will give one comment per learner, each naming a next step.';
      await page.getByLabel(fi('learn.assignment.textLabel'), { exact: true }).fill(firstAnswer);
      await page.getByRole('button', { name: fi('learn.assignment.submit'), exact: true }).click();
      await expectFlash(page, fi('learn.flash.submitted'));
      await page.getByRole('note').filter({ hasText: fi('learn.assignment.awaiting') }).waitFor();
      expect(await page.getByRole('region', { name: fi('learn.assignment.history') }).innerText()).toContain(firstAnswer);
      expect(await page.getByLabel(fi('learn.assignment.textLabel'), { exact: true }).count()).toBe(0);
      await expectAccessible(page, 'assignment waiting for review');
      await backToOverview(page);

      // --- The discussion: a first post.
      await openActivity(page, DISCUSSION);
      await page.getByText(fi('learn.discussion.noPosts')).waitFor();
      const post = 'We agree on one feedback routine per year group.';
      await page.getByLabel(fi('learn.discussion.postLabel'), { exact: true }).fill(post);
      await page.getByRole('button', { name: fi('learn.discussion.post'), exact: true }).click();
      await expectFlash(page, fi('learn.flash.posted'));
      const published = page.locator('article.learn-post').filter({ hasText: post });
      expect(await published.innerText()).toContain(TEACHER.name);
      await expectAccessible(page, 'discussion with the new post');

      // --- The dashboard: three of four required activities done (the assignment waits), not completed.
      await openDashboard(page);
      await expectAccessible(page, 'dashboard with the course in progress');
      const inProgress = page.getByRole('region', { name: fi('dashboard.inProgress'), exact: true });
      const card = inProgress.getByRole('article', { name: TITLE });
      const bar = card.getByRole('progressbar', { name: fi('dashboard.progressLabel', { title: TITLE }) });
      expect(await bar.getAttribute('aria-valuenow')).toBe('3');
      expect(await bar.getAttribute('aria-valuemax')).toBe('4');
      expect(await card.innerText()).toContain(`${fi('dashboard.progressText', { done: 3, total: 4 })} (75 %)`);
      const completedSection = page.getByRole('region', { name: fi('dashboard.completed'), exact: true });
      if ((await completedSection.count()) > 0) expect(await completedSection.innerText()).not.toContain(TITLE);

      // --- The trainer returns the work with feedback (another device).
      const trainer = await openDevice(browser);
      try {
        const tp = trainer.page;
        await signIn(tp, TRAINER, DEMO_PASSWORD);
        await tp.getByRole('navigation', { name: en('app.mainNavigation') }).getByRole('link', { name: en('authoring.navTrainer') }).click();
        await waitForPath(tp, '/trainer');
        await waitForHydration(tp);
        await expectAccessible(tp, 'my offerings (trainer)');
        await tp.getByRole('link', { name: TITLE, exact: true }).click();
        await waitForPath(tp, `/trainer/offerings/${offering.id}`);
        await tp.getByRole('heading', { level: 1, name: TITLE }).waitFor();
        await waitForHydration(tp);
        await expectAccessible(tp, 'offering details (trainer)');
        await tp.getByRole('navigation', { name: en('authoring.layout.tabs') }).getByRole('link', { name: en('review.tab'), exact: true }).click();
        await waitForPath(tp, `/trainer/offerings/${offering.id}/reviews`);
        await tp.getByRole('heading', { level: 2, name: en('review.queue') }).waitFor();
        await waitForHydration(tp);
        await expectAccessible(tp, 'review queue with one submission');
        const queue = tp.getByRole('region', { name: en('review.queue') });
        const item = queue.getByRole('listitem').filter({ hasText: TEACHER.email });
        expect(await item.innerText()).toContain(firstAnswer);
        expect(await item.innerText()).toContain(ASSIGNMENT);
        // The post shows in the discussions for moderation.
        expect(await tp.getByRole('region', { name: en('review.discussions') }).innerText()).toContain(post);

        // Returning needs feedback.
        const feedbackField = item.getByLabel(en('review.feedback'), { exact: true });
        await item.getByRole('button', { name: en('review.returnFor', { name: TEACHER.name }) }).click();
        await expectFieldError(feedbackField, en('review.errors.feedbackRequired'));
        await expectAccessible(tp, 'review queue, returning without feedback');
        const feedback = 'Good start. Say when the learners act on the comments, and how you will check.';
        await feedbackField.fill(feedback);
        const returnedAt = new Date();
        await item.getByRole('button', { name: en('review.returnFor', { name: TEACHER.name }) }).click();
        await expectFlash(tp, en('review.flash.returned', { name: TEACHER.name }));
        await queue.getByText(en('review.empty')).waitFor();

        // --- The teacher is emailed, follows the link, reads the feedback and submits again.
        const fiMail = textsFor('fi').assignmentReviewed;
        const returnedMail = await waitForMail(TEACHER.email, { subject: fill(fiMail.returnedSubject, { activity: ASSIGNMENT }), since: returnedAt });
        expect(returnedMail.text).toContain(feedback);
        const link = await waitForLink(TEACHER.email, activityPath(ASSIGNMENT), { subject: fill(fiMail.returnedSubject, { activity: ASSIGNMENT }), since: returnedAt });
        await visit(page, link, 'returned assignment, opened from the email');
        await page.getByRole('note').filter({ hasText: fi('learn.assignment.returned') }).waitFor();
        const history = page.getByRole('region', { name: fi('learn.assignment.history') });
        expect(await history.innerText()).toContain(fi('learn.assignment.feedback'));
        expect(await history.innerText()).toContain(feedback);
        expect(await history.innerText()).toContain(fi('learn.assignment.submissionStatus.returned'));
        const secondAnswer = `${firstAnswer} The learners redo one task in the next lesson, and I check it in their books.`;
        await page.getByLabel(fi('learn.assignment.textLabel'), { exact: true }).fill(secondAnswer);
        await page.getByRole('button', { name: fi('learn.assignment.resubmit'), exact: true }).click();
        await expectFlash(page, fi('learn.flash.submitted'));
        await page.getByRole('note').filter({ hasText: fi('learn.assignment.awaiting') }).waitFor();
        await expectAccessible(page, 'assignment submitted again');

        // --- The trainer accepts the second submission.
        await visit(tp, `/trainer/offerings/${offering.id}/reviews`, 'review queue with the resubmission');
        const again = queue.getByRole('listitem').filter({ hasText: TEACHER.email });
        expect(await again.innerText()).toContain(secondAnswer);
        const acceptedAt = new Date();
        await again.getByRole('button', { name: en('review.acceptFor', { name: TEACHER.name }) }).click();
        await expectFlash(tp, en('review.flash.accepted', { name: TEACHER.name }));
        await queue.getByText(en('review.empty')).waitFor();
        await expectAccessible(tp, 'review queue after accepting');
        expect(unexpectedConsoleErrors(trainer.errors)).toEqual([]);

        const acceptedMail = await waitForMail(TEACHER.email, { subject: fill(fiMail.acceptedSubject, { activity: ASSIGNMENT }), since: acceptedAt });
        expect(acceptedMail.text).toContain(fill(fiMail.accepted, { activity: ASSIGNMENT, title: TITLE }));

        // --- Completed: on the course page and on the dashboard.
        const completedOn = format(acceptedAt, DATE, TEACHER.zone, 'fi');
        await visit(page, activityPath(ASSIGNMENT), 'accepted assignment');
        await page.getByRole('note').filter({ hasText: fi('learn.assignment.accepted') }).waitFor();
        await backToOverview(page);
        await page.getByRole('note').filter({ hasText: fi('learn.overview.completedOn', { date: completedOn }) }).waitFor();
        expect(await page.locator('#progress-text').innerText()).toBe(fi('learn.overview.progress', { done: 4, total: 4 }));
        await expectAccessible(page, 'course overview once completed');

        await openDashboard(page);
        const completed = page.getByRole('region', { name: fi('dashboard.completed'), exact: true });
        const done = completed.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: TITLE }) });
        expect(await done.innerText()).toContain(fi('dashboard.completedOn', { date: completedOn }));
        expect(await page.getByRole('region', { name: fi('dashboard.inProgress'), exact: true }).getByRole('article', { name: TITLE }).count()).toBe(0);
        await expectAccessible(page, 'dashboard with the course completed');

        // The offering page says so too, and a completed course cannot be left.
        await done.getByRole('link', { name: TITLE, exact: true }).click();
        await waitForPath(page, `/learn/${SLUG}`);
        await page.getByRole('link', { name: fi('learn.overview.aboutOffering') }).click();
        await waitForPath(page, `/offerings/${SLUG}`);
        await waitForHydration(page);
        const finished = page.getByRole('region', { name: fi('offeringPage.enrolment') });
        expect(await finished.getByRole('status').innerText()).toBe(fi('enrolment.panel.completed'));
        expect(await finished.getByRole('link', { name: fi('enrolment.panel.unenrol') }).count()).toBe(0);
        await finished.getByRole('link', { name: fi('enrolment.panel.goToCourse') }).waitFor();
        await expectAccessible(page, 'offering page once completed');
      } finally {
        await trainer.context.close();
      }
      expect(unexpectedConsoleErrors(consoleErrors)).toEqual([]);
    },
    90_000,
  );
});
