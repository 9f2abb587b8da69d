import { randomBytes } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discussionPosts, emailTokens, enrolments, mailboxMessages, offerings, rateLimits, sessions, users, activities } from '#db/schema';
import { QUEUES } from '~/modules/jobs/jobs.server';
import { registerRetentionWorker } from '~/modules/privacy/workers.server';
import { RETENTION, RETENTION_SCHEDULE, runRetention } from '~/modules/privacy/retention.server';
import { createTestContext, type TestContext } from '../support/context';
import { createUser } from '../support/factories';

const DAY = 86_400_000;

describe('retention job', () => {
  let ctx: TestContext;
  const now = new Date();
  const ago = (ms: number) => new Date(now.getTime() - ms);

  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const token = () => randomBytes(16).toString('hex');

  it('removes only what is past its period, in batches, and leaves everything else', async () => {
    // Accounts: never verified and old (goes, with its data), never verified but recent, verified and old, deleted (anonymised) and old.
    const stale = await createUser(ctx.db, { emailVerifiedAt: null, createdAt: ago(RETENTION.unverifiedAccountMs + DAY) });
    const recent = await createUser(ctx.db, { emailVerifiedAt: null, createdAt: ago(RETENTION.unverifiedAccountMs - DAY) });
    const verified = await createUser(ctx.db, { createdAt: ago(400 * DAY) });
    const deleted = await createUser(ctx.db, { emailVerifiedAt: null, deletedAt: ago(100 * DAY), createdAt: ago(400 * DAY) });
    const [offering] = await ctx.db
      .insert(offerings)
      .values({ slug: `ret-${token().slice(0, 8)}`, kind: 'mooc', title: 'Kept', language: 'en', organiserTimeZone: 'UTC', status: 'published' })
      .returning();
    const [discussion] = await ctx.db
      .insert(activities)
      .values({ offeringId: offering!.id, position: 0, kind: 'discussion', title: 'Talk', content: { kind: 'discussion', prompt: '' } })
      .returning();
    await ctx.db.insert(discussionPosts).values({ activityId: discussion!.id, authorId: deleted.id, body: 'kept as deleted user' });
    await ctx.db.insert(enrolments).values({ offeringId: offering!.id, userId: stale.id, status: 'waitlisted', waitlistSeq: Date.now() });

    // Sessions: 2,500 expired (three batches of 1,000) and one live.
    await ctx.handle.query(
      `insert into sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
       select 'expired-' || g, $1, $2, $2, $3 from generate_series(1, 2500) g`,
      [verified.id, ago(40 * DAY).toISOString(), ago(DAY).toISOString()],
    );
    const [live] = await ctx.db
      .insert(sessions)
      .values({ tokenHash: token(), userId: verified.id, expiresAt: new Date(now.getTime() + DAY) })
      .returning();

    // Email tokens: used, expired, and one still good.
    const tokenRow = (overrides: Partial<typeof emailTokens.$inferInsert>) => ({
      tokenHash: token(),
      userId: verified.id,
      purpose: 'reset_password' as const,
      email: verified.email,
      expiresAt: new Date(now.getTime() + DAY),
      ...overrides,
    });
    await ctx.db.insert(emailTokens).values([tokenRow({ usedAt: ago(DAY) }), tokenRow({ expiresAt: ago(1000) })]);
    const [goodToken] = await ctx.db.insert(emailTokens).values(tokenRow({})).returning();

    // Mailbox: one message older than 30 days, one newer.
    const message = (receivedAt: Date) => ({ messageId: `<${token()}@test>`, fromAddress: 'a@test', toAddress: 'b@test', subject: 's', text: '', html: '', raw: '', receivedAt });
    await ctx.db.insert(mailboxMessages).values(message(ago(RETENTION.mailboxMessageMs + DAY)));
    const [freshMail] = await ctx.db.insert(mailboxMessages).values(message(ago(DAY))).returning();

    // Rate limits: a window that ended, one still running.
    await ctx.db.insert(rateLimits).values([
      { key: `loginAccount:old-${token()}`, points: 3, expire: now.getTime() - 1000 },
      { key: `loginAccount:now-${token()}`, points: 3, expire: now.getTime() + 60_000 },
    ]);

    // Counts the statements, to see the 2,500 sessions go 1,000 at a time.
    const statements: string[] = [];
    const counting = { rawQuery: (text: string, values?: unknown[]) => (statements.push(text), ctx.rawQuery(text, values)) };
    const report = await runRetention(counting, now);
    expect(report).toEqual({ unverifiedAccounts: 1, expiredSessions: 2500, spentEmailTokens: 2, mailboxMessages: 1, rateLimits: 1 });
    expect(statements.filter((text) => text.startsWith('delete from sessions'))).toHaveLength(3);

    const remainingUsers = await ctx.db.select({ id: users.id }).from(users).where(inArray(users.id, [stale.id, recent.id, verified.id, deleted.id]));
    expect(remainingUsers.map((u) => u.id).sort()).toEqual([recent.id, verified.id, deleted.id].sort());
    expect(await ctx.db.select().from(enrolments).where(eq(enrolments.userId, stale.id))).toHaveLength(0);
    expect((await ctx.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, verified.id))).map((s) => s.id)).toEqual([live!.id]);
    expect((await ctx.db.select({ id: emailTokens.id }).from(emailTokens).where(eq(emailTokens.userId, verified.id))).map((t) => t.id)).toEqual([goodToken!.id]);
    expect((await ctx.db.select({ id: mailboxMessages.id }).from(mailboxMessages)).map((m) => m.id)).toEqual([freshMail!.id]);
    expect(await ctx.db.select().from(rateLimits)).toHaveLength(1);
    expect(await ctx.db.select().from(discussionPosts).where(eq(discussionPosts.authorId, deleted.id))).toHaveLength(1);

    // A second run finds nothing more.
    expect(await runRetention(ctx, now)).toEqual({ unverifiedAccounts: 0, expiredSessions: 0, spentEmailTokens: 0, mailboxMessages: 0, rateLimits: 0 });
  });

  it('is scheduled daily at 03:15 UTC on its own queue', async () => {
    await registerRetentionWorker(ctx.boss!, ctx);
    const schedules = await ctx.boss!.getSchedules();
    expect(schedules).toEqual(expect.arrayContaining([expect.objectContaining({ name: QUEUES.retention, cron: RETENTION_SCHEDULE, timezone: 'UTC' })]));
    expect(RETENTION_SCHEDULE).toBe('15 3 * * *');
  });
});
