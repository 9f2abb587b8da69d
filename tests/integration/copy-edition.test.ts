import type { AppLoadContext } from '@remix-run/node';
import { asc, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activities, auditLog, liveSessions, modules, offeringTrainers, offerings, type ActivityContent } from '#db/schema';
import { copyAsNewEdition, newEditionTitle, shiftInZone } from '~/modules/offerings/authoring-copy.server';
import { action as copyAction, loader as copyLoader } from '~/routes/trainer.offerings.$id.copy';
import { createTestContext, recordingJobQueue, type TestContext } from '../support/context';
import { createUser, signIn } from '../support/factories';
import { makeRequest, requestContext } from '../support/requests';

const ZONE = 'Europe/Oslo';
const oslo = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toJSDate();
const local = (d: Date | null, zone = ZONE) => (d ? DateTime.fromJSDate(d, { zone }).toFormat("yyyy-MM-dd'T'HH:mm") : null);

const quiz: ActivityContent = {
  kind: 'quiz',
  intro: 'Check yourself',
  passMarkPercent: 70,
  attemptsAllowed: 3,
  questions: [
    {
      id: 'q1',
      prompt: 'Which tool?',
      multiple: false,
      choices: [
        { id: 'c1', label: 'A', correct: true },
        { id: 'c2', label: 'B', correct: false },
      ],
    },
    { id: 'q2', prompt: 'Pick two', multiple: true, choices: [{ id: 'c3', label: 'X', correct: true }] },
  ],
};

