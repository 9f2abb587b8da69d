import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from '#db/seed';
import { staffValidationRequests, userRoles, users } from '#db/schema';
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
    const count = async (table: typeof users | typeof userRoles | typeof staffValidationRequests) =>
      (await ctx.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;
    return { users: await count(users), roles: await count(userRoles), validations: await count(staffValidationRequests) };
  }

  it('seeds an empty database once, and a second run changes nothing', async () => {
    expect(await seedDemoData(ctx.db, { onlyIfEmpty: true, hashPassword: hash })).toEqual({ users: DEMO_ACCOUNTS.length, skipped: false });
    const first = await counts();
    expect(first).toEqual({
      users: DEMO_ACCOUNTS.length,
      roles: DEMO_ACCOUNTS.reduce((n, a) => n + a.roles.length, 0),
      validations: DEMO_ACCOUNTS.filter((a) => a.staffStatus !== 'none').length,
    });

    await seedDemoData(ctx.db, { onlyIfEmpty: false, hashPassword: hash });
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
    expect(before).toEqual({ users: 1, roles: 0, validations: 0 });
    const callsBefore = hashCalls;
    expect(await seedDemoData(ctx.db, { onlyIfEmpty: true, hashPassword: hash })).toEqual({ users: before.users, skipped: true });
    expect(await counts()).toEqual(before);
    expect(hashCalls).toBe(callsBefore);
  });
});
