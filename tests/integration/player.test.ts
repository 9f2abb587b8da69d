import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activities,
  activityProgress,
  completionEvents,
  enrolments,
  modules,
  offerings,
  offeringTrainers,
  quizAttempts,
  submissions,
  type ActivityContent,
} from '#db/schema';
import { reviewSubmission } from '~/modules/learning/submissions.server';
import { removeActivity, removeModule, updateActivity } from '~/modules/offerings/structure.server';
import { action as activityAction, loader as activityLoader } from '~/routes/learn.$slug.activities.$activityId';
import { loader as overviewLoader } from '~/routes/learn.$slug._index';
import { createTestContext, recordingJobQueue, type TestContext } from '../support/context';
import { createUser, signIn } from '../support/factories';
import { makeRequest, requestContext } from '../support/requests';

/** What a Remix loader or action returned or threw, as status, headers and body. */
async function outcome(run: () => Promise<unknown>) {
  let value: unknown;
  try {
    value = await run();
  } catch (thrown) {
    value = thrown;
  }
  if (value instanceof Response) return { status: value.status, headers: value.headers, body: null as Record<string, unknown> | null };
  const withInit = value as { type?: string; data?: Record<string, unknown>; init?: { status?: number; headers?: Record<string, string> } };
  if (withInit && withInit.type === 'DataWithResponseInit') {
    return { status: withInit.init?.status ?? 200, headers: new Headers(withInit.init?.headers), body: withInit.data ?? null };
  }
  return { status: 200, headers: new Headers(), body: value as Record<string, unknown> };
}

const formErrorsOf = (body: Record<string, unknown> | null) =>
  ((body?.result as { error?: Record<string, string[]> } | undefined)?.error?.[''] ?? []) as string[];

const DAY = 24 * 60 * 60 * 1000;
const ZONE = 'Europe/Oslo';

const quizContent = (attemptsAllowed: number): ActivityContent => ({
  kind: 'quiz',
  intro: 'Check what you *know*.',
  passMarkPercent: 100,
  attemptsAllowed,
  questions: [
    {
      id: 'q-prime',
      prompt: 'Which is a prime?',
      multiple: false,
      choices: [
        { id: 'c4', label: 'Four', correct: false },
        { id: 'c7', label: 'Seven', correct: true },
      ],
    },
    {
      id: 'q-capitals',
      prompt: 'Which are Nordic capitals?',
      multiple: true,
      choices: [
        { id: 'oslo', label: 'Oslo', correct: true },
        { id: 'berlin', label: 'Berlin', correct: false },
        { id: 'helsinki', label: 'Helsinki', correct: true },
      ],
    },
  ],
});
const RIGHT = [
  ['q-q-prime', 'c7'],
  ['q-q-capitals', 'oslo'],
  ['q-q-capitals', 'helsinki'],
] as [string, string][];
const HALF_RIGHT = [
  ['q-q-prime', 'c7'],
  ['q-q-capitals', 'oslo'],
] as [string, string][];

