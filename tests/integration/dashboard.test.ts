import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '#db/client';
import { activities, activityProgress, enrolments, liveSessions, modules, offeringTrainers, offerings } from '#db/schema';
import { cookies } from '~/modules/auth/cookies.server';
import { loadDashboard } from '~/modules/learning/dashboard.server';
import { shiftDeadlines } from '~/modules/learning/deadlines.server';
import { removeActivity } from '~/modules/offerings/structure.server';
import { navigationFor } from '~/modules/ui/navigation.server';
import { action as shiftAction, loader as shiftLoader } from '~/routes/dashboard.deadlines';
import { loader as dashboardLoader } from '~/routes/dashboard';
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

const OSLO = 'Europe/Oslo';
const DAY = 86_400_000;
const local = (wall: string, zone = OSLO) => DateTime.fromISO(wall, { zone }).toJSDate();

/** Counts the queries a function starts on the database it is given. */
function countingDb(db: Executor) {
  const counter = { queries: 0 };
  const proxy = new Proxy(db, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value === 'function' && ['select', 'selectDistinct', 'selectDistinctOn', 'update', 'insert', 'delete', 'execute'].includes(String(property))) {
        return (...args: unknown[]) => {
          counter.queries += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: proxy as Executor, counter };
}

let seq = 1_000_000 + Math.floor(Math.random() * 1_000_000);
/** Waitlist numbers are unique across offerings: each call reserves a block of a hundred. */
const nextSeq = () => (seq += 100);

describe('participant dashboard', () => {
  let ctx: TestContext;
  let trainerId: string;

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    trainerId = (await createUser(ctx.db, { roles: [{ role: 'trainer' }] })).id;
  });
  afterAll(async () => {
    await ctx?.close();
  });

  async function makeOffering(overrides: Partial<typeof offerings.$inferInsert> = {}) {
    const suffix = randomBytes(4).toString('hex');
    const now = Date.now();
    const [row] = await ctx.db
      .insert(offerings)
      .values({
        slug: `dash-${suffix}`,
        kind: 'mooc',
        title: `Course ${suffix}`,
        language: 'en',
        organiserTimeZone: OSLO,
        status: 'published',
        startsAt: new Date(now - 10 * DAY),
        endsAt: new Date(now + 20 * DAY),
        completionDeadline: new Date(now + 30 * DAY),
        ...overrides,
      })
      .returning();
    await ctx.db.insert(offeringTrainers).values({ offeringId: row!.id, userId: trainerId });
    return row!;
  }

  async function addModule(offeringId: string, position: number) {
    const [row] = await ctx.db.insert(modules).values({ offeringId, position, title: `Module ${position}` }).returning({ id: modules.id });
    return row!.id;
  }

  async function addActivity(offeringId: string, moduleId: string | null, position: number, overrides: Partial<typeof activities.$inferInsert> = {}) {
    const [row] = await ctx.db
      .insert(activities)
      .values({ offeringId, moduleId, position, kind: 'page', title: `Activity ${position}`, content: { kind: 'page', body: '', videoUrl: '' }, ...overrides })
      .returning({ id: activities.id });
    return row!.id;
  }

  async function enrol(offeringId: string, userId: string, overrides: Partial<typeof enrolments.$inferInsert> = {}) {
    const [row] = await ctx.db
      .insert(enrolments)
      .values({ offeringId, userId, status: 'enrolled', enrolledAt: new Date(Date.now() - 11 * DAY), ...overrides })
      .returning();
    return row!;
  }

  async function progress(userId: string, activityId: string, status: 'started' | 'submitted' | 'returned' | 'done') {
    await ctx.db
      .insert(activityProgress)
      .values({ userId, activityId, status, completedAt: status === 'done' ? new Date() : null })
      .onConflictDoUpdate({ target: [activityProgress.userId, activityProgress.activityId], set: { status } });
  }

  const getDashboard = (cookie?: string) =>
    outcome(() => dashboardLoader({ request: makeRequest('/dashboard', { cookie }), context: requestContext(ctx), params: {} }));

  const postShift = (form: Record<string, string>, cookie?: string) =>
    outcome(() => shiftAction({ request: makeRequest('/dashboard/deadlines', { form, cookie }), context: requestContext(ctx), params: {} }));

  /** The one-time message a redirect carries to the next page. */
  async function flashOf(headers: Headers): Promise<{ key: string; params?: Record<string, string>; tone: string }> {
    const session = await cookies(ctx.config).flash.getSession(headers.get('set-cookie'));
    return JSON.parse(String(session.get('message'))) as { key: string; params?: Record<string, string>; tone: string };
  }

  describe('access', () => {
    it('sends anonymous visitors to sign in', async () => {
      const result = await getDashboard();
      expect(result.status).toBe(302);
      expect(result.headers.get('location')).toBe('/login?redirectTo=%2Fdashboard');
    });

    it('is linked as "My learning" for signed-in people only', async () => {
      const viewer = { id: 'x', roles: [], country: 'NO', emailVerified: true } as unknown as Parameters<typeof navigationFor>[0];
      expect(navigationFor(viewer, { development: false }).map((item) => item.to)).toContain('/dashboard');
      expect(navigationFor(null, { development: false }).map((item) => item.to)).not.toContain('/dashboard');
    });

    it('shows an empty state pointing to the catalogue to someone with no enrolments', async () => {
      const lonely = await createUser(ctx.db);
      const result = await getDashboard(await signIn(ctx, lonely.id));
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ inProgress: [], waitlist: [], completed: [] });
    });
  });

  describe('sections', () => {
    let participantId: string;
    let cookie: string;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      const participant = await createUser(ctx.db, { timeZone: 'America/New_York' });
      participantId = participant.id;
      cookie = await signIn(ctx, participant.id);
      const other = await createUser(ctx.db);
      const now = Date.now();

      // In progress, cohort: 3 required listed activities, an optional one and a removed required one.
      const running = await makeOffering({ title: 'A running cohort course' });
      ids.running = running.id;
      const m1 = await addModule(running.id, 1);
      const m2 = await addModule(running.id, 2);
      const a1 = await addActivity(running.id, m1, 1, { dueAt: new Date(now - 2 * DAY) });
      const a2 = await addActivity(running.id, m1, 2, { dueAt: new Date(now + 3 * DAY) });
      const a3 = await addActivity(running.id, m2, 1, { dueAt: new Date(now + 5 * DAY) });
      const optional = await addActivity(running.id, m2, 2, { required: false, dueAt: new Date(now + 1 * DAY) });
      const removed = await addActivity(running.id, m2, 3, { removedAt: new Date(now - DAY), dueAt: new Date(now + 1 * DAY) });
      await enrol(running.id, participantId);
      await progress(participantId, a3, 'done');
      await progress(participantId, a2, 'started');
      await progress(participantId, optional, 'done');
      await progress(participantId, removed, 'done');
      // Someone else's progress never counts for this participant.
      await enrol(running.id, other.id);
      await progress(other.id, a1, 'done');
      // Sessions: one over, one cancelled, the next two ahead; one in another offering.
      await ctx.db.insert(liveSessions).values([
        { offeringId: running.id, title: 'Kick-off', startsAt: new Date(now - 3 * DAY), organiserTimeZone: OSLO },
        { offeringId: running.id, title: 'Cancelled Q&A', startsAt: new Date(now + DAY), organiserTimeZone: OSLO, cancelledAt: new Date() },
        { offeringId: running.id, title: 'Later Q&A', startsAt: new Date(now + 9 * DAY), organiserTimeZone: OSLO },
        { offeringId: running.id, title: 'Next Q&A', startsAt: new Date(now + 2 * DAY), organiserTimeZone: OSLO },
      ]);

      // Late completion: ended, deadline ahead.
      const late = await makeOffering({ title: 'B ended course', startsAt: new Date(now - 40 * DAY), endsAt: new Date(now - 2 * DAY), completionDeadline: new Date(now + 12 * DAY) });
      ids.late = late.id;
      await addActivity(late.id, await addModule(late.id, 1), 1);
      await enrol(late.id, participantId, { enrolledAt: new Date(now - 41 * DAY) });

      // Waitlisted third of four; a withdrawn person with an earlier number does not count.
      const full = await makeOffering({ title: 'C full course', capacity: 1, waitlistEnabled: true });
      ids.full = full.id;
      const base = nextSeq();
      const ahead1 = await createUser(ctx.db);
      const ahead2 = await createUser(ctx.db);
      const gone = await createUser(ctx.db);
      const behind = await createUser(ctx.db);
      await enrol(full.id, gone.id, { status: 'withdrawn', waitlistSeq: base + 1, enrolledAt: null });
      await enrol(full.id, ahead1.id, { status: 'waitlisted', waitlistSeq: base + 2, enrolledAt: null });
      await enrol(full.id, ahead2.id, { status: 'waitlisted', waitlistSeq: base + 3, enrolledAt: null });
      await enrol(full.id, participantId, { status: 'waitlisted', waitlistSeq: base + 5, enrolledAt: null });
      await enrol(full.id, behind.id, { status: 'waitlisted', waitlistSeq: base + 7, enrolledAt: null });

      // Completed, and withdrawn (never shown).
      const done = await makeOffering({ title: 'D finished course' });
      ids.done = done.id;
      await enrol(done.id, participantId, { status: 'completed', completedAt: new Date('2026-02-03T10:00:00Z') });
      const left = await makeOffering({ title: 'E left course' });
      await enrol(left.id, participantId, { status: 'withdrawn', withdrawnAt: new Date() });

      // Another participant's offering.
      const theirs = await makeOffering({ title: 'F not mine' });
      ids.theirs = theirs.id;
      await enrol(theirs.id, other.id);
    });

    it('lists in-progress, waitlisted and completed offerings, and nothing else', async () => {
      const result = await getDashboard(cookie);
      expect(result.status).toBe(200);
      const body = result.body as unknown as Awaited<ReturnType<typeof loadDashboard>> & { timeZone: string };
      expect(body.timeZone).toBe('America/New_York');
      expect(body.inProgress.map((i) => i.offeringId).sort()).toEqual([ids.running, ids.late].sort());
      expect(body.waitlist.map((i) => i.offeringId)).toEqual([ids.full]);
      expect(body.completed.map((i) => i.offeringId)).toEqual([ids.done]);
      const all = [...body.inProgress, ...body.waitlist, ...body.completed].map((i) => i.offeringId);
      expect(all).not.toContain(ids.theirs);
    });

    it('counts done required listed activities only, and finds the next deadline and session', async () => {
      const body = (await getDashboard(cookie)).body as unknown as Awaited<ReturnType<typeof loadDashboard>>;
      const running = body.inProgress.find((i) => i.offeringId === ids.running)!;
      expect(running).toMatchObject({ required: 3, done: 1, phase: 'running', pacingMode: 'cohort', kind: 'mooc', shift: null });
      // a1 is overdue (two days ago, not done); a2 is the next one, in three days.
      expect(running.overdue).toBe(1);
      expect(running.nextDueAt!.getTime()).toBeGreaterThan(Date.now() + 2.9 * DAY);
      expect(running.nextDueAt!.getTime()).toBeLessThan(Date.now() + 3.1 * DAY);
      expect(running.nextSession).toMatchObject({ title: 'Next Q&A', organiserTimeZone: OSLO });
    });

    it('treats work submitted for review as handed in for deadlines, but not as done', async () => {
      const user = await createUser(ctx.db);
      const offering = await makeOffering();
      const moduleId = await addModule(offering.id, 1);
      const submitted = await addActivity(offering.id, moduleId, 1, { kind: 'assignment', dueAt: new Date(Date.now() - DAY), content: { kind: 'assignment', prompt: '', submission: 'text' } });
      const returned = await addActivity(offering.id, moduleId, 2, { kind: 'assignment', dueAt: new Date(Date.now() + 2 * DAY), content: { kind: 'assignment', prompt: '', submission: 'text' } });
      await enrol(offering.id, user.id);
      await progress(user.id, submitted, 'submitted');
      await progress(user.id, returned, 'returned');
      const item = (await loadDashboard(ctx.db, user.id, new Date())).inProgress[0]!;
      expect(item).toMatchObject({ required: 2, done: 0, overdue: 0 });
      expect(item.nextDueAt!.getTime()).toBeGreaterThan(Date.now() + DAY);
    });

    it('marks the late-completion phase with the completion deadline', async () => {
      const body = (await getDashboard(cookie)).body as unknown as Awaited<ReturnType<typeof loadDashboard>>;
      const late = body.inProgress.find((i) => i.offeringId === ids.late)!;
      expect(late.phase).toBe('late-completion');
      expect(late.deadline!.getTime()).toBeGreaterThan(Date.now() + 11 * DAY);
      expect(late).toMatchObject({ required: 1, done: 0, nextSession: null });
      // Running courses come before those in late completion.
      expect(body.inProgress.map((i) => i.offeringId)).toEqual([ids.running, ids.late]);
    });

    it('gives the waitlist position as the rank among those still waiting', async () => {
      const body = (await getDashboard(cookie)).body as unknown as Awaited<ReturnType<typeof loadDashboard>>;
      expect(body.waitlist[0]).toMatchObject({ title: 'C full course', position: 3 });
    });

    it('gives the completion date', async () => {
      const body = (await getDashboard(cookie)).body as unknown as Awaited<ReturnType<typeof loadDashboard>>;
      expect(body.completed[0]!.completedAt).toEqual(new Date('2026-02-03T10:00:00Z'));
    });

    it('never shows another participant anything of mine', async () => {
      const other = await createUser(ctx.db);
      await enrol(ids.theirs!, other.id);
      const body = (await getDashboard(await signIn(ctx, other.id))).body as unknown as Awaited<ReturnType<typeof loadDashboard>>;
      expect(body.inProgress.map((i) => i.offeringId)).toEqual([ids.theirs]);
      expect(body.waitlist).toEqual([]);
      expect(body.completed).toEqual([]);
    });
  });

  it('uses the same few queries for one offering or twelve', async () => {
    const user = await createUser(ctx.db);
    const few = countingDb(ctx.db);
    const first = await makeOffering();
    await addActivity(first.id, await addModule(first.id, 1), 1, { dueAt: new Date(Date.now() + DAY) });
    await enrol(first.id, user.id);
    await loadDashboard(few.db, user.id, new Date());
    for (let i = 0; i < 11; i++) {
      const offering = await makeOffering({ pacingMode: i % 2 ? 'cohort' : 'self_paced' });
      const moduleId = await addModule(offering.id, 1);
      const activityId = await addActivity(offering.id, moduleId, 1, { dueAt: new Date(Date.now() + (i + 2) * DAY) });
      await addActivity(offering.id, moduleId, 2);
      await progress(user.id, activityId, 'done');
      await ctx.db.insert(liveSessions).values({ offeringId: offering.id, title: `S${i}`, startsAt: new Date(Date.now() + (i + 1) * DAY), organiserTimeZone: OSLO });
      await enrol(offering.id, user.id, i === 3 ? { status: 'completed', completedAt: new Date() } : {});
    }
    const many = countingDb(ctx.db);
    const dashboard = await loadDashboard(many.db, user.id, new Date());
    expect(dashboard.inProgress).toHaveLength(11);
    expect(few.counter.queries).toBe(3);
    expect(many.counter.queries).toBe(3);
  });

  describe('self-paced personal deadlines (fixed clock)', () => {
    it('moves the next deadline by the late start and by shifts, in the organiser calendar', async () => {
      const user = await createUser(ctx.db);
      const offering = await makeOffering({
        pacingMode: 'self_paced',
        startsAt: local('2026-03-16T09:00'),
        endsAt: local('2026-04-27T09:00'),
        completionDeadline: local('2026-05-11T23:59'),
        maxDeadlineShifts: 2,
      });
      const moduleId = await addModule(offering.id, 1);
      await addActivity(offering.id, moduleId, 1, { dueAt: local('2026-03-27T23:59') });
      await addActivity(offering.id, moduleId, 2, { dueAt: local('2026-04-24T23:59') });
      // Enrolled two Oslo days late.
      await enrol(offering.id, user.id, { enrolledAt: local('2026-03-18T10:00') });
      const now = local('2026-03-25T12:00');

      let item = (await loadDashboard(ctx.db, user.id, now)).inProgress[0]!;
      expect(DateTime.fromJSDate(item.nextDueAt!, { zone: OSLO }).toFormat('yyyy-MM-dd HH:mm')).toBe('2026-03-29 23:59');
      expect(item.shift).toMatchObject({ left: 2, max: 2, daysShifted: 0, check: { ok: true }, maxDays: 14 });

      expect(await shiftDeadlines(ctx.db, { offeringId: offering.id, userId: user.id, days: 5 }, now)).toMatchObject({ ok: true, days: 5, shiftsLeft: 1 });
      item = (await loadDashboard(ctx.db, user.id, now)).inProgress[0]!;
      expect(DateTime.fromJSDate(item.nextDueAt!, { zone: OSLO }).toFormat('yyyy-MM-dd HH:mm')).toBe('2026-04-03 23:59');
      // The last due date is now 1 May (24 April + 2 + 5): at most 10 more days fit before 11 May 23:59.
      expect(item.shift).toMatchObject({ left: 1, daysShifted: 5, maxDays: 10 });

      expect(await shiftDeadlines(ctx.db, { offeringId: offering.id, userId: user.id, days: 11 }, now)).toMatchObject({ ok: false, reason: 'past-deadline' });
      expect(await shiftDeadlines(ctx.db, { offeringId: offering.id, userId: user.id, days: 10 }, now)).toMatchObject({ ok: true, shiftsLeft: 0 });
      item = (await loadDashboard(ctx.db, user.id, now)).inProgress[0]!;
      expect(item.shift).toMatchObject({ left: 0, daysShifted: 15, check: { ok: false, reason: 'no-shifts-left' } });
      expect(await shiftDeadlines(ctx.db, { offeringId: offering.id, userId: user.id, days: 1 }, now)).toMatchObject({ ok: false, reason: 'no-shifts-left' });
      const [row] = await ctx.db.select().from(enrolments).where(and(eq(enrolments.offeringId, offering.id), eq(enrolments.userId, user.id)));
      expect(row).toMatchObject({ deadlineShiftsUsed: 2, deadlineShiftDays: 15 });
    });

    it('removing an activity drops it from the bar but keeps its progress rows', async () => {
      const user = await createUser(ctx.db);
      const offering = await makeOffering();
      const moduleId = await addModule(offering.id, 1);
      const kept = await addActivity(offering.id, moduleId, 1);
      const dropped = await addActivity(offering.id, moduleId, 2);
      await addActivity(offering.id, moduleId, 3);
      await enrol(offering.id, user.id);
      await progress(user.id, kept, 'done');
      await progress(user.id, dropped, 'done');
      expect((await loadDashboard(ctx.db, user.id, new Date())).inProgress[0]).toMatchObject({ required: 3, done: 2 });

      const removal = await removeActivity(ctx, { actorId: trainerId, offeringId: offering.id, activityId: dropped, confirmed: true }, new Date());
      expect(removal).toEqual({ ok: true, outcome: 'hidden' });
      expect((await loadDashboard(ctx.db, user.id, new Date())).inProgress[0]).toMatchObject({ required: 2, done: 1 });
      const rows = await ctx.db.select().from(activityProgress).where(eq(activityProgress.userId, user.id));
      expect(rows.map((r) => r.activityId).sort()).toEqual([kept, dropped].sort());
    });
  });

  describe('shifting deadlines from the dashboard', () => {
    async function selfPaced(overrides: Partial<typeof offerings.$inferInsert> = {}) {
      const offering = await makeOffering({ pacingMode: 'self_paced', maxDeadlineShifts: 2, ...overrides });
      const moduleId = await addModule(offering.id, 1);
      await addActivity(offering.id, moduleId, 1, { dueAt: new Date(Date.now() + 5 * DAY) });
      return offering;
    }

    async function participantIn(offeringId: string, overrides: Partial<typeof enrolments.$inferInsert> = {}) {
      const user = await createUser(ctx.db);
      await enrol(offeringId, user.id, overrides);
      return { user, cookie: await signIn(ctx, user.id) };
    }

    const enrolmentRow = async (offeringId: string, userId: string) =>
      (await ctx.db.select().from(enrolments).where(and(eq(enrolments.offeringId, offeringId), eq(enrolments.userId, userId))))[0]!;

    it('moves my deadlines and says so', async () => {
      const offering = await selfPaced();
      const { user, cookie } = await participantIn(offering.id);
      const result = await postShift({ offeringId: offering.id, days: '3' }, cookie);
      expect(result.status).toBe(302);
      expect(result.headers.get('location')).toBe('/dashboard');
      expect(await flashOf(result.headers)).toEqual({
        key: 'dashboard.shift.moved',
        params: { title: offering.title, days: '3', left: '1' },
        tone: 'success',
      });
      expect(await enrolmentRow(offering.id, user.id)).toMatchObject({ deadlineShiftsUsed: 1, deadlineShiftDays: 3 });
    });

    it('says "1 day" for one day', async () => {
      const offering = await selfPaced();
      const { cookie } = await participantIn(offering.id);
      const result = await postShift({ offeringId: offering.id, days: '1' }, cookie);
      expect((await flashOf(result.headers)).key).toBe('dashboard.shift.movedOneDay');
    });

    it('refuses a third shift when two are allowed, changing nothing', async () => {
      const offering = await selfPaced();
      const { user, cookie } = await participantIn(offering.id, { deadlineShiftsUsed: 2, deadlineShiftDays: 4 });
      const result = await postShift({ offeringId: offering.id, days: '2' }, cookie);
      expect(result.status).toBe(302);
      expect(await flashOf(result.headers)).toMatchObject({ key: 'dashboard.shift.refused.noShiftsLeft', tone: 'error' });
      expect(await enrolmentRow(offering.id, user.id)).toMatchObject({ deadlineShiftsUsed: 2, deadlineShiftDays: 4 });
    });

    it.each([
      ['0', 'zero'],
      ['15', 'too many'],
      ['2.5', 'a fraction'],
      ['', 'nothing'],
      ['seven', 'words'],
    ])('refuses %j days (%s)', async (days) => {
      const offering = await selfPaced();
      const { user, cookie } = await participantIn(offering.id);
      const result = await postShift({ offeringId: offering.id, days }, cookie);
      expect(await flashOf(result.headers)).toMatchObject({ key: 'dashboard.shift.refused.invalidDays', tone: 'error' });
      expect(await enrolmentRow(offering.id, user.id)).toMatchObject({ deadlineShiftsUsed: 0, deadlineShiftDays: 0 });
    });

    it('refuses a cohort course', async () => {
      const offering = await selfPaced({ pacingMode: 'cohort' });
      const { cookie } = await participantIn(offering.id);
      expect(await flashOf((await postShift({ offeringId: offering.id, days: '3' }, cookie)).headers)).toMatchObject({ key: 'dashboard.shift.refused.cohort' });
    });

    it('refuses a shift past the completion deadline and names the deadline', async () => {
      const offering = await selfPaced({ completionDeadline: new Date(Date.now() + 7 * DAY) });
      const { cookie } = await participantIn(offering.id);
      const flash = await flashOf((await postShift({ offeringId: offering.id, days: '3' }, cookie)).headers);
      expect(flash).toMatchObject({ key: 'dashboard.shift.refused.pastDeadline', tone: 'error' });
      expect(flash.params?.deadline).toMatch(/\d{4}/);
    });

    it('refuses after the completion deadline', async () => {
      const offering = await selfPaced({ startsAt: new Date(Date.now() - 60 * DAY), endsAt: new Date(Date.now() - 20 * DAY), completionDeadline: new Date(Date.now() - DAY) });
      const { cookie } = await participantIn(offering.id);
      expect(await flashOf((await postShift({ offeringId: offering.id, days: '3' }, cookie)).headers)).toMatchObject({ key: 'dashboard.shift.refused.closed' });
    });

    it('refuses when every required activity is done', async () => {
      const offering = await selfPaced();
      const { user, cookie } = await participantIn(offering.id);
      const [activity] = await ctx.db.select({ id: activities.id }).from(activities).where(eq(activities.offeringId, offering.id));
      await progress(user.id, activity!.id, 'done');
      expect(await flashOf((await postShift({ offeringId: offering.id, days: '3' }, cookie)).headers)).toMatchObject({ key: 'dashboard.shift.refused.nothingToShift' });
      expect(await enrolmentRow(offering.id, user.id)).toMatchObject({ deadlineShiftsUsed: 0 });
    });

    it('refuses someone waitlisted or completed with a message', async () => {
      const offering = await selfPaced();
      for (const overrides of [{ status: 'waitlisted' as const, waitlistSeq: nextSeq(), enrolledAt: null }, { status: 'completed' as const, completedAt: new Date() }]) {
        const { user, cookie } = await participantIn(offering.id, overrides);
        expect(await flashOf((await postShift({ offeringId: offering.id, days: '3' }, cookie)).headers)).toMatchObject({
          key: 'dashboard.shift.refused.notEnrolled',
          params: { title: offering.title },
        });
        expect(await enrolmentRow(offering.id, user.id)).toMatchObject({ deadlineShiftsUsed: 0 });
      }
    });

    it('answers 404 for an offering I am not in, a made-up id or a malformed one', async () => {
      const offering = await selfPaced();
      const { user } = await participantIn(offering.id);
      const stranger = await signIn(ctx, (await createUser(ctx.db)).id);
      expect((await postShift({ offeringId: offering.id, days: '3' }, stranger)).status).toBe(404);
      expect((await postShift({ offeringId: '6f1c1f3e-1d7e-4c59-9d55-6a7c2a1b0e99', days: '3' }, stranger)).status).toBe(404);
      expect((await postShift({ offeringId: 'not-an-id', days: '3' }, stranger)).status).toBe(404);
      expect(await enrolmentRow(offering.id, user.id)).toMatchObject({ deadlineShiftsUsed: 0 });
    });

    it('sends anonymous posts to sign in and a GET back to the dashboard', async () => {
      const offering = await selfPaced();
      const result = await postShift({ offeringId: offering.id, days: '3' });
      expect(result.status).toBe(302);
      expect(result.headers.get('location')).toMatch(/^\/login\?redirectTo=/);
      const get = await outcome(async () => shiftLoader());
      expect(get.headers.get('location')).toBe('/dashboard');
    });

    it('lets only one of many simultaneous clicks through when one shift is left', async () => {
      const offering = await selfPaced();
      const { user, cookie } = await participantIn(offering.id, { deadlineShiftsUsed: 1, deadlineShiftDays: 2 });
      const results = await Promise.all(Array.from({ length: 8 }, () => postShift({ offeringId: offering.id, days: '3' }, cookie)));
      const keys = await Promise.all(results.map(async (r) => (await flashOf(r.headers)).key));
      expect(keys.filter((k) => k === 'dashboard.shift.moved')).toHaveLength(1);
      expect(keys.filter((k) => k !== 'dashboard.shift.moved').every((k) => k === 'dashboard.shift.refused.noShiftsLeft')).toBe(true);
      expect(await enrolmentRow(offering.id, user.id)).toMatchObject({ deadlineShiftsUsed: 2, deadlineShiftDays: 5 });
    });

    it('keeps the counters consistent under simultaneous shifts with shifts to spare', async () => {
      const offering = await selfPaced({ maxDeadlineShifts: 5 });
      const user = await createUser(ctx.db);
      await enrol(offering.id, user.id);
      const now = new Date();
      const results = await Promise.all(Array.from({ length: 6 }, () => shiftDeadlines(ctx.db, { offeringId: offering.id, userId: user.id, days: 2 }, now)));
      const succeeded = results.filter((r) => r.ok).length;
      expect(succeeded).toBeGreaterThanOrEqual(1);
      const row = await enrolmentRow(offering.id, user.id);
      // Whatever interleaving happened, the counters agree with the successes and stay within the bound.
      expect(row.deadlineShiftsUsed).toBe(succeeded);
      expect(row.deadlineShiftDays).toBe(2 * succeeded);
      expect(row.deadlineShiftsUsed).toBeLessThanOrEqual(5);
      expect(results.filter((r) => !r.ok).every((r) => !r.ok && (r.reason === 'changed' || r.reason === 'no-shifts-left'))).toBe(true);
    });
  });
});
