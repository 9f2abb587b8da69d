import { randomBytes } from 'node:crypto';
import { users, userRoles } from '#db/schema';
import type { Executor } from '#db/client';
import type { AppContext } from '~/modules/context.server';
import { cookies } from '~/modules/auth/cookies.server';
import { hashPassword } from '~/modules/auth/password.server';
import { createSession } from '~/modules/auth/sessions.server';
import type { RoleGrant } from '~/modules/policy/policy';

/** Every factory user signs in with this unless the test gives another password. */
export const TEST_PASSWORD = 'Tromsø-lantern-harbour-2031';

// scrypt is slow on purpose; one hash of the default password serves every user.
let defaultHash: Promise<string> | null = null;
export function testPasswordHash(): Promise<string> {
  defaultHash ??= hashPassword(TEST_PASSWORD);
  return defaultHash;
}

type UserRow = typeof users.$inferSelect;
export type UserOverrides = Partial<Omit<typeof users.$inferInsert, 'passwordHash'>> & {
  /** Hashed for real; leave out to use TEST_PASSWORD. */
  password?: string;
  roles?: (Omit<RoleGrant, 'country'> & { country?: string })[];
};

/** Inserts a verified participant (and any roles) and returns the row. */
export async function createUser(db: Executor, overrides: UserOverrides = {}): Promise<UserRow> {
  const { password, roles = [], ...fields } = overrides;
  const suffix = randomBytes(5).toString('hex');
  const [user] = await db
    .insert(users)
    .values({
      email: `user-${suffix}@example.test`,
      emailVerifiedAt: new Date(),
      passwordHash: password === undefined ? await testPasswordHash() : await hashPassword(password),
      fullName: `Test User ${suffix}`,
      certificateName: `Test User ${suffix}`,
      country: 'NO',
      school: 'Test School',
      schoolRole: 'teacher',
      locale: 'en',
      timeZone: 'Europe/Oslo',
      ...fields,
    })
    .returning();
  if (roles.length > 0) {
    await db.insert(userRoles).values(roles.map((grant) => ({ userId: user!.id, role: grant.role, country: grant.country ?? '' })));
  }
  return user!;
}

/** A live session for the user, as the value of a Cookie request header. */
export async function signIn(ctx: Pick<AppContext, 'db' | 'config'>, userId: string, now = new Date()): Promise<string> {
  const { token } = await createSession(ctx.db, userId, { userAgent: 'vitest', ipAddress: '127.0.0.1' }, now);
  const setCookie = await cookies(ctx.config).session.serialize(token);
  // Set-Cookie carries attributes after the first ';'; a Cookie header only the pair.
  return setCookie.split(';')[0]!;
}