describe('course player', () => {
  let ctx: TestContext;
  let trainerId: string;

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    trainerId = (await createUser(ctx.db, { roles: [{ role: 'trainer' }] })).id;
  });
  afterAll(async () => {
    await ctx?.close();
  });

  interface Course {
    offeringId: string;
    slug: string;
    openModule: string;
    lockedModule: string;
    page: string;
    quiz: string;
    assignment: string;
    optional: string;
    lockedPage: string;
  }

  /**
   * A MOOC running since a week: module 1 open (a page, a quiz, an assignment,
   * an optional page), module 2 opening in a week (a page). Required: page, quiz, assignment.
   */
  async function makeCourse(options: { offering?: Partial<typeof offerings.$inferInsert>; attemptsAllowed?: number } = {}): Promise<Course> {
    const now = Date.now();
    const slug = `player-${randomBytes(4).toString('hex')}`;
    const [offering] = await ctx.db
      .insert(offerings)
      .values({
        slug,
        kind: 'mooc',
        title: `Data in the classroom ${slug}`,
        language: 'en',
        organiserTimeZone: ZONE,
        status: 'published',
        startsAt: new Date(now - 7 * DAY),
        endsAt: new Date(now + 21 * DAY),
        completionDeadline: new Date(now + 35 * DAY),
        ...options.offering,
      })
      .returning({ id: offerings.id });
    const offeringId = offering!.id;
    await ctx.db.insert(offeringTrainers).values({ offeringId, userId: trainerId });
    const [openModule, lockedModule] = await ctx.db
      .insert(modules)
      .values([
        { offeringId, position: 1, title: 'Week 1', releaseAt: new Date(now - 7 * DAY) },
        { offeringId, position: 2, title: 'Week 2', releaseAt: new Date(now + 7 * DAY) },
      ])
      .returning({ id: modules.id });
    const insert = async (moduleId: string, position: number, content: ActivityContent, extra: Partial<typeof activities.$inferInsert> = {}) => {
      const [row] = await ctx.db
        .insert(activities)
        .values({ offeringId, moduleId, position, kind: content.kind, title: `${content.kind} ${position}`, content, ...extra })
        .returning({ id: activities.id });
      return row!.id;
    };
    return {
      offeringId,
      slug,
      openModule: openModule!.id,
      lockedModule: lockedModule!.id,
      page: await insert(openModule!.id, 1, { kind: 'page', body: '## Welcome\n\nThe open page text.', videoUrl: 'https://video.example.org/1' }, { dueAt: new Date(now - DAY) }),
      quiz: await insert(openModule!.id, 2, quizContent(options.attemptsAllowed ?? 3)),
      assignment: await insert(openModule!.id, 3, { kind: 'assignment', prompt: 'Describe one lesson.', submission: 'text' }),
      optional: await insert(openModule!.id, 4, { kind: 'page', body: 'Extra reading', videoUrl: '' }, { required: false }),
      lockedPage: await insert(lockedModule!.id, 1, { kind: 'page', body: 'The locked secret text.', videoUrl: '' }),
    };
  }

  async function participant(course: Course, status: 'enrolled' | 'waitlisted' | 'completed' | 'withdrawn' = 'enrolled', locale: 'en' | 'nb' | 'sv' | 'fi' = 'en') {
    const user = await createUser(ctx.db, { locale });
    await ctx.db.insert(enrolments).values({
      offeringId: course.offeringId,
      userId: user.id,
      status,
      enrolledAt: status === 'waitlisted' ? null : new Date(Date.now() - 6 * DAY),
      waitlistSeq: status === 'waitlisted' ? Math.floor(Math.random() * 1e9) : null,
    });
    return { user, cookie: await signIn(ctx, user.id) };
  }

  const overview = (slug: string, cookie?: string) =>
    outcome(() => overviewLoader({ request: makeRequest(`/learn/${slug}`, { cookie }), context: requestContext(ctx), params: { slug } }));
  const view = (slug: string, activityId: string, cookie?: string) =>
    outcome(() =>
      activityLoader({ request: makeRequest(`/learn/${slug}/activities/${activityId}`, { cookie }), context: requestContext(ctx), params: { slug, activityId } }),
    );
  const post = (slug: string, activityId: string, form: URLSearchParams | Record<string, string>, cookie?: string) =>
    outcome(() =>
      activityAction({
        request: makeRequest(`/learn/${slug}/activities/${activityId}`, { form, cookie }),
        context: requestContext(ctx),
        params: { slug, activityId },
      }),
    );
  const quizForm = (answers: [string, string][]) => new URLSearchParams([['intent', 'quiz'], ...answers]);
  const progressOf = async (userId: string, activityId: string) =>
    (await ctx.db.select().from(activityProgress).where(and(eq(activityProgress.userId, userId), eq(activityProgress.activityId, activityId))))[0];
  const enrolmentOf = async (offeringId: string, userId: string) =>
    (await ctx.db.select().from(enrolments).where(and(eq(enrolments.offeringId, offeringId), eq(enrolments.userId, userId))))[0]!;
  const eventsOf = (enrolmentId: string) => ctx.db.select().from(completionEvents).where(eq(completionEvents.enrolmentId, enrolmentId));

  async function finishAllBut(course: Course, cookie: string, userId: string, skip: 'page' | 'quiz' | 'assignment') {
    if (skip !== 'page') expect((await post(course.slug, course.page, { intent: 'done' }, cookie)).status).toBe(302);
    if (skip !== 'quiz') expect((await post(course.slug, course.quiz, quizForm(RIGHT), cookie)).status).toBe(302);
    if (skip !== 'assignment') {
      expect((await post(course.slug, course.assignment, { intent: 'submit', text: 'Done it' }, cookie)).status).toBe(302);
      const [row] = await ctx.db.select().from(submissions).where(and(eq(submissions.userId, userId), eq(submissions.activityId, course.assignment)));
      const reviewed = await reviewSubmission(ctx, { offeringId: course.offeringId, submissionId: row!.id, reviewerId: trainerId, decision: 'accept', feedback: '' }, new Date());
      expect(reviewed.ok).toBe(true);
    }
  }

  describe('who may open the course', () => {
    it('sends anonymous visitors to sign in and answers 404 to anyone without an active enrolment', async () => {
      const course = await makeCourse();
      const anonymous = await overview(course.slug);
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.get('location')).toBe(`/login?redirectTo=${encodeURIComponent(`/learn/${course.slug}`)}`);

      const stranger = await signIn(ctx, (await createUser(ctx.db)).id);
      expect((await overview(course.slug, stranger)).status).toBe(404);
      expect((await overview('no-such-course', stranger)).status).toBe(404);
      const withdrawn = await participant(course, 'withdrawn');
      expect((await overview(course.slug, withdrawn.cookie)).status).toBe(404);
      // The course's own trainer is not a participant either.
      expect((await overview(course.slug, await signIn(ctx, trainerId))).status).toBe(404);
    });

    it('tells people on the waitlist where they stand instead, without the content', async () => {
      const course = await makeCourse();
      const { cookie } = await participant(course, 'waitlisted');
      const result = await overview(course.slug, cookie);
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ state: 'waitlisted', overview: null, offering: { slug: course.slug } });
      // An activity link sends them back to that message.
      const activity = await view(course.slug, course.page, cookie);
      expect(activity.status).toBe(302);
      expect(activity.headers.get('location')).toBe(`/learn/${course.slug}`);
      expect((await post(course.slug, course.page, { intent: 'done' }, cookie)).status).toBe(404);
    });

    it('shows modules in order, open or locked with their opening time, and each activity with its status', async () => {
      const course = await makeCourse();
      const { cookie } = await participant(course);
      expect((await post(course.slug, course.page, { intent: 'done' }, cookie)).status).toBe(302);
      const result = await overview(course.slug, cookie);
      expect(result.status).toBe(200);
      const data = result.body as { state: string; overview: { phase: string; progress: { done: number; total: number }; modules: { title: string; open: boolean; opensAt: Date | null; activities: { id: string; status: string; required: boolean; overdue: boolean }[] }[] } };
      expect(data.state).toBe('learner');
      expect(data.overview.phase).toBe('running');
      expect(data.overview.progress).toEqual({ done: 1, total: 4 });
      const [week1, week2] = data.overview.modules;
      expect(week1).toMatchObject({ title: 'Week 1', open: true });
      expect(week1!.activities.map((a) => [a.id, a.status, a.required])).toEqual([
        [course.page, 'done', true],
        [course.quiz, 'not-started', true],
        [course.assignment, 'not-started', true],
        [course.optional, 'not-started', false],
      ]);
      // Due yesterday but done: not overdue.
      expect(week1!.activities[0]!.overdue).toBe(false);
      expect(week2).toMatchObject({ title: 'Week 2', open: false });
      expect(week2!.opensAt!.getTime()).toBeGreaterThan(Date.now());
    });
  });

  describe('activities', () => {
    it('refuses a locked module: the page says when it opens and shows none of its content; writes get 403', async () => {
      const course = await makeCourse();
      const { user, cookie } = await participant(course);
      const result = await view(course.slug, course.lockedPage, cookie);
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ page: { locked: true } });
      expect(JSON.stringify(result.body)).not.toContain('locked secret');
      const refused = await post(course.slug, course.lockedPage, { intent: 'done' }, cookie);
      expect(refused.status).toBe(403);
      expect(formErrorsOf(refused.body)).toEqual(['learn.errors.locked']);
      expect(await progressOf(user.id, course.lockedPage)).toBeUndefined();
    });

    it('shows a page with rendered Markdown, marks it started on opening and done on request, once', async () => {
      const course = await makeCourse();
      const { user, cookie } = await participant(course);
      const result = await view(course.slug, course.page, cookie);
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ page: { locked: false, status: 'started', view: { kind: 'page', videoUrl: 'https://video.example.org/1' } } });
      expect((result.body as { page: { view: { html: string } } }).page.view.html).toContain('<h2>Welcome</h2>');
      expect(await progressOf(user.id, course.page)).toMatchObject({ status: 'started' });

      const done = await post(course.slug, course.page, { intent: 'done' }, cookie);
      expect(done.status).toBe(302);
      expect(done.headers.get('location')).toBe(`/learn/${course.slug}/activities/${course.page}`);
      const first = await progressOf(user.id, course.page);
      expect(first).toMatchObject({ status: 'done' });
      // Again: still one row, still the first completion time; opening it again does not undo it.
      expect((await post(course.slug, course.page, { intent: 'done' }, cookie)).status).toBe(302);
      await view(course.slug, course.page, cookie);
      const rows = await ctx.db.select().from(activityProgress).where(and(eq(activityProgress.userId, user.id), eq(activityProgress.activityId, course.page)));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'done', completedAt: first!.completedAt });
    });

    it('answers 404 for malformed ids, activities of other offerings, removed activities and the wrong kind of write', async () => {
      const course = await makeCourse();
      const other = await makeCourse();
      const { cookie } = await participant(course);
      expect((await view(course.slug, 'not-a-uuid', cookie)).status).toBe(404);
      expect((await view(course.slug, randomUUID(), cookie)).status).toBe(404);
      expect((await view(course.slug, other.page, cookie)).status).toBe(404);
      expect((await post(course.slug, other.page, { intent: 'done' }, cookie)).status).toBe(404);
      await ctx.db.update(activities).set({ removedAt: new Date() }).where(eq(activities.id, course.optional));
      expect((await view(course.slug, course.optional, cookie)).status).toBe(404);
      // "Mark as done" on a quiz is not a thing: the quiz is done by passing it.
      expect((await post(course.slug, course.quiz, { intent: 'done' }, cookie)).status).toBe(404);
      expect((await post(course.slug, course.page, { intent: 'explode' }, cookie)).status).toBe(400);
    });
  });

  describe('quizzes', () => {
    it('scores attempts, hides the answers while attempts remain, keeps the best score and enforces the limit', async () => {
      const course = await makeCourse({ attemptsAllowed: 3 });
      const { user, cookie } = await participant(course);
      const quizView = async () => ((await view(course.slug, course.quiz, cookie)).body as { page: { view: Record<string, unknown> } }).page.view;

      const before = await quizView();
      expect(JSON.stringify(before.questions)).not.toContain('correct');

      const first = await post(course.slug, course.quiz, quizForm(HALF_RIGHT), cookie);
      expect(first.status).toBe(302);
      let state = await quizView();
      expect(state).toMatchObject({ attemptsUsed: 1, attemptsLeft: 2, bestScore: 50, passed: false, canAttempt: true, revealed: false });
      expect(state.lastAttempt).toMatchObject({ scorePercent: 50, passed: false });
      const feedback = (state.lastAttempt as { feedback: { questionId: string; correct: boolean; correctChoiceIds: string[] | null }[] }).feedback;
      expect(feedback.map((f) => [f.questionId, f.correct, f.correctChoiceIds])).toEqual([
        ['q-prime', true, null],
        ['q-capitals', false, null],
      ]);
      expect(JSON.stringify(state.questions)).not.toContain('correct');

      // A worse attempt does not lower the best score.
      expect((await post(course.slug, course.quiz, quizForm([['q-q-prime', 'c4']]), cookie)).status).toBe(302);
      expect(await progressOf(user.id, course.quiz)).toMatchObject({ attempts: 2, score: 50, status: 'started' });

      expect((await post(course.slug, course.quiz, quizForm(HALF_RIGHT), cookie)).status).toBe(302);
      state = await quizView();
      // Attempts used up: now the answers may be shown.
      expect(state).toMatchObject({ attemptsUsed: 3, attemptsLeft: 0, canAttempt: false, revealed: true });
      expect((state.lastAttempt as { feedback: { correctChoiceIds: string[] | null }[] }).feedback[1]!.correctChoiceIds).toEqual(['oslo', 'helsinki']);

      const fourth = await post(course.slug, course.quiz, quizForm(RIGHT), cookie);
      expect(fourth.status).toBe(409);
      expect(formErrorsOf(fourth.body)).toEqual(['learn.errors.noAttemptsLeft']);
      expect(await ctx.db.select().from(quizAttempts).where(eq(quizAttempts.userId, user.id))).toHaveLength(3);
    });

    it('marks the quiz done when passed, reveals the answers and refuses further attempts', async () => {
      const course = await makeCourse({ attemptsAllowed: 0 });
      const { user, cookie } = await participant(course);
      expect((await post(course.slug, course.quiz, quizForm(HALF_RIGHT), cookie)).status).toBe(302);
      expect((await post(course.slug, course.quiz, quizForm(RIGHT), cookie)).status).toBe(302);
      expect(await progressOf(user.id, course.quiz)).toMatchObject({ status: 'done', score: 100, attempts: 2 });
      const state = ((await view(course.slug, course.quiz, cookie)).body as { page: { view: Record<string, unknown> } }).page.view;
      expect(state).toMatchObject({ passed: true, revealed: true, canAttempt: false, attemptsLeft: null });
      const again = await post(course.slug, course.quiz, quizForm(RIGHT), cookie);
      expect(again.status).toBe(409);
      expect(formErrorsOf(again.body)).toEqual(['learn.errors.alreadyPassed']);
    });

    it('refuses stale or forged answers and an empty form without using an attempt', async () => {
      const course = await makeCourse({ attemptsAllowed: 1 });
      const { user, cookie } = await participant(course);
      const cases: [[string, string][], number, string][] = [
        [[['q-q-prime', 'oslo']], 409, 'learn.errors.staleQuiz'],
        [[['q-gone', 'c7']], 409, 'learn.errors.staleQuiz'],
        [[['q-q-prime', 'c7'], ['q-q-prime', 'c4']], 409, 'learn.errors.staleQuiz'],
        [[], 400, 'learn.errors.nothingAnswered'],
      ];
      for (const [answers, status, key] of cases) {
        const result = await post(course.slug, course.quiz, quizForm(answers), cookie);
        expect(result.status).toBe(status);
        expect(formErrorsOf(result.body)).toEqual([key]);
      }
      expect((await progressOf(user.id, course.quiz))?.attempts ?? 0).toBe(0);
      expect(await ctx.db.select().from(quizAttempts).where(eq(quizAttempts.userId, user.id))).toHaveLength(0);
    });

    it('offers no attempt at a quiz without questions and refuses a submission: nothing is passed, nothing completes', async () => {
      const course = await makeCourse();
      const { user, cookie } = await participant(course);
      // Everything else required is out of the way, so a passed empty quiz would complete the course.
      await ctx.db.update(activities).set({ removedAt: new Date() }).where(inArray(activities.id, [course.page, course.assignment, course.lockedPage]));
      await ctx.db
        .update(activities)
        .set({ content: { kind: 'quiz', intro: '', passMarkPercent: 0, attemptsAllowed: 0, questions: [] } })
        .where(eq(activities.id, course.quiz));

      const shown = ((await view(course.slug, course.quiz, cookie)).body as { page: { view: Record<string, unknown> } }).page.view;
      expect(shown).toMatchObject({ kind: 'quiz', canAttempt: false, noQuestions: true, passed: false, questions: [] });

      for (const form of [quizForm([]), quizForm(RIGHT)]) {
        const result = await post(course.slug, course.quiz, form, cookie);
        expect(result.status).toBe(409);
        expect(formErrorsOf(result.body)).toEqual(['learn.errors.noQuestions']);
      }
      expect(await ctx.db.select().from(quizAttempts).where(eq(quizAttempts.userId, user.id))).toHaveLength(0);
      expect((await progressOf(user.id, course.quiz))?.status).not.toBe('done');
      expect((await enrolmentOf(course.offeringId, user.id)).status).toBe('enrolled');

      // A quiz with questions says nothing of the kind.
      const other = await makeCourse();
      const { cookie: otherCookie } = await participant(other);
      const normal = ((await view(other.slug, other.quiz, otherCookie)).body as { page: { view: Record<string, unknown> } }).page.view;
      expect(normal).toMatchObject({ canAttempt: true, noQuestions: false });
    });

    it('keeps to the attempt limit when submissions arrive in parallel', async () => {
      const course = await makeCourse({ attemptsAllowed: 2 });
      const { user, cookie } = await participant(course);
      const results = await Promise.all(Array.from({ length: 6 }, () => post(course.slug, course.quiz, quizForm(HALF_RIGHT), cookie)));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([302, 302, 409, 409, 409, 409]);
      expect(await ctx.db.select().from(quizAttempts).where(eq(quizAttempts.userId, user.id))).toHaveLength(2);
      expect(await progressOf(user.id, course.quiz)).toMatchObject({ attempts: 2 });
    });
  });

  describe('assignments', () => {
    it('goes submitted → returned with feedback → resubmitted → accepted, and is done', async () => {
      const course = await makeCourse();
      const { user, cookie } = await participant(course);
      const submit = (text: string) => post(course.slug, course.assignment, { intent: 'submit', text }, cookie);
      const state = async () =>
        ((await view(course.slug, course.assignment, cookie)).body as { page: { status: string; view: { canSubmit: boolean; history: { status: string; feedback: string; bodyHtml: string }[] } } }).page;

      const empty = await submit('   ');
      expect(empty.status).toBe(400);
      expect((await submit('x'.repeat(20_001))).status).toBe(400);
      expect((await post(course.slug, course.assignment, { intent: 'submit', link: 'https://example.org/work' }, cookie)).status).toBe(400);

      expect((await submit('My **first** lesson <script>alert(1)</script>')).status).toBe(302);
      let page = await state();
      expect(page.status).toBe('submitted');
      expect(page.view.canSubmit).toBe(false);
      expect(page.view.history[0]!.bodyHtml).toContain('<strong>first</strong>');
      expect(page.view.history[0]!.bodyHtml).not.toContain('<script');
      const waiting = await submit('Another one');
      expect(waiting.status).toBe(409);
      expect(formErrorsOf(waiting.body)).toEqual(['learn.errors.awaitingReview']);

      const [first] = await ctx.db.select().from(submissions).where(eq(submissions.userId, user.id));
      const returned = await reviewSubmission(ctx, { offeringId: course.offeringId, submissionId: first!.id, reviewerId: trainerId, decision: 'return', feedback: 'Add the learning goals.' }, new Date());
      expect(returned).toMatchObject({ ok: true, completed: false });
      page = await state();
      expect(page.status).toBe('returned');
      expect(page.view.canSubmit).toBe(true);
      expect(page.view.history[0]).toMatchObject({ status: 'returned', feedback: 'Add the learning goals.' });

      expect((await submit('My first lesson, with goals')).status).toBe(302);
      page = await state();
      expect(page.status).toBe('submitted');
      expect(page.view.history.map((h) => h.status)).toEqual(['submitted', 'returned']);

      const second = (await ctx.db.select().from(submissions).where(and(eq(submissions.userId, user.id), eq(submissions.status, 'submitted'))))[0]!;
      expect((await reviewSubmission(ctx, { offeringId: course.offeringId, submissionId: second.id, reviewerId: trainerId, decision: 'accept', feedback: '' }, new Date())).ok).toBe(true);
      page = await state();
      expect(page.status).toBe('done');
      expect(page.view.canSubmit).toBe(false);
      const again = await submit('Once more');
      expect(again.status).toBe(409);
      expect(formErrorsOf(again.body)).toEqual(['learn.errors.alreadyAccepted']);
    });

    it('takes a link for a link assignment, https only', async () => {
      const course = await makeCourse();
      await ctx.db.update(activities).set({ content: { kind: 'assignment', prompt: 'Share a link', submission: 'link' } }).where(eq(activities.id, course.assignment));
      const { user, cookie } = await participant(course);
      const bad = await post(course.slug, course.assignment, { intent: 'submit', link: 'javascript:alert(1)' }, cookie);
      expect(bad.status).toBe(400);
      expect((bad.body as { result: { error: Record<string, string[]> } }).result.error.link).toEqual(['learn.errors.httpsOnly']);
      expect((await post(course.slug, course.assignment, { intent: 'submit', link: 'http://example.org/plain' }, cookie)).status).toBe(400);
      // A text where a link belongs is refused by the domain too.
      expect((await post(course.slug, course.assignment, { intent: 'submit', text: 'words' }, cookie)).status).toBe(400);
      expect((await post(course.slug, course.assignment, { intent: 'submit', link: 'https://padlet.example.org/my-board' }, cookie)).status).toBe(302);
      expect(await ctx.db.select({ link: submissions.link, body: submissions.body }).from(submissions).where(eq(submissions.userId, user.id))).toEqual([
        { link: 'https://padlet.example.org/my-board', body: '' },
      ]);
    });

    it("never shows one participant another's submissions or progress", async () => {
      const course = await makeCourse();
      const alice = await participant(course);
      const bob = await participant(course);
      expect((await post(course.slug, course.assignment, { intent: 'submit', text: 'Alice private answer' }, alice.cookie)).status).toBe(302);
      expect((await post(course.slug, course.page, { intent: 'done' }, alice.cookie)).status).toBe(302);
      const bobs = await view(course.slug, course.assignment, bob.cookie);
      expect(bobs.status).toBe(200);
      expect(JSON.stringify(bobs.body)).not.toContain('Alice private answer');
      expect(bobs.body).toMatchObject({ page: { status: 'started', view: { history: [], canSubmit: true } } });
      const bobsOverview = (await overview(course.slug, bob.cookie)).body as { overview: { progress: { done: number } } };
      expect(bobsOverview.overview.progress.done).toBe(0);
      // A participant of another course gets nothing at these addresses.
      const outsider = await participant(await makeCourse());
      expect((await view(course.slug, course.assignment, outsider.cookie)).status).toBe(404);
      expect((await overview(course.slug, outsider.cookie)).status).toBe(404);
      expect((await post(course.slug, course.assignment, { intent: 'submit', text: 'sneaky' }, outsider.cookie)).status).toBe(404);
    });
  });

  describe('completion', () => {
    it('records the completion once, with a completion event, when the last required activity is done', async () => {
      const course = await makeCourse();
      const { user, cookie } = await participant(course);
      // The locked page of week 2 is required too: take it out, as a trainer would remove it.
      await ctx.db.update(activities).set({ removedAt: new Date() }).where(eq(activities.id, course.lockedPage));
      await finishAllBut(course, cookie, user.id, 'quiz');
      let enrolment = await enrolmentOf(course.offeringId, user.id);
      expect(enrolment).toMatchObject({ status: 'enrolled', completedAt: null });

      // A failed attempt completes nothing.
      expect((await post(course.slug, course.quiz, quizForm(HALF_RIGHT), cookie)).status).toBe(302);
      expect((await enrolmentOf(course.offeringId, user.id)).status).toBe('enrolled');

      const passed = await post(course.slug, course.quiz, quizForm(RIGHT), cookie);
      expect(passed.status).toBe(302);
      enrolment = await enrolmentOf(course.offeringId, user.id);
      expect(enrolment.status).toBe('completed');
      expect(enrolment.completedAt).toBeInstanceOf(Date);
      const events = await eventsOf(enrolment.id);
      expect(events).toHaveLength(1);
      expect(events[0]!.occurredAt.getTime()).toBe(enrolment.completedAt!.getTime());

      // More work afterwards changes nothing about the completion.
      expect((await post(course.slug, course.optional, { intent: 'done' }, cookie)).status).toBe(302);
      const later = await enrolmentOf(course.offeringId, user.id);
      expect(later.completedAt!.getTime()).toBe(enrolment.completedAt!.getTime());
      expect(await eventsOf(enrolment.id)).toHaveLength(1);
      const shown = (await overview(course.slug, cookie)).body as { overview: { completedAt: Date; progress: { done: number; total: number } } };
      expect(shown.overview.progress).toEqual({ done: 3, total: 3 });
      expect(shown.overview.completedAt).toBeInstanceOf(Date);
    });

    it('completes on the acceptance of the last assignment, counting the time it was handed in', async () => {
      const course = await makeCourse();
      const { user, cookie } = await participant(course);
      await ctx.db.update(activities).set({ removedAt: new Date() }).where(eq(activities.id, course.lockedPage));
      await finishAllBut(course, cookie, user.id, 'assignment');
      expect((await post(course.slug, course.assignment, { intent: 'submit', text: 'Late but fine' }, cookie)).status).toBe(302);
      // Handed in two days ago, before the deadline; the deadline passed yesterday while the work waited for the trainer.
      const [row] = await ctx.db.select().from(submissions).where(eq(submissions.userId, user.id));
      await ctx.db.update(submissions).set({ submittedAt: new Date(Date.now() - 2 * DAY) }).where(eq(submissions.id, row!.id));
      await ctx.db.update(offerings).set({ endsAt: new Date(Date.now() - 3 * DAY), completionDeadline: new Date(Date.now() - DAY) }).where(eq(offerings.id, course.offeringId));
      const reviewed = await reviewSubmission(ctx, { offeringId: course.offeringId, submissionId: row!.id, reviewerId: trainerId, decision: 'accept', feedback: 'Good.' }, new Date());
      expect(reviewed).toMatchObject({ ok: true, completed: true });
      const enrolment = await enrolmentOf(course.offeringId, user.id);
      expect(enrolment.status).toBe('completed');
      expect(await eventsOf(enrolment.id)).toHaveLength(1);
    });

    it('does not complete on work handed in after the deadline, even when accepted', async () => {
      const course = await makeCourse();
      const { user, cookie } = await participant(course);
      await ctx.db.update(activities).set({ removedAt: new Date() }).where(eq(activities.id, course.lockedPage));
      await finishAllBut(course, cookie, user.id, 'assignment');
      expect((await post(course.slug, course.assignment, { intent: 'submit', text: 'Just in time?' }, cookie)).status).toBe(302);
      await ctx.db.update(offerings).set({ endsAt: new Date(Date.now() - 3 * DAY), completionDeadline: new Date(Date.now() - DAY) }).where(eq(offerings.id, course.offeringId));
      const [row] = await ctx.db.select().from(submissions).where(eq(submissions.userId, user.id));
      const reviewed = await reviewSubmission(ctx, { offeringId: course.offeringId, submissionId: row!.id, reviewerId: trainerId, decision: 'accept', feedback: '' }, new Date());
      expect(reviewed).toMatchObject({ ok: true, completed: false });
      expect(await progressOf(user.id, course.assignment)).toMatchObject({ status: 'done' });
      expect((await enrolmentOf(course.offeringId, user.id)).status).toBe('enrolled');
    });

    it('records one completion when the last two activities are finished at the same moment', async () => {
      const course = await makeCourse();
      const { user, cookie } = await participant(course);
      // Only two required pages are left: the page and the (now required) optional page.
      await ctx.db.update(activities).set({ removedAt: new Date() }).where(eq(activities.id, course.lockedPage));
      await ctx.db.update(activities).set({ required: true }).where(eq(activities.id, course.optional));
      await finishAllBut(course, cookie, user.id, 'page');
      const results = await Promise.all([
        post(course.slug, course.page, { intent: 'done' }, cookie),
        post(course.slug, course.optional, { intent: 'done' }, cookie),
        post(course.slug, course.page, { intent: 'done' }, cookie),
      ]);
      expect(results.map((r) => r.status)).toEqual([302, 302, 302]);
      const enrolment = await enrolmentOf(course.offeringId, user.id);
      // Each write waits for the one before on the enrolment lock, so the last one sees both and completes.
      expect(enrolment.status).toBe('completed');
      expect(await eventsOf(enrolment.id)).toHaveLength(1);
    });

    it('survives edits of the offering: progress on a removed activity stays, and the rule ignores it', async () => {
      const course = await makeCourse();
      const { user, cookie } = await participant(course);
      expect((await post(course.slug, course.optional, { intent: 'done' }, cookie)).status).toBe(302);
      await ctx.db.update(activities).set({ removedAt: new Date() }).where(eq(activities.id, course.optional));
      expect(await progressOf(user.id, course.optional)).toMatchObject({ status: 'done' });
      const shown = (await overview(course.slug, cookie)).body as { overview: { modules: { activities: { id: string }[] }[] } };
      expect(shown.overview.modules[0]!.activities.map((a) => a.id)).not.toContain(course.optional);
    });
  });

  describe('completion when a trainer changes what is required', () => {
    /** Everything open is done; only the locked page of week 2 (required) is missing. */
    async function allButLockedPage(course: Course) {
      const who = await participant(course);
      await finishAllBut(course, who.cookie, who.user.id, 'page');
      expect((await post(course.slug, course.page, { intent: 'done' }, who.cookie)).status).toBe(302);
      expect((await enrolmentOf(course.offeringId, who.user.id)).status).toBe('enrolled');
      return who;
    }

    async function expectCompletedOnce(course: Course, userId: string) {
      const enrolment = await enrolmentOf(course.offeringId, userId);
      expect(enrolment).toMatchObject({ status: 'completed' });
      expect(enrolment.completedAt).toBeInstanceOf(Date);
      expect(await eventsOf(enrolment.id)).toHaveLength(1);
    }

    it('removing the last missing activity completes everyone who had done the rest, and only them', async () => {
      const course = await makeCourse();
      const ready = await allButLockedPage(course);
      const alsoReady = await allButLockedPage(course);
      const halfway = await participant(course);
      await finishAllBut(course, halfway.cookie, halfway.user.id, 'assignment');
      const waiting = await participant(course, 'waitlisted');

      const removed = await removeActivity(ctx, { actorId: trainerId, offeringId: course.offeringId, activityId: course.lockedPage, confirmed: true }, new Date());
      expect(removed).toEqual({ ok: true, outcome: 'deleted' });
      await expectCompletedOnce(course, ready.user.id);
      await expectCompletedOnce(course, alsoReady.user.id);
      expect((await enrolmentOf(course.offeringId, halfway.user.id)).status).toBe('enrolled');
      expect((await enrolmentOf(course.offeringId, waiting.user.id)).status).toBe('waitlisted');

      // Removing an optional page afterwards records nothing twice.
      expect((await removeActivity(ctx, { actorId: trainerId, offeringId: course.offeringId, activityId: course.optional, confirmed: true }, new Date())).ok).toBe(true);
      await expectCompletedOnce(course, ready.user.id);
    });

    it('removing the module that held the missing piece completes them', async () => {
      const course = await makeCourse();
      const ready = await allButLockedPage(course);
      const removed = await removeModule(ctx, { actorId: trainerId, offeringId: course.offeringId, moduleId: course.lockedModule, confirmed: true }, new Date());
      expect(removed).toEqual({ ok: true, outcome: 'deleted' });
      await expectCompletedOnce(course, ready.user.id);
    });

    it('making the missing activity optional completes them; other edits do not', async () => {
      const course = await makeCourse();
      const ready = await allButLockedPage(course);
      const update = (required: boolean) =>
        updateActivity(
          ctx.db,
          {
            offeringId: course.offeringId,
            activityId: course.lockedPage,
            kind: 'page',
            update: { title: 'Week 2 reading', required, estimatedMinutes: 10, dueAt: null, liveSessionId: null, content: { kind: 'page', body: 'Read', videoUrl: '' } },
          },
          new Date(),
        );
      expect(await update(true)).toEqual({ ok: true });
      expect((await enrolmentOf(course.offeringId, ready.user.id)).status).toBe('enrolled');
      expect(await update(false)).toEqual({ ok: true });
      await expectCompletedOnce(course, ready.user.id);
    });

    it('counts the deadline from when the rest was done, not from the trainer’s change', async () => {
      const course = await makeCourse();
      const ready = await allButLockedPage(course);
      const late = await allButLockedPage(course);
      // One did the work a week ago, the other half a day ago; the deadline passed yesterday; the trainer removes the missing piece today.
      const doneAt = async (userId: string, at: Date) => ctx.db.update(activityProgress).set({ completedAt: at }).where(eq(activityProgress.userId, userId));
      await doneAt(ready.user.id, new Date(Date.now() - 7 * DAY));
      await doneAt(late.user.id, new Date(Date.now() - DAY / 2));
      await ctx.db.update(offerings).set({ endsAt: new Date(Date.now() - 3 * DAY), completionDeadline: new Date(Date.now() - DAY) }).where(eq(offerings.id, course.offeringId));
      expect((await removeActivity(ctx, { actorId: trainerId, offeringId: course.offeringId, activityId: course.lockedPage, confirmed: true }, new Date())).ok).toBe(true);
      await expectCompletedOnce(course, ready.user.id);
      expect((await enrolmentOf(course.offeringId, late.user.id)).status).toBe('enrolled');
    });
  });

  describe('phases', () => {
    it('lets people finish after the course end until the deadline', async () => {
      const now = Date.now();
      const course = await makeCourse({ offering: { startsAt: new Date(now - 40 * DAY), endsAt: new Date(now - 2 * DAY), completionDeadline: new Date(now + 5 * DAY) } });
      const { user, cookie } = await participant(course);
      const shown = (await overview(course.slug, cookie)).body as { overview: { phase: string; readOnly: boolean } };
      expect(shown.overview).toMatchObject({ phase: 'late-completion', readOnly: false });
      expect((await post(course.slug, course.page, { intent: 'done' }, cookie)).status).toBe(302);
      expect(await progressOf(user.id, course.page)).toMatchObject({ status: 'done' });
    });

    it('makes everything read-only after the completion deadline', async () => {
      const now = Date.now();
      const course = await makeCourse({ offering: { startsAt: new Date(now - 60 * DAY), endsAt: new Date(now - 20 * DAY), completionDeadline: new Date(now - DAY) } });
      const { user, cookie } = await participant(course);
      const shown = (await overview(course.slug, cookie)).body as { overview: { phase: string; readOnly: boolean } };
      expect(shown.overview).toMatchObject({ phase: 'closed', readOnly: true });
      const page = await view(course.slug, course.page, cookie);
      expect(page.body).toMatchObject({ page: { readOnly: true, status: 'not-started' } });
      // Reading leaves no trace after the deadline.
      expect(await progressOf(user.id, course.page)).toBeUndefined();
      const quiz = await view(course.slug, course.quiz, cookie);
      expect(quiz.body).toMatchObject({ page: { view: { canAttempt: false } } });
      const assignment = await view(course.slug, course.assignment, cookie);
      expect(assignment.body).toMatchObject({ page: { view: { canSubmit: false } } });

      for (const [activityId, form] of [
        [course.page, { intent: 'done' }],
        [course.quiz, quizForm(RIGHT)],
        [course.assignment, { intent: 'submit', text: 'Too late' }],
      ] as const) {
        const refused = await post(course.slug, activityId, form, cookie);
        expect(refused.status).toBe(403);
        expect(formErrorsOf(refused.body)).toEqual(['learn.errors.readOnly']);
      }
      expect(await ctx.db.select().from(activityProgress).where(eq(activityProgress.userId, user.id))).toHaveLength(0);
      expect(await ctx.db.select().from(submissions).where(eq(submissions.userId, user.id))).toHaveLength(0);
    });

    it('lets a completed participant keep reading and doing optional work', async () => {
      const course = await makeCourse();
      const { cookie } = await participant(course, 'completed');
      expect((await overview(course.slug, cookie)).status).toBe(200);
      expect((await post(course.slug, course.optional, { intent: 'done' }, cookie)).status).toBe(302);
    });
  });
});
