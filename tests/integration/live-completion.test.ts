import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activities, activityProgress, completionEvents, enrolments, liveSessions, modules, offerings, offeringTrainers, sessionAttendance, sessionJoins } from '#db/schema';
import { QUEUES } from '~/modules/jobs/jobs.server';
import { evaluateCompletion, lockEnrolment } from '~/modules/learning/completion.server';
import { markPageDone } from '~/modules/learning/player.server';
import { markAttendance, sessionOfOffering } from '~/modules/live/attendance-admin.server';
import { evaluateEndedSession, sweepEndedSessions } from '~/modules/live/session-end.server';
import { addLiveSession, updateLiveSession } from '~/modules/offerings/sessions.server';
import { createTestContext, recordingJobQueue, type TestContext } from '../support/context';
import { createUser } from '../support/factories';

const MIN = 60_000;
const HOUR = 60 * MIN;
const ZONE = 'Europe/Oslo';
type Kind = 'webinar' | 'webinar_series' | 'online_event' | 'mooc';

describe('completion of the live kinds', () => {
  let ctx: TestContext & { jobs: ReturnType<typeof recordingJobQueue> };
  let trainerId: string;

  beforeAll(async () => {
    ctx = (await createTestContext({ jobs: recordingJobQueue() })) as typeof ctx;
    trainerId = (await createUser(ctx.db, { roles: [{ role: 'trainer' }] })).id;
  });
  afterAll(async () => {
    await ctx?.close();
  });

  /** An offering with sessions starting at the given instants (60 minutes each) and one enrolled participant. */
  async function offering(kind: Kind, starts: Date[], options: { requiredSessions?: number; cancelled?: number[] } = {}) {
    const slug = `live-${randomBytes(4).toString('hex')}`;
    const [row] = await ctx.db
      .insert(offerings)
      .values({ slug, kind, title: `Live ${slug}`, language: 'en', organiserTimeZone: ZONE, status: 'published', requiredSessions: options.requiredSessions ?? 1 })
      .returning({ id: offerings.id });
    const offeringId = row!.id;
    await ctx.db.insert(offeringTrainers).values({ offeringId, userId: trainerId });
    const sessionIds: string[] = [];
    for (const [i, startsAt] of starts.entries()) {
      const [s] = await ctx.db
        .insert(liveSessions)
        .values({
          offeringId,
          title: `Session ${i + 1}`,
          startsAt,
          organiserTimeZone: ZONE,
          durationMinutes: 60,
          joinUrl: 'https://meet.example.org/x',
          cancelledAt: options.cancelled?.includes(i) ? new Date(startsAt.getTime() - HOUR) : null,
        })
        .returning({ id: liveSessions.id });
      sessionIds.push(s!.id);
    }
    const user = await createUser(ctx.db);
    const [enrolment] = await ctx.db.insert(enrolments).values({ offeringId, userId: user.id, status: 'enrolled', enrolledAt: new Date() }).returning();
    return { offeringId, sessionIds, userId: user.id, enrolmentId: enrolment!.id };
  }

  async function participant(offeringId: string) {
    const user = await createUser(ctx.db);
    const [enrolment] = await ctx.db.insert(enrolments).values({ offeringId, userId: user.id, status: 'enrolled', enrolledAt: new Date() }).returning();
    return { userId: user.id, enrolmentId: enrolment!.id };
  }

  async function loosePage(offeringId: string) {
    const [a] = await ctx.db
      .insert(activities)
      .values({ offeringId, moduleId: null, position: 1, kind: 'page', title: 'Try it in class', required: true, content: { kind: 'page', body: 'Between the webinars', videoUrl: '' } })
      .returning({ id: activities.id });
    return a!.id;
  }

  const status = async (enrolmentId: string) => (await ctx.db.select().from(enrolments).where(eq(enrolments.id, enrolmentId)))[0]!.status;
  const events = (enrolmentId: string) => ctx.db.select().from(completionEvents).where(eq(completionEvents.enrolmentId, enrolmentId));
  const mark = async (offeringId: string, sessionId: string, userId: string, now: Date, value: 'attended' | 'not-attended' = 'attended') =>
    markAttendance(ctx, { session: (await sessionOfOffering(ctx.db, offeringId, sessionId))!, userId, value, reason: 'Seen on camera', actorId: trainerId }, now);

  it('webinar: a tracked join completes at the session’s end, once; a late joiner below the threshold does not', async () => {
    const start = new Date(Date.now() - 3 * HOUR);
    const w = await offering('webinar', [start]);
    const late = await participant(w.offeringId);
    await ctx.db.insert(sessionJoins).values([
      { sessionId: w.sessionIds[0]!, userId: w.userId, joinedAt: new Date(start.getTime() + 2 * MIN) },
      { sessionId: w.sessionIds[0]!, userId: late.userId, joinedAt: new Date(start.getTime() + 20 * MIN) },
    ]);
    // Before the end the job does nothing: joins still count only the time so far.
    expect(await evaluateEndedSession(ctx, w.sessionIds[0]!, new Date(start.getTime() + 30 * MIN))).toBe(0);
    expect(await status(w.enrolmentId)).toBe('enrolled');

    expect(await evaluateEndedSession(ctx, w.sessionIds[0]!, new Date(start.getTime() + 61 * MIN))).toBe(1);
    expect(await evaluateEndedSession(ctx, w.sessionIds[0]!, new Date(start.getTime() + 62 * MIN))).toBe(0);
    expect(await status(w.enrolmentId)).toBe('completed');
    expect(await events(w.enrolmentId)).toHaveLength(1);
    expect(await status(late.enrolmentId)).toBe('enrolled');
  });

  it('webinar: a rejoin late in the session completes at the join itself once the time so far is enough', async () => {
    const start = new Date(Date.now() - 3 * HOUR);
    const w = await offering('webinar', [start]);
    await ctx.db.insert(sessionJoins).values({ sessionId: w.sessionIds[0]!, userId: w.userId, joinedAt: start });
    const at50 = new Date(start.getTime() + 50 * MIN);
    const completed = await ctx.db.transaction(async (tx) => evaluateCompletion(tx, (await lockEnrolment(tx, w.offeringId, w.userId))!, at50));
    expect(completed).toBe(true);
  });

  for (const order of [
    ['s1', 'task', 's2'],
    ['task', 's2', 's1'],
    ['s2', 's1', 'task'],
  ] as const) {
    it(`webinar series: both sessions and the linking activity, in the order ${order.join(', ')}`, async () => {
      const now = new Date();
      const series = await offering('webinar_series', [new Date(now.getTime() - 10 * 24 * HOUR), new Date(now.getTime() - 2 * HOUR)]);
      const task = await loosePage(series.offeringId);
      for (const [i, step] of order.entries()) {
        const completedHere =
          step === 'task'
            ? await markPageDone(ctx.db, { offeringId: series.offeringId, userId: series.userId, activityId: task }, now).then((r) => r.ok && r.completed)
            : await mark(series.offeringId, series.sessionIds[step === 's1' ? 0 : 1]!, series.userId, now).then((r) => r.ok && r.completed);
        expect(completedHere).toBe(i === order.length - 1);
        expect(await status(series.enrolmentId)).toBe(i === order.length - 1 ? 'completed' : 'enrolled');
      }
      expect(await events(series.enrolmentId)).toHaveLength(1);
    });
  }

  it('webinar series with a cancelled webinar: the other one and the linking activity complete it', async () => {
    const now = new Date();
    const series = await offering('webinar_series', [new Date(now.getTime() - 10 * 24 * HOUR), new Date(now.getTime() - 2 * HOUR)], { cancelled: [0] });
    const task = await loosePage(series.offeringId);
    expect((await markPageDone(ctx.db, { offeringId: series.offeringId, userId: series.userId, activityId: task }, now)).ok).toBe(true);
    expect(await status(series.enrolmentId)).toBe('enrolled');
    expect(await mark(series.offeringId, series.sessionIds[1]!, series.userId, now)).toEqual({ ok: true, completed: true });
  });

  it('online event: at least N sessions attended; a marking of not attended does not count', async () => {
    const now = new Date();
    const base = now.getTime() - 5 * HOUR;
    const event = await offering('online_event', [new Date(base), new Date(base + HOUR), new Date(base + 2 * HOUR)], { requiredSessions: 2 });
    expect(await mark(event.offeringId, event.sessionIds[0]!, event.userId, now)).toEqual({ ok: true, completed: false });
    expect(await mark(event.offeringId, event.sessionIds[1]!, event.userId, now, 'not-attended')).toEqual({ ok: true, completed: false });
    expect(await mark(event.offeringId, event.sessionIds[2]!, event.userId, now)).toEqual({ ok: true, completed: true });
    expect(await events(event.enrolmentId)).toHaveLength(1);

    // N larger than the sessions left after a cancellation asks for those left.
    const shrunk = await offering('online_event', [new Date(base), new Date(base + HOUR)], { requiredSessions: 2, cancelled: [1] });
    expect(await mark(shrunk.offeringId, shrunk.sessionIds[0]!, shrunk.userId, now)).toEqual({ ok: true, completed: true });
  });

  it('MOOC: a live-session activity counts as done once its session was attended', async () => {
    const now = new Date();
    const mooc = await offering('mooc', [new Date(now.getTime() - 2 * HOUR)]);
    const [module] = await ctx.db.insert(modules).values({ offeringId: mooc.offeringId, position: 1, title: 'Week 1', releaseAt: new Date(now.getTime() - 7 * 24 * HOUR) }).returning({ id: modules.id });
    const [page, live] = await ctx.db
      .insert(activities)
      .values([
        { offeringId: mooc.offeringId, moduleId: module!.id, position: 1, kind: 'page', title: 'Read', content: { kind: 'page', body: 'Text', videoUrl: '' } },
        { offeringId: mooc.offeringId, moduleId: module!.id, position: 2, kind: 'live_session', title: 'Live Q&A', content: { kind: 'live_session' }, liveSessionId: mooc.sessionIds[0]! },
      ])
      .returning({ id: activities.id });
    expect(await markPageDone(ctx.db, { offeringId: mooc.offeringId, userId: mooc.userId, activityId: page!.id }, now)).toEqual({ ok: true, completed: false });
    expect(await mark(mooc.offeringId, mooc.sessionIds[0]!, mooc.userId, now)).toEqual({ ok: true, completed: true });
    const [progress] = await ctx.db.select().from(activityProgress).where(and(eq(activityProgress.userId, mooc.userId), eq(activityProgress.activityId, live!.id)));
    expect(progress!.status).toBe('done');
  });

  it('records a completion exactly once under two concurrent evaluations', async () => {
    const start = new Date(Date.now() - 3 * HOUR);
    const w = await offering('webinar', [start]);
    await ctx.db.insert(sessionAttendance).values({ sessionId: w.sessionIds[0]!, userId: w.userId, reportMinutes: 60, updatedAt: new Date() });
    const now = new Date();
    const evaluate = () => ctx.db.transaction(async (tx) => evaluateCompletion(tx, (await lockEnrolment(tx, w.offeringId, w.userId))!, now));
    const results = await Promise.all([evaluate(), evaluate(), evaluate()]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await events(w.enrolmentId)).toHaveLength(1);

    // The end-of-session job twice at once (two workers), for someone who joined.
    const other = await offering('webinar', [start]);
    await ctx.db.insert(sessionJoins).values({ sessionId: other.sessionIds[0]!, userId: other.userId, joinedAt: start });
    const after = new Date(start.getTime() + 70 * MIN);
    const counts = await Promise.all([evaluateEndedSession(ctx, other.sessionIds[0]!, after), evaluateEndedSession(ctx, other.sessionIds[0]!, after)]);
    expect(counts[0]! + counts[1]!).toBe(1);
    expect(await events(other.enrolmentId)).toHaveLength(1);
  });

  it('the sweep completes joiners of recently ended sessions whose job never ran, and skips cancelled ones', async () => {
    const start = new Date(Date.now() - 4 * HOUR);
    const w = await offering('webinar', [start]);
    const cancelled = await offering('webinar', [start], { cancelled: [0] });
    await ctx.db.insert(sessionJoins).values([
      { sessionId: w.sessionIds[0]!, userId: w.userId, joinedAt: start },
      { sessionId: cancelled.sessionIds[0]!, userId: cancelled.userId, joinedAt: start },
    ]);
    expect(await sweepEndedSessions(ctx, new Date())).toBeGreaterThanOrEqual(1);
    expect(await status(w.enrolmentId)).toBe('completed');
    expect(await status(cancelled.enrolmentId)).toBe('enrolled');
  });

  it('queues the end-of-session job when a session is added or rescheduled, due at its end', async () => {
    const slug = `plan-${randomBytes(4).toString('hex')}`;
    const [row] = await ctx.db.insert(offerings).values({ slug, kind: 'webinar', title: 'Plan', language: 'en', organiserTimeZone: ZONE }).returning({ id: offerings.id });
    await ctx.db.insert(offeringTrainers).values({ offeringId: row!.id, userId: trainerId });
    const startsAt = new Date('2027-03-28T09:00:00Z');
    const fields = { title: 'Kick-off', startsAt, organiserTimeZone: ZONE, durationMinutes: 90, joinUrl: 'https://meet.example.org/k', capacityNote: '' };
    expect(await addLiveSession(ctx, { offeringId: row!.id, actorId: trainerId, fields }, new Date())).toEqual({ ok: true });
    const [session] = await ctx.db.select().from(liveSessions).where(eq(liveSessions.offeringId, row!.id));
    const ended = () => ctx.jobs.sent.filter((j) => j.queue === QUEUES.sessionEnded && (j.data as { sessionId?: string }).sessionId === session!.id);
    expect(ended()).toHaveLength(1);
    expect(ended()[0]!.options?.startAfter).toEqual(new Date('2027-03-28T10:30:00Z'));

    const moved = new Date('2027-03-29T09:00:00Z');
    expect(await updateLiveSession(ctx, { offeringId: row!.id, actorId: trainerId, sessionId: session!.id, fields: { ...fields, startsAt: moved } }, new Date())).toEqual({ ok: true });
    expect(ended()).toHaveLength(2);
    expect(ended()[1]!.options?.startAfter).toEqual(new Date('2027-03-29T10:30:00Z'));
    // A new title only: no new job.
    expect(await updateLiveSession(ctx, { offeringId: row!.id, actorId: trainerId, sessionId: session!.id, fields: { ...fields, startsAt: moved, title: 'Kick-off!' } }, new Date())).toEqual({
      ok: true,
    });
    expect(ended()).toHaveLength(2);
  });
});
