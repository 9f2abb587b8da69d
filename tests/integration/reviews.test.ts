import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderEmail } from '#emails/index';
import { activities, activityProgress, auditLog, completionEvents, enrolments, modules, offerings, offeringTrainers, outboxEmails, submissions } from '#db/schema';
import { action as activityAction } from '~/routes/learn.$slug.activities.$activityId';
import { action as reviewsAction, loader as reviewsLoader } from '~/routes/trainer.offerings.$id.reviews';
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

const DAY = 24 * 60 * 60 * 1000;

type QueueItem = { id: string; participantName: string; activityTitle: string; bodyHtml: string; link: string; submittedAt: Date };

describe('assignment review queue', () => {
  let ctx: TestContext;
  let trainer: { id: string; cookie: string };

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    const user = await createUser(ctx.db, { roles: [{ role: 'trainer' }], timeZone: 'America/New_York' });
    trainer = { id: user.id, cookie: await signIn(ctx, user.id) };
  });
  afterAll(async () => {
    await ctx?.close();
  });

  /** A running MOOC whose only required activity is one text assignment (and an optional one). */
  async function makeCourse() {
    const slug = `review-${randomBytes(4).toString('hex')}`;
    const now = Date.now();
    const [offering] = await ctx.db
      .insert(offerings)
      .values({
        slug,
        kind: 'mooc',
        title: `Formative assessment ${slug}`,
        language: 'en',
        organiserTimeZone: 'Europe/Helsinki',
        status: 'published',
        startsAt: new Date(now - 7 * DAY),
        endsAt: new Date(now + 21 * DAY),
        completionDeadline: new Date(now + 28 * DAY),
      })
      .returning({ id: offerings.id });
    const offeringId = offering!.id;
    await ctx.db.insert(offeringTrainers).values({ offeringId, userId: trainer.id });
    const [module] = await ctx.db.insert(modules).values({ offeringId, position: 1, title: 'Week 1', releaseAt: new Date(now - 7 * DAY) }).returning({ id: modules.id });
    const [assignment, extra] = await ctx.db
      .insert(activities)
      .values([
        { offeringId, moduleId: module!.id, position: 1, kind: 'assignment', title: 'Lesson plan', content: { kind: 'assignment', prompt: 'Plan a lesson', submission: 'text' } },
        { offeringId, moduleId: module!.id, position: 2, kind: 'assignment', title: 'Reflection', required: false, content: { kind: 'assignment', prompt: 'Reflect', submission: 'link' } },
      ])
      .returning({ id: activities.id });
    return { offeringId, slug, assignment: assignment!.id, extra: extra!.id };
  }

  type Course = Awaited<ReturnType<typeof makeCourse>>;

  async function participant(course: Course, overrides: Parameters<typeof createUser>[1] = {}) {
    const user = await createUser(ctx.db, overrides);
    await ctx.db.insert(enrolments).values({ offeringId: course.offeringId, userId: user.id, status: 'enrolled', enrolledAt: new Date(Date.now() - 6 * DAY) });
    return { ...user, cookie: await signIn(ctx, user.id) };
  }

  const submit = (course: Course, cookie: string, form: Record<string, string>, activityId = course.assignment) =>
    outcome(() =>
      activityAction({
        request: makeRequest(`/learn/${course.slug}/activities/${activityId}`, { form: { intent: 'submit', ...form }, cookie }),
        context: requestContext(ctx),
        params: { slug: course.slug, activityId },
      }),
    );
  const queue = (course: Course, cookie?: string) =>
    outcome(() =>
      reviewsLoader({ request: makeRequest(`/trainer/offerings/${course.offeringId}/reviews`, { cookie }), context: requestContext(ctx), params: { id: course.offeringId } }),
    );
  const decide = (course: Course, form: Record<string, string>, cookie = trainer.cookie) =>
    outcome(() =>
      reviewsAction({
        request: makeRequest(`/trainer/offerings/${course.offeringId}/reviews`, { form, cookie }),
        context: requestContext(ctx),
        params: { id: course.offeringId },
      }),
    );
  const itemsOf = (body: Record<string, unknown> | null) => (body as { queue: QueueItem[] }).queue;
  const submissionOf = async (userId: string, activityId: string) =>
    (await ctx.db.select().from(submissions).where(and(eq(submissions.userId, userId), eq(submissions.activityId, activityId))))[0]!;

  it('is open to the offering’s own trainers and admins only', async () => {
    const course = await makeCourse();
    const anonymous = await queue(course);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toMatch(/^\/login\?redirectTo=/);
    const learner = await participant(course);
    expect((await queue(course, learner.cookie)).status).toBe(404);
    const otherTrainer = await createUser(ctx.db, { roles: [{ role: 'trainer' }] });
    expect((await queue(course, await signIn(ctx, otherTrainer.id))).status).toBe(404);
    const nso = await createUser(ctx.db, { roles: [{ role: 'nso', country: 'NO' }] });
    expect((await queue(course, await signIn(ctx, nso.id))).status).toBe(404);
    expect((await queue(course, trainer.cookie)).status).toBe(200);
    const admin = await createUser(ctx.db, { roles: [{ role: 'admin' }] });
    expect((await queue(course, await signIn(ctx, admin.id))).status).toBe(200);
    // Ids that are not offerings.
    const bad = (id: string) => outcome(() => reviewsLoader({ request: makeRequest(`/trainer/offerings/${id}/reviews`, { cookie: trainer.cookie }), context: requestContext(ctx), params: { id } }));
    expect((await bad('not-a-uuid')).status).toBe(404);
    expect((await bad('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    // Nor may a participant decide anything.
    await submit(course, learner.cookie, { text: 'My plan' });
    const row = await submissionOf(learner.id, course.assignment);
    expect((await decide(course, { intent: 'accept', submissionId: row.id }, learner.cookie)).status).toBe(404);
    expect((await submissionOf(learner.id, course.assignment)).status).toBe('submitted');
  });

  it('lists submitted work of this offering, oldest first, rendered safely, without reviewed work', async () => {
    const course = await makeCourse();
    const other = await makeCourse();
    const first = await participant(course, { fullName: 'Aino Aalto' });
    const second = await participant(course, { fullName: 'Bengt Berg' });
    const elsewhere = await participant(other, { fullName: 'Not Here' });
    await submit(course, first.cookie, { text: 'Plan with **bold** <script>x()</script>' });
    await submit(course, second.cookie, { link: 'https://docs.example.org/plan' }, course.extra);
    await submit(other, elsewhere.cookie, { text: 'Other course' });
    // Make the order unambiguous.
    await ctx.db.update(submissions).set({ submittedAt: new Date(Date.now() - 60_000) }).where(eq(submissions.userId, first.id));

    const items = itemsOf((await queue(course, trainer.cookie)).body);
    expect(items.map((i) => [i.participantName, i.activityTitle])).toEqual([
      ['Aino Aalto', 'Lesson plan'],
      ['Bengt Berg', 'Reflection'],
    ]);
    expect(items[0]!.bodyHtml).toContain('<strong>bold</strong>');
    expect(items[0]!.bodyHtml).not.toContain('<script');
    expect(items[1]!.link).toBe('https://docs.example.org/plan');

    const row = await submissionOf(first.id, course.assignment);
    expect((await decide(course, { intent: 'accept', submissionId: row.id })).status).toBe(302);
    expect(itemsOf((await queue(course, trainer.cookie)).body).map((i) => i.participantName)).toEqual(['Bengt Berg']);
  });

  it('returns work only with feedback, emails the participant in their language and audits the decision', async () => {
    const course = await makeCourse();
    const learner = await participant(course, { locale: 'fi', fullName: 'Aino Aalto' });
    await submit(course, learner.cookie, { text: 'Draft' });
    const row = await submissionOf(learner.id, course.assignment);

    const withoutFeedback = await decide(course, { intent: 'return', submissionId: row.id, feedback: '   ' });
    expect(withoutFeedback.status).toBe(400);
    expect((withoutFeedback.body as { result: { error: Record<string, string[]> } }).result.error.feedback).toEqual(['review.errors.feedbackRequired']);
    expect((await submissionOf(learner.id, course.assignment)).status).toBe('submitted');

    const returned = await decide(course, { intent: 'return', submissionId: row.id, feedback: 'Lisää tavoitteet, kiitos.' });
    expect(returned.status).toBe(302);
    expect(await submissionOf(learner.id, course.assignment)).toMatchObject({ status: 'returned', feedback: 'Lisää tavoitteet, kiitos.', reviewedBy: trainer.id });
    const [progress] = await ctx.db.select().from(activityProgress).where(and(eq(activityProgress.userId, learner.id), eq(activityProgress.activityId, course.assignment)));
    expect(progress).toMatchObject({ status: 'returned' });

    const mails = await ctx.db.select().from(outboxEmails).where(and(eq(outboxEmails.toAddress, learner.email), eq(outboxEmails.template, 'assignment-reviewed')));
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ locale: 'fi', subject: 'Tehtäväsi kaipaa vielä työstämistä: Lesson plan' });
    expect(mails[0]!.text).toContain('Lisää tavoitteet, kiitos.');
    expect(mails[0]!.text).toContain(`/learn/${course.slug}/activities/${course.assignment}`);

    const audit = await ctx.db.select().from(auditLog).where(eq(auditLog.subjectId, row.id));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'submission.returned', actorId: trainer.id, reason: 'Lisää tavoitteet, kiitos.' });

    // Decided once: a second decision on the same submission is refused.
    const again = await decide(course, { intent: 'accept', submissionId: row.id });
    expect(again.status).toBe(409);
    expect((again.body as { result: { error: Record<string, string[]> } }).result.error['']).toEqual(['review.errors.alreadyReviewed']);
  });

  it('accepts work: the activity is done, the course completes once, and the participant is emailed', async () => {
    const course = await makeCourse();
    const learner = await participant(course, { locale: 'sv' });
    await submit(course, learner.cookie, { text: 'Final plan' });
    const row = await submissionOf(learner.id, course.assignment);
    const accepted = await decide(course, { intent: 'accept', submissionId: row.id, feedback: 'Bra jobbat!' });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get('location')).toBe(`/trainer/offerings/${course.offeringId}/reviews`);
    const [progress] = await ctx.db.select().from(activityProgress).where(and(eq(activityProgress.userId, learner.id), eq(activityProgress.activityId, course.assignment)));
    expect(progress).toMatchObject({ status: 'done' });
    const [enrolment] = await ctx.db.select().from(enrolments).where(and(eq(enrolments.offeringId, course.offeringId), eq(enrolments.userId, learner.id)));
    expect(enrolment).toMatchObject({ status: 'completed' });
    expect(await ctx.db.select().from(completionEvents).where(eq(completionEvents.enrolmentId, enrolment!.id))).toHaveLength(1);
    const [mail] = await ctx.db.select().from(outboxEmails).where(and(eq(outboxEmails.toAddress, learner.email), eq(outboxEmails.template, 'assignment-reviewed')));
    expect(mail).toMatchObject({ locale: 'sv', subject: 'Din uppgift är godkänd: Lesson plan' });
    expect(mail!.text).toContain('Bra jobbat!');
    expect((await ctx.db.select().from(auditLog).where(eq(auditLog.subjectId, row.id)))[0]).toMatchObject({ action: 'submission.accepted' });
  });

  it('answers 404 for submissions of another offering and malformed ids, and 400 for an unknown decision', async () => {
    const course = await makeCourse();
    const other = await makeCourse();
    const learner = await participant(other);
    await submit(other, learner.cookie, { text: 'Elsewhere' });
    const foreign = await submissionOf(learner.id, other.assignment);
    // This trainer runs both, but the URL names the first: the submission is not there.
    expect((await decide(course, { intent: 'accept', submissionId: foreign.id })).status).toBe(404);
    expect((await decide(course, { intent: 'accept', submissionId: 'not-a-uuid' })).status).toBe(404);
    expect((await decide(other, { intent: 'approve', submissionId: foreign.id })).status).toBe(400);
    expect((await submissionOf(learner.id, other.assignment)).status).toBe('submitted');
  });

  it('decides a submission once when two trainers press at the same moment', async () => {
    const course = await makeCourse();
    const second = await createUser(ctx.db, { roles: [{ role: 'trainer' }] });
    await ctx.db.insert(offeringTrainers).values({ offeringId: course.offeringId, userId: second.id });
    const learner = await participant(course);
    await submit(course, learner.cookie, { text: 'Race' });
    const row = await submissionOf(learner.id, course.assignment);
    const results = await Promise.all([
      decide(course, { intent: 'accept', submissionId: row.id }),
      decide(course, { intent: 'return', submissionId: row.id, feedback: 'No' }, await signIn(ctx, second.id)),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([302, 409]);
    expect(await ctx.db.select().from(outboxEmails).where(and(eq(outboxEmails.toAddress, learner.email), eq(outboxEmails.template, 'assignment-reviewed')))).toHaveLength(1);
    expect(await ctx.db.select().from(auditLog).where(eq(auditLog.subjectId, row.id))).toHaveLength(1);
  });
});

