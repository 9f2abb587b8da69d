import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolments, liveSessions, offerings, outboxEmails } from '#db/schema';
import { ensureFeedToken, feedCalendar, loadFeed } from '~/modules/calendar/feeds.server';
import { enrol } from '~/modules/enrolment/enrolment.server';
import { parseCalendar } from '../support/calendar';
import { createTestContext, recordingJobQueue, type TestContext } from '../support/context';
import { createUser } from '../support/factories';

const DAY = 86_400_000;

/** What differs between the drivers: the invitation passed into the placing statement as JSON, and the feed's sessions read back as JSON. */
describe('calendars on both drivers', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  async function publishedEventWithSessions() {
    const now = Math.floor(Date.now() / 60_000) * 60_000;
    const [offering] = await ctx.db
      .insert(offerings)
      .values({
        slug: `both-${randomBytes(4).toString('hex')}`,
        kind: 'online_event',
        title: 'Reading aloud',
        language: 'en',
        organiserTimeZone: 'Europe/Oslo',
        enrolmentOpensAt: new Date(now - DAY),
        enrolmentClosesAt: new Date(now + DAY),
        startsAt: new Date(now + 2 * DAY),
        endsAt: new Date(now + 9 * DAY),
        status: 'published',
        publishedAt: new Date(now),
      })
      .returning();
    const sessions = await ctx.db
      .insert(liveSessions)
      .values([
        { offeringId: offering!.id, title: 'First', startsAt: new Date(now + 2 * DAY), organiserTimeZone: 'Europe/Oslo', durationMinutes: 60 },
        { offeringId: offering!.id, title: 'Second', startsAt: new Date(now + 9 * DAY), organiserTimeZone: 'Europe/Oslo', durationMinutes: 45, sequence: 3 },
      ])
      .returning();
    return { offering: offering!, sessions };
  }

  it('attaches the invitation to the confirmation the placing statement writes', async () => {
    const { offering, sessions } = await publishedEventWithSessions();
    const user = await createUser(ctx.db);
    const outcome = await enrol(
      ctx,
      {
        offering: { offeringId: offering.id },
        person: { id: user.id, email: user.email, fullName: user.fullName, locale: 'nb', timeZone: 'Europe/Oslo', emailVerified: true, staffStatus: 'none' },
      },
      new Date(),
    );
    expect(outcome).toMatchObject({ ok: true, status: 'enrolled' });
    const [mail] = await ctx.db.select().from(outboxEmails).where(eq(outboxEmails.toAddress, user.email));
    expect(mail!.attachments).toHaveLength(1);
    expect(mail!.attachments[0]).toMatchObject({ filename: 'invite.ics', method: 'REQUEST' });
    const parsed = parseCalendar(mail!.attachments[0]!.content);
    expect(parsed.method).toBe('REQUEST');
    expect(parsed.events.map((e) => [e.start.getTime(), e.sequence])).toEqual(sessions.map((s) => [s.startsAt.getTime(), s.sequence]));
    expect(parsed.events[0]!.description).toContain('Øktside');
  });

  it('reads the feed of sessions back with the stored instants', async () => {
    const { offering, sessions } = await publishedEventWithSessions();
    const user = await createUser(ctx.db);
    await ctx.db.insert(enrolments).values({ offeringId: offering.id, userId: user.id, status: 'enrolled', enrolledAt: new Date() });
    const token = await ensureFeedToken(ctx.db, user.id, new Date());
    const feed = await loadFeed(ctx.db, token);
    expect(feed).not.toBeNull();
    const parsed = parseCalendar(feedCalendar(feed!, ctx.config, new Date()));
    const sessionEvents = parsed.events.filter((e) => e.uid.startsWith('session-'));
    expect(sessionEvents.map((e) => [e.uid, e.start.getTime(), e.end!.getTime(), e.sequence])).toEqual(
      sessions.map((s) => [`session-${s.id}@localhost`, s.startsAt.getTime(), s.startsAt.getTime() + s.durationMinutes * 60_000, s.sequence]),
    );
    expect(await loadFeed(ctx.db, 'x'.repeat(43))).toBeNull();
  });
});
