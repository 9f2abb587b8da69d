import type { Submission, SubmissionResult } from '@conform-to/react';
import { data } from '@remix-run/node';
import { eq } from 'drizzle-orm';
import { users } from '#db/schema';
import type { RequestContext } from '../context.server';
import { checkLimits, clearLimit, consumeLimits, type LimitCheck } from '../auth/rate-limit.server';
import { tooManyAttempts } from '../auth/limit-response.server';
import { verifyPassword } from '../auth/password.server';
import { message } from '../forms/messages';

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

/**
 * The answer to a refused check for a form that re-asks the password (the export and the deletion):
 * the wait in words with a 429 once locked, else the field's message with a 400; null when it passed.
 * The typed password is never sent back.
 */
export function passwordRefusal(check: PasswordCheck, submission: Pick<Submission<unknown>, 'reply'>) {
  if (check.ok) return null;
  if (check.reason === 'locked') {
    const limited = tooManyAttempts(check.check);
    return data({ result: submission.reply({ formErrors: [limited.message], hideFields: ['password'] }) as SubmissionResult<string[]> }, limited.init);
  }
  return data(
    { result: submission.reply({ fieldErrors: { password: [message('errors.wrongPassword')] }, hideFields: ['password'] }) as SubmissionResult<string[]> },
    { status: 400 },
  );
}
