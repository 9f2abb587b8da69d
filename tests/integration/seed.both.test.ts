import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from '#db/seed';
import { activities, liveSessions, modules, offerings, staffValidationRequests, userRoles, users } from '#db/schema';
import { DEMO_OFFERINGS } from '#db/seed-offerings';
import { publishProblems } from '~/modules/offerings/rules';
import { offeringSearchText } from '~/modules/offerings/search-text';
import { hashPassword, verifyPassword } from '~/modules/auth/password.server';
import { createTestContext, recordingJobQueue, type TestContext } from '../support/context';
import { createUser } from '../support/factories';

describe('seedDemoData', () => {
  let ctx: TestContext;
  // One real hash for every run of the seed; the seed asks for it once per call.
  let demoHash: Promise<string>;
  let hashCalls = 0;
  const hash = (password: string) => {
    hashCalls++;
    expect(password).toBe(DEMO_PASSWORD);
    return demoHash;
  };

  beforeAll(async () => {
    demoHash = hashPassword(DEMO_PASSWORD);
    ctx = await createTestContext({ jobs: recordingJobQueue() });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  async function counts() {
    const count = async (table: typeof users | typeof userRoles | typeof staffValidationRequests | typeof offerings | typeof activities) =>
      (await ctx.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;
    return {
      users: await count(users),
      roles: await count(userRoles),
      validations: await count(staffValidationRequests),
      offerings: await count(offerings),
      activities: await count(activities),
    };
  }

  it('seeds an empty database once, and a second run changes nothing', async () => {
    expect(await seedDemoData(ctx.db, { onlyIfEmpty: true, hashPassword: hash, offeringSearchText })).toEqual({
      users: DEMO_ACCOUNTS.length,
      offerings: DEMO_OFFERINGS.length,
      skipped: false,
    });
    const first = await counts();
    expect(first).toMatchObject({
      users: DEMO_ACCOUNTS.length,
      roles: DEMO_ACCOUNTS.reduce((n, a) => n + a.roles.length, 0),
      validations: DEMO_ACCOUNTS.filter((a) => a.staffStatus !== 'none').length,
      offerings: DEMO_OFFERINGS.length,
    });
    expect(first.activities).toBeGreaterThan(50);

    await seedDemoData(ctx.db, { onlyIfEmpty: false, hashPassword: hash, offeringSearchText });
    expect(await counts()).toEqual(first);

    // The demo password works for a seeded account.
    const [admin] = await ctx.db.select().from(users).where(sql`${users.email} = ${DEMO_ACCOUNTS[0]!.email}`);
    expect(admin!.fullName).toBe(DEMO_ACCOUNTS[0]!.fullName);
    expect(await verifyPassword(DEMO_PASSWORD, admin!.passwordHash)).toBe(true);
  });

  it('skips with onlyIfEmpty once any account exists', async () => {
    await ctx.db.delete(users);
    await createUser(ctx.db, { email: 'someone@example.test' });
    const before = await counts();
    expect(before).toMatchObject({ users: 1, roles: 0, validations: 0 });
    const callsBefore = hashCalls;
    expect(await seedDemoData(ctx.db, { onlyIfEmpty: true, hashPassword: hash, offeringSearchText })).toEqual({
      users: before.users,
      offerings: 0,
      skipped: true,
    });
    expect(await counts()).toEqual(before);
    expect(hashCalls).toBe(callsBefore);
  });

  it('seeds offerings of every kind whose published ones satisfy the publish rules, relative to today', async () => {
    await ctx.db.delete(offerings);
    const now = new Date('2026-03-20T12:00:00Z');
    await seedDemoData(ctx.db, { onlyIfEmpty: false, hashPassword: hash, offeringSearchText, now });
    const rows = await ctx.db.select().from(offerings);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['mooc', 'short_course', 'webinar', 'webinar_series', 'online_event']));
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['draft', 'published', 'archived']));
    const allSessions = await ctx.db.select().from(liveSessions);
    const allActivities = await ctx.db.select().from(activities);
    const allModules = await ctx.db.select().from(modules);
    for (const o of rows.filter((r) => r.status === 'published')) {
      const problems = publishProblems({
        ...o,
        sessions: allSessions.filter((s) => s.offeringId === o.id),
        activities: allActivities.filter((a) => a.offeringId === o.id).map((a) => ({ ...a, inModule: a.moduleId !== null })),
        moduleCount: allModules.filter((m) => m.offeringId === o.id).length,
      });
      expect({ slug: o.slug, problems }).toEqual({ slug: o.slug, problems: [] });
    }
    const openNow = rows.filter((r) => r.status === 'published' && r.enrolmentOpensAt! <= now && r.enrolmentClosesAt! > now);
    const running = rows.filter((r) => r.status === 'published' && r.startsAt! <= now && r.endsAt! > now);
    const finished = rows.filter((r) => r.status === 'published' && r.endsAt! <= now);
    expect(openNow.length).toBeGreaterThan(2);
    expect(running.length).toBeGreaterThan(0);
    expect(finished.length).toBeGreaterThan(0);
  });
});