describe('copy as new edition', () => {
  let ctx: TestContext;
  let trainer: { id: string; cookie: string };
  let coTrainer: { id: string };
  let sourceId: string;

  /** Everything of an offering, ids included, for before/after comparison. */
  async function snapshot(offeringId: string) {
    const [offering] = await ctx.db.select().from(offerings).where(eq(offerings.id, offeringId));
    return {
      offering,
      trainers: await ctx.db.select().from(offeringTrainers).where(eq(offeringTrainers.offeringId, offeringId)).orderBy(asc(offeringTrainers.position)),
      modules: await ctx.db.select().from(modules).where(eq(modules.offeringId, offeringId)).orderBy(asc(modules.position)),
      activities: await ctx.db.select().from(activities).where(eq(activities.offeringId, offeringId)).orderBy(asc(activities.position)),
      sessions: await ctx.db.select().from(liveSessions).where(eq(liveSessions.offeringId, offeringId)).orderBy(asc(liveSessions.startsAt)),
    };
  }

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    const user = await createUser(ctx.db, { roles: [{ role: 'trainer' }], locale: 'en' });
    trainer = { id: user.id, cookie: await signIn(ctx, user.id) };
    coTrainer = await createUser(ctx.db, { roles: [{ role: 'trainer' }] });

    // A published MOOC in winter time whose last weeks run into summer time (29 March 2026).
    const [source] = await ctx.db
      .insert(offerings)
      .values({
        slug: 'digital-tools-2026',
        kind: 'mooc',
        title: 'Digital tools 2026',
        summary: 'Six weeks',
        language: 'en',
        topics: ['digital tools'],
        targetAudiences: ['primary'],
        expectedMinutes: 900,
        organiserTimeZone: ZONE,
        enrolmentOpensAt: oslo('2026-02-01T09:00'),
        enrolmentClosesAt: oslo('2026-03-02T09:00'),
        startsAt: oslo('2026-03-02T09:00'),
        endsAt: oslo('2026-04-13T09:00'),
        completionDeadline: oslo('2026-04-27T23:59'),
        capacity: 100,
        seatsTaken: 42,
        status: 'published',
        publishedAt: new Date('2026-01-15T10:00:00Z'),
        pacingMode: 'cohort',
        searchText: 'digital tools 2026 six weeks digital tools',
      })
      .returning();
    sourceId = source!.id;
    await ctx.db.insert(offeringTrainers).values([
      { offeringId: sourceId, userId: trainer.id, position: 0 },
      { offeringId: sourceId, userId: coTrainer.id, position: 1 },
    ]);
    const [week1, week4] = await ctx.db
      .insert(modules)
      .values([
        { offeringId: sourceId, position: 0, title: 'Week 1', releaseAt: oslo('2026-03-02T09:00') },
        { offeringId: sourceId, position: 1, title: 'Week 4', releaseAt: oslo('2026-03-30T09:00') },
      ])
      .returning();
    const [webinar] = await ctx.db
      .insert(liveSessions)
      .values([
        {
          offeringId: sourceId,
          title: 'Kick-off',
          startsAt: oslo('2026-03-26T18:00'),
          organiserTimeZone: ZONE,
          durationMinutes: 60,
          joinUrl: 'https://meet.example.org/k',
          sequence: 3,
        },
        {
          offeringId: sourceId,
          title: 'Cancelled',
          startsAt: oslo('2026-03-10T18:00'),
          organiserTimeZone: ZONE,
          cancelledAt: new Date('2026-03-01T00:00:00Z'),
        },
        // Entered by a co-organiser in New York, whose clocks change on 8 March.
        {
          offeringId: sourceId,
          title: 'Americas Q&A',
          startsAt: DateTime.fromISO('2026-03-05T12:00', { zone: 'America/New_York' }).toJSDate(),
          organiserTimeZone: 'America/New_York',
        },
      ])
      .returning();
    await ctx.db.insert(activities).values([
      {
        offeringId: sourceId,
        moduleId: week1!.id,
        position: 0,
        kind: 'page',
        title: 'Welcome',
        required: true,
        content: { kind: 'page', body: 'Hi', videoUrl: '' },
      },
      { offeringId: sourceId, moduleId: week1!.id, position: 1, kind: 'quiz', title: 'Quiz 1', required: true, dueAt: oslo('2026-03-29T03:30'), content: quiz },
      {
        offeringId: sourceId,
        moduleId: week4!.id,
        position: 0,
        kind: 'assignment',
        title: 'Lesson plan',
        required: true,
        dueAt: oslo('2026-04-05T23:59'),
        content: { kind: 'assignment', prompt: 'Share a plan', submission: 'link' },
      },
      {
        offeringId: sourceId,
        moduleId: week4!.id,
        position: 1,
        kind: 'live_session',
        title: 'Join the kick-off',
        required: false,
        liveSessionId: webinar!.id,
        content: { kind: 'live_session' },
      },
      {
        offeringId: sourceId,
        moduleId: week4!.id,
        position: 2,
        kind: 'page',
        title: 'Removed',
        required: true,
        removedAt: new Date(),
        content: { kind: 'page', body: '', videoUrl: '' },
      },
    ]);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('copies the structure with every date moved 13 weeks on the Oslo calendar, 09:00 staying 09:00 into summer time', async () => {
    const before = await snapshot(sourceId);
    const outcome = await copyAsNewEdition(ctx, { sourceId, actorId: trainer.id, gapDays: 91, titleSuffix: ' (copy)' }, new Date());
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const copy = await snapshot(outcome.id);

    // The source is untouched.
    expect(await snapshot(sourceId)).toEqual(before);

    expect(copy.offering).toMatchObject({
      title: 'Digital tools 2026 (copy)',
      slug: 'digital-tools-2026-copy',
      status: 'draft',
      publishedAt: null,
      seatsTaken: 0,
      capacity: 100,
      previousEditionId: sourceId,
      createdBy: trainer.id,
      kind: 'mooc',
      topics: ['digital tools'],
      expectedMinutes: 900,
    });
    expect(copy.offering!.searchText).toContain('copy');
    const o = copy.offering!;
    expect([o.enrolmentOpensAt, o.enrolmentClosesAt, o.startsAt, o.endsAt, o.completionDeadline].map((d) => local(d))).toEqual([
      '2026-05-03T09:00',
      '2026-06-01T09:00',
      '2026-06-01T09:00',
      '2026-07-13T09:00',
      '2026-07-27T23:59',
    ]);
    // Winter 08:00 UTC became summer 07:00 UTC: the same local time, not the same 24-hour count.
    expect(before.offering!.startsAt!.toISOString()).toBe('2026-03-02T08:00:00.000Z');
    expect(o.startsAt!.toISOString()).toBe('2026-06-01T07:00:00.000Z');

    expect(copy.trainers.map((t) => [t.userId, t.position])).toEqual([
      [trainer.id, 0],
      [coTrainer.id, 1],
    ]);

    expect(copy.modules.map((m) => [m.title, local(m.releaseAt)])).toEqual([
      ['Week 1', '2026-06-01T09:00'],
      ['Week 4', '2026-06-29T09:00'],
    ]);

    // Cancelled sessions stay behind; each session moves on the calendar it was entered in.
    expect(copy.sessions.map((s) => [s.title, local(s.startsAt, s.organiserTimeZone), s.organiserTimeZone, s.sequence, s.joinUrl])).toEqual([
      ['Americas Q&A', '2026-06-04T12:00', 'America/New_York', 0, ''],
      ['Kick-off', '2026-06-25T18:00', ZONE, 0, 'https://meet.example.org/k'],
    ]);

    // Removed activities stay behind; the others point at the copied modules and sessions.
    const moduleIds = new Map(copy.modules.map((m, i) => [before.modules[i]!.id, m.id]));
    const kickOff = copy.sessions.find((s) => s.title === 'Kick-off')!;
    expect(copy.activities.map((a) => a.title).sort()).toEqual(['Join the kick-off', 'Lesson plan', 'Quiz 1', 'Welcome']);
    for (const a of copy.activities) {
      const original = before.activities.find((b) => b.title === a.title)!;
      expect(a.moduleId).toBe(moduleIds.get(original.moduleId!));
      expect(local(a.dueAt)).toBe(original.dueAt ? local(shiftInZone(original.dueAt, 91, ZONE)) : null);
    }
    expect(local(copy.activities.find((a) => a.title === 'Quiz 1')!.dueAt)).toBe('2026-06-28T03:30');
    expect(copy.activities.find((a) => a.title === 'Join the kick-off')!.liveSessionId).toBe(kickOff.id);

    // The quiz is the same quiz under new ids.
    const copiedQuiz = copy.activities.find((a) => a.title === 'Quiz 1')!.content;
    if (copiedQuiz.kind !== 'quiz' || quiz.kind !== 'quiz') throw new Error('not a quiz');
    expect(copiedQuiz.questions.map((q) => [q.prompt, q.multiple, q.choices.map((c) => [c.label, c.correct])])).toEqual(
      quiz.questions.map((q) => [q.prompt, q.multiple, q.choices.map((c) => [c.label, c.correct])]),
    );
    expect({ ...copiedQuiz, questions: [] }).toEqual({ ...quiz, questions: [] });
    const oldQuizIds = quiz.questions.flatMap((q) => [q.id, ...q.choices.map((c) => c.id)]);
    const newQuizIds = copiedQuiz.questions.flatMap((q) => [q.id, ...q.choices.map((c) => c.id)]);
    expect(new Set(newQuizIds).size).toBe(newQuizIds.length);
    expect(newQuizIds.filter((id) => oldQuizIds.includes(id))).toEqual([]);

    // Nothing is shared: every row id is new.
    const ids = (s: Awaited<ReturnType<typeof snapshot>>) => [
      s.offering!.id,
      ...s.modules.map((m) => m.id),
      ...s.activities.map((a) => a.id),
      ...s.sessions.map((x) => x.id),
    ];
    expect(ids(copy).filter((id) => ids(before).includes(id))).toEqual([]);

    const audit = await ctx.db.select().from(auditLog).where(eq(auditLog.subjectId, outcome.id));
    expect(audit).toMatchObject([{ action: 'offering.copied', actorId: trainer.id, details: { from: sourceId, gapDays: 91 } }]);
  });

  it('through the page: a new start date a year on takes the new year into the title and keeps the weekday times', async () => {
    const page = await copyAction({
      request: makeRequest(`/trainer/offerings/${sourceId}/copy`, { cookie: trainer.cookie, form: { shiftBy: 'start', startDate: '2027-03-01' } }),
      context: requestContext(ctx) as AppLoadContext,
      params: { id: sourceId },
    }).catch((thrown: unknown) => thrown);
    expect(page).toBeInstanceOf(Response);
    const location = (page as Response).headers.get('location')!;
    const newId = location.split('/').pop()!;
    const copy = await snapshot(newId);
    expect(copy.offering).toMatchObject({ title: 'Digital tools 2027', slug: 'digital-tools-2027', status: 'draft', previousEditionId: sourceId });
    expect(local(copy.offering!.startsAt)).toBe('2027-03-01T09:00');
    expect(local(copy.offering!.endsAt)).toBe('2027-04-12T09:00');
    // 2027's change is on 28 March: a date after it keeps its local time too.
    expect(local(copy.activities.find((a) => a.title === 'Quiz 1')!.dueAt)).toBe('2027-03-28T03:30');
    expect(copy.modules.map((m) => local(m.releaseAt))).toEqual(['2027-03-01T09:00', '2027-03-29T09:00']);
  });

  it('proposes the same weekday a year later on the form', async () => {
    const result = (await copyLoader({
      request: makeRequest(`/trainer/offerings/${sourceId}/copy`, { cookie: trainer.cookie }),
      context: requestContext(ctx) as AppLoadContext,
      params: { id: sourceId },
    })) as { defaults: Record<string, string> };
    expect(result.defaults).toMatchObject({ shiftBy: 'start', startDate: '2027-03-01' });
  });

  it('gives copies of copies their own slugs', async () => {
    const a = await copyAsNewEdition(ctx, { sourceId, actorId: trainer.id, gapDays: 7, titleSuffix: ' (copy)' }, new Date());
    const b = await copyAsNewEdition(ctx, { sourceId, actorId: trainer.id, gapDays: 7, titleSuffix: ' (copy)' }, new Date());
    if (!a.ok || !b.ok) throw new Error('copy failed');
    expect(a.slug).not.toBe(b.slug);
    expect(b.slug).toMatch(/^digital-tools-2026-copy-\d+$/);
  });

  it('answers not-found for an offering that does not exist', async () => {
    expect(
      await copyAsNewEdition(ctx, { sourceId: '3f1e9a7c-0000-4000-8000-000000000000', actorId: trainer.id, gapDays: 7, titleSuffix: '' }, new Date()),
    ).toEqual({
      ok: false,
      reason: 'not-found',
    });
  });
});

describe('newEditionTitle', () => {
  it.each([
    ['Digital tools 2026', 2026, 2027, 'Digital tools 2027'],
    ['2026: a year of tools (2026 edition)', 2026, 2027, '2027: a year of tools (2027 edition)'],
    ['Digital tools', 2026, 2027, 'Digital tools (copy)'],
    ['Digital tools 2026', 2026, 2026, 'Digital tools 2026 (copy)'],
    ['Room 120265', 2026, 2027, 'Room 120265 (copy)'],
    ['Undated', null, null, 'Undated (copy)'],
  ])('%j (%s → %s) becomes %j', (title, from, to, expected) => {
    expect(newEditionTitle(title, from, to, ' (copy)')).toBe(expected);
  });

  it('stays within the title limit', () => {
    expect(newEditionTitle('x'.repeat(200), null, null, ' (copy)')).toHaveLength(200);
  });
});
