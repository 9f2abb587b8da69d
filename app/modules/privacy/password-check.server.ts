import { eq } from 'drizzle-orm';
import { users } from '#db/schema';
import type { RequestContext } from '../context.server';
import { checkLimits, clearLimit, consumeLimits, type LimitCheck } from '../auth/rate-limit.server';
import { verifyPassword } from '../auth/password.server';

export type PasswordCheck = { ok: true } | { ok: false; reason: 'wrong-password' } | { ok: false; reason: 'locked'; check: Extract<LimitCheck, { limited: true }> };

/**
 * Re-asks the signed-in person's password before an export or a deletion,
 * counted against the same limits as sign-in (per account and per address):
 * a stolen session cannot be used to guess the password here either, and
 * guesses here lock sign-in as guesses there would.
 */
export async function confirmOwnPassword(context: RequestContext, user: { id: string; email: string }, password: string): Promise<PasswordCheck> {
  const keys: Parameters<typeof checkLimits>[1] = [
    ['loginAccount', user.email],
    ['loginAddress', context.clientAddress],
  ];
  const before = await checkLimits(context, keys);
  if (before.limited) return { ok: false, reason: 'locked', check: before };
  const [row] = await context.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id)).limit(1);
  if (!row || !(await verifyPassword(password, row.passwordHash))) {
    const after = await consumeLimits(context, keys);
    return after.limited ? { ok: false, reason: 'locked', check: after } : { ok: false, reason: 'wrong-password' };
  }
  await clearLimit(context, 'loginAccount', user.email);
  return { ok: true };
}
