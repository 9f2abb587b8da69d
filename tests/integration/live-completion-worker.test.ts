import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolments, liveSessions, offerings, sessionJoins } from '#db/schema';
import { QUEUES } from '~/modules/jobs/jobs.server';
import { registerAttendanceWorkers } from '~/modules/live/attendance-workers.server';
import { createTestContext, type TestContext } from '../support/context';
import { createUser } from '../support/factories';

describe('the session-ended worker on pg-boss', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestContext();
    await registerAttendanceWorkers(ctx.boss!, ctx);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000) {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (await check()) return true;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return false;
  }

  it('completes a participant who joined, from the job due at the session’s end, and keeps the hourly sweep scheduled', async () => {
    const startsAt = new Date(Date.now() - 2 * 60 * 60 * 1000);
    const [offering] = await ctx.db
      .insert(offerings)
      .values({ slug: `worker-${randomBytes(4).toString('hex')}`, kind: 'webinar', title: 'Worker', language: 'en', organiserTimeZone: 'UTC', status: 'published' })
      .returning({ id: offerings.id });
    const [session] = await ctx.db
      .insert(liveSessions)
      .values({ offeringId: offering!.id, title: 'Live', startsAt, organiserTimeZone: 'UTC', durationMinutes: 60 })
      .returning({ id: liveSessions.id });
    const user = await createUser(ctx.db);
    const [enrolment] = await ctx.db.insert(enrolments).values({ offeringId: offering!.id, userId: user.id, status: 'enrolled', enrolledAt: startsAt }).returning();
    await ctx.db.insert(sessionJoins).values({ sessionId: session!.id, userId: user.id, joinedAt: startsAt });

    await ctx.jobs.send(QUEUES.sessionEnded, { sessionId: session!.id });
    const completed = await waitFor(async () => (await ctx.db.select().from(enrolments).where(eq(enrolments.id, enrolment!.id)))[0]!.status === 'completed');
    expect(completed).toBe(true);

    const schedules = await ctx.boss!.getSchedules();
    expect(schedules.find((s) => s.name === QUEUES.sessionEnded)).toMatchObject({ cron: '23 * * * *', data: { sweep: true } });
  });
});
