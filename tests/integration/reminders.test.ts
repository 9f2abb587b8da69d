import { randomBytes } from 'node:crypto';
import { and, eq, like } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolments, liveSessions, offeringTrainers, offerings, outboxEmails } from '#db/schema';
import { createBoss, QUEUES } from '~/modules/jobs/jobs.server';
import { cancelLiveSession, addLiveSession, removeLiveSession, updateLiveSession, type SessionFields } from '~/modules/offerings/sessions.server';
import { registerReminderWorkers } from '~/modules/reminders/reminder-workers.server';
import { queueReminderJobs, sendSessionReminder, sweepReminders } from '~/modules/reminders/reminders.server';
import { plannedReminders, type ReminderJobData } from '~/modules/reminders/schedule';
import { createTestContext, TEST_APP_URL, type TestContext } from '../support/context';
import { createUser, type UserOverrides } from '../support/factories';

const MINUTE = 60_000;

/** Reminders on real PostgreSQL with a real pg-boss: jobs are read back from pgboss.job; no worker runs unless a test starts one. */
describe('session reminders', () => {
  let ctx: TestContext;
  let trainerId: string;

  beforeAll(async () => {
    ctx = await createTestContext({ driver: 'postgres' });
    trainerId = (await createUser(ctx.db, { roles: [{ role: 'trainer' }] })).id;
  });
  afterAll(async () => {
    await ctx?.close();
  });

  async function makeOffering(overrides: Partial<typeof offerings.$inferInsert> = {}) {
    const suffix = randomBytes(4).toString('hex');
    const [row] = await ctx.db
      .insert(offerings)
      .values({
        slug: `reminders-${suffix}`,
        kind: 'webinar_series',
        title: `Reading aloud ${suffix}`,
        language: 'en',
        organiserTimeZone: 'Europe/Helsinki',
        status: 'draft',
        ...overrides,
      })
      .returning();
    await ctx.db.insert(offeringTrainers).values({ offeringId: row!.id, userId: trainerId });
    return row!;
  }

  async function participant(offeringId: string, status: 'enrolled' | 'completed' | 'waitlisted' | 'withdrawn', overrides: UserOverrides = {}) {
    const user = await createUser(ctx.db, overrides);
    await ctx.db.insert(enrolments).values({
      offeringId,
      userId: user.id,
      status,
      enrolledAt: status === 'enrolled' || status === 'completed' ? new Date() : null,
      waitlistSeq: status === 'waitlisted' ? Math.floor(Math.random() * 1e9) : null,
      waitlistedAt: status === 'waitlisted' ? new Date() : null,
    });
    return user;
  }

  const fields = (startsAt: Date, title = 'Session one'): SessionFields => ({
    title,
    startsAt,
    organiserTimeZone: 'Europe/Helsinki',
    durationMinutes: 60,
    joinUrl: 'https://meet.example.org/room',
    capacityNote: '',
  });

  async function addSession(offeringId: string, startsAt: Date, now: Date) {
    const outcome = await addLiveSession(ctx, { offeringId, actorId: trainerId, fields: fields(startsAt) }, now);
    expect(outcome).toEqual({ ok: true });
    const [session] = await ctx.db.select().from(liveSessions).where(eq(liveSessions.offeringId, offeringId));
    return session!;
  }

  /** This session's reminder jobs as pg-boss holds them. */
  async function jobsOf(sessionId: string) {
    const { rows } = await ctx.handle.query(
      `select id, state, data, singleton_key, start_after from pgboss.job where name = $1 and singleton_key like $2 order by start_after, created_on`,
      [QUEUES.sessionReminder, `${sessionId}:%`],
    );
    return rows as { id: string; state: string; data: ReminderJobData; singleton_key: string; start_after: Date }[];
  }
  const waiting = async (sessionId: string) => (await jobsOf(sessionId)).filter((j) => j.state === 'created');

  const remindersTo = (sessionId: string) =>
    ctx.db
      .select()
      .from(outboxEmails)
      .where(and(eq(outboxEmails.template, 'session-reminder'), like(outboxEmails.idempotencyKey, `session-reminder:%:${sessionId}:%`)));

  describe('scheduling', () => {
    it('queues the 24 h and 1 h reminders at their instants when a session is added', async () => {
      const offering = await makeOffering();
      const now = new Date('2030-03-01T09:00:00Z');
      const startsAt = new Date('2030-03-05T16:00:00Z');
      const session = await addSession(offering.id, startsAt, now);

      const jobs = await waiting(session.id);
      expect(jobs.map((j) => [j.data.kind, new Date(j.start_after).toISOString()])).toEqual([
        ['24h', '2030-03-04T16:00:00.000Z'],
        ['1h', '2030-03-05T15:00:00.000Z'],
      ]);
      expect(jobs[0]!.data).toEqual({ sessionId: session.id, kind: '24h', startsAt: startsAt.toISOString() });
      expect(jobs.map((j) => j.singleton_key)).toEqual([`${session.id}:24h:${startsAt.toISOString()}`, `${session.id}:1h:${startsAt.toISOString()}`]);
    });

    it('moves the reminders when the session is rescheduled: old jobs cancelled, new ones at the new instants', async () => {
      const offering = await makeOffering();
      const now = new Date('2030-04-01T09:00:00Z');
      const session = await addSession(offering.id, new Date('2030-04-10T12:00:00Z'), now);
      const before = await waiting(session.id);
      expect(before).toHaveLength(2);

      const moved = new Date('2030-04-12T07:30:00Z');
      expect(await updateLiveSession(ctx, { offeringId: offering.id, actorId: trainerId, sessionId: session.id, fields: fields(moved) }, now)).toEqual({
        ok: true,
      });

      const jobs = await jobsOf(session.id);
      expect(jobs.filter((j) => before.some((b) => b.id === j.id)).map((j) => j.state)).toEqual(['cancelled', 'cancelled']);
      expect((await waiting(session.id)).map((j) => [j.data.kind, new Date(j.start_after).toISOString()])).toEqual([
        ['24h', '2030-04-11T07:30:00.000Z'],
        ['1h', '2030-04-12T06:30:00.000Z'],
      ]);

      // An old job that slipped past the cancellation (fetched at that moment) sends nothing.
      await participant(offering.id, 'enrolled');
      const stale = await sendSessionReminder(ctx, before[1]!.data, new Date('2030-04-10T11:00:00Z'));
      expect(stale).toEqual({ verdict: 'moved', queued: 0 });
      expect(await remindersTo(session.id)).toHaveLength(0);
    });

    it('keeps the jobs when only the title or the length changes', async () => {
      const offering = await makeOffering();
      const now = new Date('2030-05-01T09:00:00Z');
      const startsAt = new Date('2030-05-08T12:00:00Z');
      const session = await addSession(offering.id, startsAt, now);
      const before = (await waiting(session.id)).map((j) => j.id);

      await updateLiveSession(ctx, { offeringId: offering.id, actorId: trainerId, sessionId: session.id, fields: { ...fields(startsAt, 'Renamed'), durationMinutes: 90 } }, now);
      expect((await waiting(session.id)).map((j) => j.id)).toEqual(before);
    });

    it('cancels the reminders of a cancelled session, and the handler refuses a job that escaped', async () => {
      const offering = await makeOffering();
      const now = new Date('2030-06-01T09:00:00Z');
      const session = await addSession(offering.id, new Date('2030-06-03T12:00:00Z'), now);
      const jobs = await waiting(session.id);
      await participant(offering.id, 'enrolled');

      expect(await cancelLiveSession(ctx, { offeringId: offering.id, actorId: trainerId, sessionId: session.id, reason: 'Trainer ill' }, now)).toEqual({ ok: true });
      expect((await jobsOf(session.id)).map((j) => j.state)).toEqual(['cancelled', 'cancelled']);
      expect(await sendSessionReminder(ctx, jobs[1]!.data, new Date('2030-06-03T11:00:00Z'))).toEqual({ verdict: 'cancelled', queued: 0 });
      expect(await remindersTo(session.id)).toHaveLength(0);
    });

    it('cancels the reminders of a removed session', async () => {
      const offering = await makeOffering();
      const now = new Date('2030-06-01T09:00:00Z');
      const session = await addSession(offering.id, new Date('2030-06-04T12:00:00Z'), now);
      const jobs = await waiting(session.id);
      expect(await removeLiveSession(ctx, { offeringId: offering.id, actorId: trainerId, sessionId: session.id }, now)).toEqual({ ok: true });
      expect((await jobsOf(session.id)).map((j) => j.state)).toEqual(['cancelled', 'cancelled']);
      expect(await sendSessionReminder(ctx, jobs[0]!.data, new Date('2030-06-03T12:00:00Z'))).toEqual({ verdict: 'session-gone', queued: 0 });
    });

    it('sends a reminder up to 15 minutes late at once, and skips one that would come later than that', async () => {
      const offering = await makeOffering();
      const startsAt = new Date('2030-07-01T12:00:00Z');

      // Added 50 minutes before: the 1 h reminder is 10 minutes late and goes now; the 24 h one is long past.
      const fifty = new Date(startsAt.getTime() - 50 * MINUTE);
      const late = await addSession(offering.id, startsAt, fifty);
      expect((await waiting(late.id)).map((j) => [j.data.kind, new Date(j.start_after).toISOString()])).toEqual([['1h', fifty.toISOString()]]);

      // Added 30 minutes before: no reminder at all.
      const other = await makeOffering();
      const tooLate = await addSession(other.id, startsAt, new Date(startsAt.getTime() - 30 * MINUTE));
      expect(await jobsOf(tooLate.id)).toEqual([]);

      // Added 23 h 50 min before: the 24 h reminder now, the 1 h one at its instant.
      const third = await makeOffering();
      const almostDay = new Date(startsAt.getTime() - (23 * 60 + 50) * MINUTE);
      const day = await addSession(third.id, startsAt, almostDay);
      expect((await waiting(day.id)).map((j) => [j.data.kind, new Date(j.start_after).toISOString()])).toEqual([
        ['24h', almostDay.toISOString()],
        ['1h', '2030-07-01T11:00:00.000Z'],
      ]);
    });

    it('makes one job when the same reminder is queued twice', async () => {
      const offering = await makeOffering();
      const now = new Date('2030-08-01T09:00:00Z');
      const session = await addSession(offering.id, new Date('2030-08-05T12:00:00Z'), now);
      await queueReminderJobs(ctx.jobs, plannedReminders(session, now));
      await queueReminderJobs(ctx.jobs, plannedReminders(session, now));
      expect(await jobsOf(session.id)).toHaveLength(2);
    });
  });

  describe('sending', () => {
    it('emails every active participant in their language and zone, with the organiser’s time and the join page', async () => {
      const offering = await makeOffering({ title: 'Reading aloud' });
      const startsAt = new Date('2030-03-05T16:00:00Z');
      const session = await addSession(offering.id, startsAt, new Date('2030-03-01T09:00:00Z'));
      const ingrid = await participant(offering.id, 'enrolled', { locale: 'nb', timeZone: 'Europe/Oslo', fullName: 'Ingrid Ås' });
      const mary = await participant(offering.id, 'completed', { locale: 'en', timeZone: 'America/New_York', fullName: 'Mary Major' });
      const aino = await participant(offering.id, 'enrolled', { locale: 'fi', timeZone: 'Europe/Helsinki', fullName: 'Aino Virtanen' });
      const waiting = await participant(offering.id, 'waitlisted');
      const gone = await participant(offering.id, 'withdrawn');

      const job: ReminderJobData = { sessionId: session.id, kind: '1h', startsAt: startsAt.toISOString() };
      expect(await sendSessionReminder(ctx, job, new Date('2030-03-05T15:00:05Z'))).toEqual({ verdict: 'send', queued: 3 });

      const mails = await remindersTo(session.id);
      const to = (email: string) => mails.find((m) => m.toAddress === email);
      expect(mails.map((m) => m.toAddress).sort()).toEqual([ingrid.email, mary.email, aino.email].sort());
      expect(to(waiting.email)).toBeUndefined();
      expect(to(gone.email)).toBeUndefined();

      const joinPage = `${TEST_APP_URL}/sessions/${session.id}`;
      const nb = to(ingrid.email)!;
      expect(nb.locale).toBe('nb');
      expect(nb.subject).toBe('Starter om en time: «Session one»');
      // 16:00 UTC is 17:00 in Oslo and 18:00 at the organiser's in Helsinki.
      expect(nb.text).toMatch(/Når: .*17[:.]00.*\(18[:.]00 i Helsinki\)/);
      expect(nb.text).toContain(joinPage);
      expect(nb.html).toContain(`href="${joinPage}"`);

      const en = to(mary.email)!;
      expect(en.subject).toBe('Starting in one hour: “Session one”');
      expect(en.text).toMatch(/When: Tue, 5 Mar 2030, 11:00 \S+ \(18:00 in Helsinki\)/);
      expect(en.text).toContain(joinPage);

      // Same zone as the organiser: one time, no second one in brackets.
      const fi = to(aino.email)!;
      expect(fi.subject).toBe('Alkaa tunnin kuluttua: ”Session one”');
      expect(fi.text).toMatch(/Aika: .*18[:.]00/);
      expect(fi.text).not.toContain('Helsinki:');
    });

    it('sends one email per participant when two workers run the same reminder at the same time', async () => {
      const offering = await makeOffering();
      const startsAt = new Date('2030-09-05T16:00:00Z');
      const session = await addSession(offering.id, startsAt, new Date('2030-09-01T09:00:00Z'));
      const people = await Promise.all(Array.from({ length: 12 }, () => participant(offering.id, 'enrolled')));
      const job: ReminderJobData = { sessionId: session.id, kind: '24h', startsAt: startsAt.toISOString() };
      const at = new Date('2030-09-04T16:00:01Z');

      const outcomes = await Promise.all([sendSessionReminder(ctx, job, at), sendSessionReminder(ctx, job, at), sendSessionReminder(ctx, job, at)]);
      expect(outcomes.reduce((sum, o) => sum + o.queued, 0)).toBe(people.length);
      const mails = await remindersTo(session.id);
      expect(mails).toHaveLength(people.length);
      expect(new Set(mails.map((m) => m.toAddress)).size).toBe(people.length);
    });

    it('sends nothing to a participant who left before the job ran, and includes one who enrolled after it was scheduled', async () => {
      const offering = await makeOffering();
      const startsAt = new Date('2030-10-05T16:00:00Z');
      const leaver = await participant(offering.id, 'enrolled');
      const session = await addSession(offering.id, startsAt, new Date('2030-10-01T09:00:00Z'));
      const latecomer = await participant(offering.id, 'enrolled');
      await ctx.db
        .update(enrolments)
        .set({ status: 'withdrawn', withdrawnAt: new Date() })
        .where(and(eq(enrolments.offeringId, offering.id), eq(enrolments.userId, leaver.id)));

      const [job] = await waiting(session.id);
      expect(await sendSessionReminder(ctx, job!.data, new Date('2030-10-04T16:00:00Z'))).toEqual({ verdict: 'send', queued: 1 });
      expect((await remindersTo(session.id)).map((m) => m.toAddress)).toEqual([latecomer.email]);
    });

    it('does not send a reminder that runs after the grace or after the start', async () => {
      const offering = await makeOffering();
      const startsAt = new Date('2030-11-05T16:00:00Z');
      const session = await addSession(offering.id, startsAt, new Date('2030-11-01T09:00:00Z'));
      await participant(offering.id, 'enrolled');
      const dayJob: ReminderJobData = { sessionId: session.id, kind: '24h', startsAt: startsAt.toISOString() };
      expect(await sendSessionReminder(ctx, dayJob, new Date('2030-11-04T17:00:00Z'))).toEqual({ verdict: 'too-late', queued: 0 });
      expect(await sendSessionReminder(ctx, { ...dayJob, kind: '1h' }, new Date('2030-11-05T16:00:00Z'))).toEqual({ verdict: 'too-late', queued: 0 });
      expect(await remindersTo(session.id)).toHaveLength(0);
    });
  });

  describe('two pg-boss workers', () => {
    let second: PgBoss;
    beforeAll(async () => {
      second = createBoss(ctx.handle, { poolSize: 2 });
      second.on('error', (error) => console.error('[second pg-boss]', error));
      await second.start();
    });
    afterAll(async () => {
      await second?.stop({ graceful: false, wait: true, timeout: 5_000 });
    });

    it('delivers one reminder per participant when duplicate jobs reach two processes', async () => {
      await registerReminderWorkers(ctx.boss!, ctx);
      await registerReminderWorkers(second, ctx);

      const offering = await makeOffering();
      const startsAt = new Date(Date.now() + 50 * MINUTE);
      const [session] = await ctx.db
        .insert(liveSessions)
        .values({ offeringId: offering.id, ...fields(startsAt) })
        .returning();
      const people = await Promise.all(Array.from({ length: 6 }, () => participant(offering.id, 'enrolled')));
      const data: ReminderJobData = { sessionId: session!.id, kind: '1h', startsAt: startsAt.toISOString() };
      // As if the same reminder had been queued three times under keys the queue could not match (a crash and a
      // sweep racing, an older release): each process takes jobs of its own.
      const ids = await Promise.all(
        ['a', 'b', 'c'].map((copy, i) => (i % 2 === 0 ? ctx.boss! : second).send(QUEUES.sessionReminder, data, { singletonKey: `${session!.id}:copy-${copy}` })),
      );
      expect(ids.every((id) => typeof id === 'string')).toBe(true);
      await expect
        .poll(
          async () => {
            const { rows } = await ctx.handle.query('select count(*)::int as n from pgboss.job where id = any($1::uuid[]) and state = $2', [ids, 'completed']);
            return rows[0]!.n;
          },
          { timeout: 15_000, interval: 200 },
        )
        .toBe(3);
      const mails = await remindersTo(session!.id);
      expect(mails).toHaveLength(people.length);
      expect(new Set(mails.map((m) => m.toAddress))).toEqual(new Set(people.map((p) => p.email)));
    });
  });

  describe('sweep', () => {
    it('puts back a lost job for an upcoming reminder once, and leaves later ones for a later sweep', async () => {
      const offering = await makeOffering({ status: 'published' });
      const now = new Date('2031-01-10T10:00:00Z');
      // Inserted directly, as if the process died between the commit and queueing its jobs.
      const [soon] = await ctx.db
        .insert(liveSessions)
        .values({ offeringId: offering.id, ...fields(new Date('2031-01-10T11:30:00Z')) })
        .returning();
      const [tomorrow] = await ctx.db
        .insert(liveSessions)
        .values({ offeringId: offering.id, ...fields(new Date('2031-01-11T10:40:00Z')) })
        .returning();
      const [later] = await ctx.db
        .insert(liveSessions)
        .values({ offeringId: offering.id, ...fields(new Date('2031-01-12T10:00:00Z')) })
        .returning();

      expect(await sweepReminders(ctx, now)).toBe(2);
      // The 1 h reminder of the session in 90 minutes (its 24 h one is long past).
      expect((await waiting(soon!.id)).map((j) => [j.data.kind, new Date(j.start_after).toISOString()])).toEqual([['1h', '2031-01-10T10:30:00.000Z']]);
      // The 24 h reminder due in 40 minutes; its 1 h one is a day away, for a later sweep.
      expect((await waiting(tomorrow!.id)).map((j) => [j.data.kind, new Date(j.start_after).toISOString()])).toEqual([['24h', '2031-01-10T10:40:00.000Z']]);
      expect(await jobsOf(later!.id)).toEqual([]);

      // Sweeping again changes nothing.
      expect(await sweepReminders(ctx, new Date(now.getTime() + 5 * MINUTE))).toBe(0);
      expect(await jobsOf(soon!.id)).toHaveLength(1);
      expect(await jobsOf(tomorrow!.id)).toHaveLength(1);
    });

    it('leaves cancelled sessions and unpublished offerings alone', async () => {
      const now = new Date('2031-02-10T10:00:00Z');
      const draft = await makeOffering();
      const published = await makeOffering({ status: 'published' });
      const [inDraft] = await ctx.db.insert(liveSessions).values({ offeringId: draft.id, ...fields(new Date(now.getTime() + 90 * MINUTE)) }).returning();
      const [cancelled] = await ctx.db
        .insert(liveSessions)
        .values({ offeringId: published.id, ...fields(new Date(now.getTime() + 90 * MINUTE)), cancelledAt: now })
        .returning();
      await sweepReminders(ctx, now);
      expect(await jobsOf(inDraft!.id)).toEqual([]);
      expect(await jobsOf(cancelled!.id)).toEqual([]);
    });
  });
});
