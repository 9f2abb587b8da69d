import type { AppContext } from '../context.server';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How long data nobody needs any more is kept (README, "Privacy"). One
 * place, so the README, the job and its tests agree.
 */
export const RETENTION = {
  /** Accounts whose address was never verified are removed with their data after this long. */
  unverifiedAccountMs: 14 * DAY_MS,
  /** Messages in the built-in development mailbox. */
  mailboxMessageMs: 30 * DAY_MS,
  /** Rows per DELETE: each statement is short, so it never holds locks for long or blocks sign-ins. */
  batchSize: 1_000,
} as const;

/** Daily at 03:15 UTC, when hardly anyone is signed in. */
export const RETENTION_SCHEDULE = '15 3 * * *';

export interface RetentionReport {
  unverifiedAccounts: number;
  expiredSessions: number;
  spentEmailTokens: number;
  mailboxMessages: number;
  rateLimits: number;
}

export interface RetentionOptions {
  unverifiedAccountMs?: number;
  mailboxMessageMs?: number;
  batchSize?: number;
}

/**
 * Removes what the platform no longer needs, in batches of `batchSize` rows
 * (each its own short statement, oldest first by an index):
 * accounts never verified after 14 days (their rows cascade), expired
 * sessions, used or expired email-link tokens, dev-mailbox messages older
 * than 30 days and rate-limit counters whose window has passed.
 * Safe to run in several workers at once: a row deleted by one is skipped by the other.
 */
export async function runRetention(context: Pick<AppContext, 'rawQuery'>, now: Date, options: RetentionOptions = {}): Promise<RetentionReport> {
  const batch = options.batchSize ?? RETENTION.batchSize;
  const unverifiedBefore = new Date(now.getTime() - (options.unverifiedAccountMs ?? RETENTION.unverifiedAccountMs));
  const mailboxBefore = new Date(now.getTime() - (options.mailboxMessageMs ?? RETENTION.mailboxMessageMs));
  const at = now.toISOString();

  return {
    // Deleted (anonymised) accounts are never verified either, but they stay for their posts and certificates;
    // an account holding a certificate is never removed (certificates are kept for verification), nor one holding a seat
    // (removing it would not give the seat back; only verified people can enrol, so this is a trainer's doing).
    unverifiedAccounts: await inBatches(
      context,
      `delete from users where id in (
         select u.id from users u
         where u.email_verified_at is null and u.created_at < $1 and u.deleted_at is null
           and not exists (select 1 from certificates c where c.user_id = u.id)
           and not exists (select 1 from enrolments e where e.user_id = u.id and e.status = 'enrolled')
         order by u.created_at limit $2 for update skip locked)`,
      [unverifiedBefore.toISOString(), batch],
      batch,
    ),
    expiredSessions: await inBatches(
      context,
      `delete from sessions where id in (select id from sessions where expires_at <= $1 order by expires_at limit $2 for update skip locked)`,
      [at, batch],
      batch,
    ),
    spentEmailTokens: await inBatches(
      context,
      `delete from email_tokens where id in (
         select id from email_tokens where expires_at <= $1 or used_at is not null limit $2 for update skip locked)`,
      [at, batch],
      batch,
    ),
    mailboxMessages: await inBatches(
      context,
      `delete from mailbox_messages where id in (
         select id from mailbox_messages where received_at < $1 order by received_at limit $2 for update skip locked)`,
      [mailboxBefore.toISOString(), batch],
      batch,
    ),
    // rate-limiter-flexible stores the end of each window in epoch milliseconds.
    rateLimits: await inBatches(
      context,
      `delete from rate_limits where key in (select key from rate_limits where expire is not null and expire <= $1 limit $2 for update skip locked)`,
      [now.getTime(), batch],
      batch,
    ),
  };
}

/** Runs one DELETE … LIMIT statement until it removes fewer rows than a full batch; returns the total. */
async function inBatches(context: Pick<AppContext, 'rawQuery'>, statement: string, values: unknown[], batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await context.rawQuery(`${statement} returning 1`, values);
    const removed = result.rows.length;
    total += removed;
    if (removed < batch) return total;
  }
}