describe('the assignment-reviewed email', () => {
  const site = { appUrl: 'https://kollega.example.org', organisationName: 'Kollega' };
  const base = { name: 'Aino', offeringTitle: 'Formative assessment', activityTitle: 'Lesson <plan>', url: 'https://kollega.example.org/learn/x/activities/y' };

  it('says accepted or returned in every language, with the feedback when there is some', () => {
    for (const locale of ['en', 'nb', 'sv', 'fi'] as const) {
      const accepted = renderEmail('assignment-reviewed', locale, { ...base, accepted: true, feedback: '' }, site);
      const returned = renderEmail('assignment-reviewed', locale, { ...base, accepted: false, feedback: 'Add <goals> & aims' }, site);
      expect(accepted.subject).not.toBe(returned.subject);
      expect(accepted.subject).toContain('Lesson <plan>');
      expect(returned.text).toContain('Add <goals> & aims');
      expect(returned.html).toContain('Add &lt;goals&gt; &amp; aims');
      expect(accepted.text).toContain(base.url);
      expect(accepted.html).not.toContain('<plan>');
    }
    const subjects = (['en', 'nb', 'sv', 'fi'] as const).map((locale) => renderEmail('assignment-reviewed', locale, { ...base, accepted: false, feedback: 'x' }, site).subject);
    expect(new Set(subjects).size).toBe(4);
  });
});
