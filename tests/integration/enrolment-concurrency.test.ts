/**
 * Seats under concurrency, on real PostgreSQL only (a race on PGlite, which
 * serves one statement at a time, would prove nothing): many people enrol at
 * once through a pool of 20 connections, and the counter never passes the
 * capacity, nobody is in twice, and the waitlist has one number per person.
 */
import type { AppLoadContext } from '@remix-run/node';
import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '#db/client';
import { enrolments, invitations, offeringTrainers, offerings, outboxEmails, users } from '#db/schema';
import type { AppContext } from '~/modules/context.server';
import { enrol, unenrol, type EnrollingPerson } from '~/modules/enrolment/enrolment.server';
import { acceptInvitation, inviteByEmail } from '~/modules/enrolment/invitations.server';
import { allParticipants } from '~/modules/enrolment/participants.server';
import { action as enrolmentAction } from '~/routes/offerings.$slug.enrolment';
import { contextFrom, createTestContext, recordingJobQueue, type TestContext } from '../support/context';
import { signIn, testPasswordHash } from '../support/factories';
import { makeRequest, requestContext } from '../support/requests';

const DAY = 86_400_000;

describe('enrolment under concurrency (PostgreSQL)', () => {
  let ctx: TestContext;
  let handle: DatabaseHandle;
  /** The app context on a pool of 20, so transactions really overlap. */
  let app: AppContext;
  let trainerId: string;

  beforeAll(async () => {
    ctx = await createTestContext({ driver: 'postgres', jobs: recordingJobQueue() });
    if (ctx.config.database.kind !== 'postgres') throw new Error('PostgreSQL only');
    handle = createDatabase({ kind: 'postgres', url: ctx.config.database.url, poolSize: 20 });
    app = contextFrom(handle, ctx.config, ctx.jobs);
    trainerId = (await makePeople(1))[0]!.id;
  });
  afterAll(async () => {
    await handle?.close();
    await ctx?.close();
  });

  /** Verified participants, inserted in one statement. */
  async function makePeople(n: number): Promise<EnrollingPerson[]> {
    const passwordHash = await testPasswordHash();
    const batch = randomBytes(4).toString('hex');
    const rows = await ctx.db
      .insert(users)
      .values(
        Array.from({ length: n }, (_, i) => ({
          email: `p${i}-${batch}@example.test`,
          emailVerifiedAt: new Date(),
          passwordHash,
          fullName: `Participant ${i}`,
          certificateName: `Participant ${i}`,
          country: 'SE',
          school: 'Skolan',
          schoolRole: 'teacher' as const,
        })),
      )
      .returning();
    return rows.map((u) => ({ id: u.id, email: u.email, fullName: u.fullName, locale: u.locale, timeZone: u.timeZone, emailVerified: true, staffStatus: u.staffStatus }));
  }

  async function makeOffering(capacity: number, waitlistEnabled: boolean) {
    const now = Date.now();
    const [row] = await ctx.db
      .insert(offerings)
      .values({
        slug: `race-${randomBytes(4).toString('hex')}`,
        kind: 'mooc',
        title: 'Popular course',
        language: 'en',
        organiserTimeZone: 'Europe/Stockholm',
        enrolmentOpensAt: new Date(now - DAY),
        enrolmentClosesAt: new Date(now + 10 * DAY),
        startsAt: new Date(now + 11 * DAY),
        endsAt: new Date(now + 40 * DAY),
        status: 'published',
        capacity,
        waitlistEnabled,
      })
      .returning();
    await ctx.db.insert(offeringTrainers).values({ offeringId: row!.id, userId: trainerId });
    return row!;
  }

  /** The invariant the bench checks too: enrolled = counter ≤ capacity, one row per person, one waitlist number per waiting person. */
  async function invariant(offeringId: string) {
    const [offering] = await ctx.db.select().from(offerings).where(eq(offerings.id, offeringId));
    const rows = await ctx.db.select().from(enrolments).where(eq(enrolments.offeringId, offeringId)).orderBy(asc(enrolments.waitlistSeq));
    const enrolled = rows.filter((r) => r.status === 'enrolled' || r.status === 'completed');
    const waiting = rows.filter((r) => r.status === 'waitlisted');
    expect(enrolled.length).toBe(offering!.seatsTaken);
    if (offering!.capacity !== null) expect(offering!.seatsTaken).toBeLessThanOrEqual(offering!.capacity);
    expect(new Set(rows.map((r) => r.userId)).size).toBe(rows.length);
    const seqs = waiting.map((r) => r.waitlistSeq);
    expect(seqs.every((s) => s !== null)).toBe(true);
    expect(new Set(seqs).size).toBe(seqs.length);
    return { offering: offering!, enrolled, waiting };
  }

  it('never seats more than the capacity when 250 people enrol at once; the rest wait in a gap-free line', async () => {
    const offering = await makeOffering(50, true);
    const crowd = await makePeople(250);
    const now = new Date();
    const results = await Promise.all(crowd.map((person) => enrol(app, { offering: { offeringId: offering.id }, person }, now)));

    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.filter((r) => r.ok && r.status === 'enrolled')).toHaveLength(50);
    expect(results.filter((r) => r.ok && r.status === 'waitlisted')).toHaveLength(200);

    const { enrolled, waiting } = await invariant(offering.id);
    expect(enrolled).toHaveLength(50);
    expect(waiting).toHaveLength(200);
    // The positions people see are ranks by waitlist number: 1…200, each once, in number order.
    const line = await allParticipants(ctx.db, offering.id, { status: 'waitlisted' });
    expect(line.map((row) => row.waitlistPosition)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(line.map((row) => row.userId)).toEqual(waiting.map((row) => row.userId));
    const participants = new Map(crowd.map((p) => [p.id, p]));

    const confirmations = await ctx.db
      .select()
      .from(outboxEmails)
      .where(and(eq(outboxEmails.template, 'enrolment-confirmed'), inArray(outboxEmails.toAddress, crowd.map((p) => p.email))));
    expect(confirmations).toHaveLength(50);
    expect(new Set(confirmations.map((m) => m.toAddress))).toEqual(new Set(enrolled.map((r) => participants.get(r.userId)!.email)));
  });

  it('holds through the HTTP route too: 200 concurrent posts against 50 seats, no errors', async () => {
    const offering = await makeOffering(50, true);
    const crowd = await makePeople(200);
    const cookies = await Promise.all(crowd.map((p) => signIn(ctx, p.id)));
    const context = requestContext(app) as AppLoadContext;
    const statuses = await Promise.all(
      cookies.map(async (cookie) => {
        const request = makeRequest(`/offerings/${offering.slug}/enrolment`, { cookie, form: { intent: 'enrol' } });
        const response = (await enrolmentAction({ request, context, params: { slug: offering.slug } })) as Response;
        return response.status;
      }),
    );
    expect(new Set(statuses)).toEqual(new Set([302]));
    const { enrolled, waiting } = await invariant(offering.id);
    expect([enrolled.length, waiting.length]).toEqual([50, 150]);
  });

  it('makes 50 simultaneous submissions by one person one enrolment, one seat and one email', async () => {
    const offering = await makeOffering(10, true);
    const [person] = await makePeople(1);
    const now = new Date();
    const results = await Promise.all(Array.from({ length: 50 }, () => enrol(app, { offering: { offeringId: offering.id }, person: person! }, now)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(new Set(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.refusal.reason)))).toEqual(new Set(['already-enrolled']));
    const { enrolled } = await invariant(offering.id);
    expect(enrolled).toHaveLength(1);
    expect(await ctx.db.select().from(enrolments).where(eq(enrolments.offeringId, offering.id))).toHaveLength(1);
    expect(await ctx.db.select().from(outboxEmails).where(eq(outboxEmails.toAddress, person!.email))).toHaveLength(1);
  });

  it('promotes the first in line, in order, when several seats free at once, while others keep enrolling', async () => {
    const offering = await makeOffering(20, true);
    const seated = await makePeople(20);
    const waiting = await makePeople(15);
    const now = new Date();
    for (const person of [...seated, ...waiting]) await enrol(app, { offering: { offeringId: offering.id }, person }, now);

    const newcomers = await makePeople(10);
    const leaving = seated.slice(0, 8);
    const outcomes = await Promise.all([
      ...leaving.map((person) => unenrol(app, { offeringId: offering.id, userId: person.id }, new Date())),
      ...newcomers.map((person) => enrol(app, { offering: { offeringId: offering.id }, person }, new Date())),
    ]);
    expect(outcomes.every((o) => o.ok)).toBe(true);

    const { enrolled, waiting: line } = await invariant(offering.id);
    expect(enrolled).toHaveLength(20);
    const enrolledIds = new Set(enrolled.map((r) => r.userId));
    // The eight seats went to the first eight who were waiting before, in their order.
    expect(waiting.slice(0, 8).every((p) => enrolledIds.has(p.id))).toBe(true);
    expect(waiting.slice(8).some((p) => enrolledIds.has(p.id))).toBe(false);
    expect(newcomers.some((p) => enrolledIds.has(p.id))).toBe(false);
    // Those still waiting keep their order: the earlier waiters first, then the newcomers.
    const lineIds = line.map((r) => r.userId);
    expect(lineIds.slice(0, 7)).toEqual(waiting.slice(8).map((p) => p.id));
    expect(new Set(lineIds.slice(7))).toEqual(new Set(newcomers.map((p) => p.id)));
    const promotions = await ctx.db
      .select()
      .from(outboxEmails)
      .where(and(eq(outboxEmails.template, 'waitlist-promoted'), inArray(outboxEmails.toAddress, waiting.map((p) => p.email))));
    expect(promotions).toHaveLength(8);
  });

  it('lets an invitation link enrol once when it is accepted in several tabs at the same time', async () => {
    const offering = await makeOffering(5, true);
    await ctx.db.update(offerings).set({ eligibility: 'invite' }).where(eq(offerings.id, offering.id));
    const [guest] = await makePeople(1);
    await inviteByEmail(app, { offeringId: offering.id, actor: { id: trainerId, fullName: 'Trainer', locale: 'en' }, emails: [guest!.email] }, new Date());
    const [mail] = await ctx.db.select().from(outboxEmails).where(and(eq(outboxEmails.toAddress, guest!.email), eq(outboxEmails.template, 'invitation')));
    const token = /\/invitations\/(\S+)/.exec(mail!.text)![1]!;
    const results = await Promise.all(Array.from({ length: 12 }, () => acceptInvitation(app, { token, person: guest! }, new Date())));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const { enrolled } = await invariant(offering.id);
    expect(enrolled.map((r) => r.userId)).toEqual([guest!.id]);
    const [invitation] = await ctx.db.select().from(invitations).where(eq(invitations.offeringId, offering.id));
    expect(invitation?.acceptedBy).toBe(guest!.id);
  });

  it('survives people enrolling and unenrolling over and over at the same time without a deadlock', async () => {
    const offering = await makeOffering(5, true);
    const crowd = await makePeople(12);
    const errors: unknown[] = [];
    await Promise.all(
      crowd.map(async (person, i) => {
        for (let round = 0; round < 6; round++) {
          try {
            if ((round + i) % 2 === 0) await enrol(app, { offering: { offeringId: offering.id }, person }, new Date());
            else await unenrol(app, { offeringId: offering.id, userId: person.id }, new Date());
          } catch (error) {
            errors.push(error);
          }
        }
      }),
    );
    expect(errors).toEqual([]);
    const { offering: after } = await invariant(offering.id);
    expect(after.seatsTaken).toBeLessThanOrEqual(5);
  });
});
