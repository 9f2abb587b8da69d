import type { RequestContext } from '../context.server';
import { authenticate } from './accounts.server';
import { checkLimits, clearLimit, consumeLimits, type LimitCheck } from './rate-limit.server';
import { startSession } from './sign-in.server';

export type SignInOutcome =
  | { kind: 'signed-in'; setCookie: string }
  | { kind: 'wrong-credentials' }
  | { kind: 'locked'; check: Extract<LimitCheck, { limited: true }> };

/**
 * Sign-in with lockout: five wrong passwords lock the account for a while,
 * many from one address lock that address. A locked account is refused
 * before the password is even checked, so guessing on cannot unlock it.
 */
export async function signIn(context: RequestContext, request: Request, email: string, password: string, now: Date): Promise<SignInOutcome> {
  const keys: Parameters<typeof checkLimits>[1] = [
    ['loginAccount', email],
    ['loginAddress', context.clientAddress],
  ];
  const before = await checkLimits(context, keys);
  if (before.limited) return { kind: 'locked', check: before };
  const user = await authenticate(context.db, email, password);
  if (!user) {
    const after = await consumeLimits(context, keys);
    return after.limited ? { kind: 'locked', check: after } : { kind: 'wrong-credentials' };
  }
  await clearLimit(context, 'loginAccount', email);
  return { kind: 'signed-in', setCookie: await startSession(context, request, user.id, now) };
}
