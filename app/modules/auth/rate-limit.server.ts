import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { AppContext } from '../context.server';

/**
 * Rate limits and temporary lockouts, counted in PostgreSQL (the
 * `rate_limits` table) so they hold across any number of web processes.
 * The arithmetic is rate-limiter-flexible's.
 */
export const LIMITS = {
  /** Wrong passwords for one account: the fifth within 15 minutes locks it for 15 minutes (the library blocks when points are exceeded). */
  loginAccount: { points: 4, duration: 15 * 60, blockDuration: 15 * 60 },
  /** Wrong passwords from one address, across accounts. */
  loginAddress: { points: 30, duration: 15 * 60, blockDuration: 30 * 60 },
  register: { points: 5, duration: 60 * 60, blockDuration: 60 * 60 },
  resetAddress: { points: 10, duration: 60 * 60, blockDuration: 60 * 60 },
  resetAccount: { points: 3, duration: 60 * 60, blockDuration: 60 * 60 },
  verifyResend: { points: 3, duration: 60 * 60, blockDuration: 60 * 60 },
} as const;
export type LimitName = keyof typeof LIMITS;

type Limiters = Record<LimitName, RateLimiterPostgres>;
const limitersByQuery = new WeakMap<AppContext['rawQuery'], Limiters>();

function limiters(context: AppContext): Limiters {
  let made = limitersByQuery.get(context.rawQuery);
  if (!made) {
    // The library speaks to a pg-style pool; this adapter lends it our connection (postgres.js or PGlite).
    const storeClient = {
      query: ({ text, values }: { text: string; values?: unknown[] }) => context.rawQuery(text, values ?? []),
    };
    const entries = Object.entries(LIMITS).map(([name, opts]) => [
      name,
      new RateLimiterPostgres({
        storeClient,
        storeType: 'pool',
        tableName: 'rate_limits',
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix: name,
        ...opts,
      }),
    ]);
    made = Object.fromEntries(entries) as Limiters;
    limitersByQuery.set(context.rawQuery, made);
  }
  return made;
}

export type LimitCheck = { limited: false } | { limited: true; retryAfterSeconds: number };

function limitedFor(ms: number): LimitCheck {
  return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) };
}

/** Whether any of these keys is locked right now, without counting an attempt. */
export async function checkLimits(context: AppContext, checks: [LimitName, string][]): Promise<LimitCheck> {
  const all = limiters(context);
  let worst = 0;
  for (const [name, key] of checks) {
    const res = await all[name].get(key);
    if (res && res.consumedPoints > LIMITS[name].points) worst = Math.max(worst, res.msBeforeNext);
  }
  return worst > 0 ? limitedFor(worst) : { limited: false };
}

/** Counts one attempt against each key; says whether that went over a limit. */
export async function consumeLimits(context: AppContext, checks: [LimitName, string][]): Promise<LimitCheck> {
  const all = limiters(context);
  let worst = 0;
  for (const [name, key] of checks) {
    try {
      await all[name].consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) worst = Math.max(worst, rejection.msBeforeNext);
      else throw rejection;
    }
  }
  return worst > 0 ? limitedFor(worst) : { limited: false };
}

export async function clearLimit(context: AppContext, name: LimitName, key: string): Promise<void> {
  await limiters(context)[name].delete(key);
}
