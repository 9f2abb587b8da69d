import { and, eq, gt, inArray, isNull, lte } from 'drizzle-orm';
import type { Executor, Transaction } from '#db/client';
import { enrolments, liveSessions, offerings, users } from '#db/schema';
import type { EmailLocale } from '#emails/index';
import { dispatchEmails, enqueueEmails } from '../email/outbox.server';
import type { AppContext } from '../context.server';
import { BOSS_SCHEMA, QUEUES, type JobQueue, type SendOptions } from '../jobs/jobs.server';
import type { AfterCommit, SessionChange } from '../live/session-changes.server';
import { dateTimeFormat } from '../time/intl';
import { describeSessionTime } from '../time/session-time';
import {
  plannedReminders,
  REMINDER_GRACE_MS,
  reminderIdempotencyKey,
  reminderJobKey,
  reminderVerdict,
  sessionJobKeyPrefix,
  type PlannedReminder,
  type ReminderJobData,
  type ReminderVerdict,
} from './schedule';

/**
 * Session reminders (DESIGN.md §5, issue 5; docs/decisions/0008): one
 * pg-boss job per session, kind and start, due at the reminder's instant.
 * The handler reads the session and its participants when it runs, so a
 * moved or cancelled session, a participant who left and one who joined late
 * are all judged by the state at that moment; the outbox key per (kind,
 * session, start, participant) keeps it to one email each, whoever runs it.
 */

/** A failed run is retried with backoff; the grace window (schedule.ts) ends the usefulness of late retries. */
const REMINDER_JOB_OPTIONS = { retryLimit: 4, retryDelay: 30, retryBackoff: true, expireInSeconds: 600 } as const;

export function reminderJobOptions(planned: PlannedReminder): SendOptions {
  return { ...REMINDER_JOB_OPTIONS, startAfter: planned.dueAt, singletonKey: reminderJobKey(planned.data) };
}

/** Queues reminder jobs; the queue's singleton key makes queueing one twice a no-op. */
export async function queueReminderJobs(jobs: JobQueue, planned: PlannedReminder[]): Promise<void> {
  for (const reminder of planned) {
    await jobs.send(QUEUES.sessionReminder, reminder.data, reminderJobOptions(reminder));
  }
}

/**
 * Cancels a session's reminder jobs that have not started, except the ones
 * still wanted. Tidiness, not safety: a job for an old start that escapes
 * this (it was being fetched at that moment) finds the session moved and
 * sends nothing.
 */
export async function cancelWaitingReminderJobs(context: Pick<AppContext, 'rawQuery'>, sessionId: string, keepKeys: string[]): Promise<number> {
  const keep = keepKeys.map((_, i) => `$${i + 3}`);
  const result = await context.rawQuery(
    `update ${BOSS_SCHEMA}.job set state = 'cancelled', completed_on = now()
      where name = $1 and starts_with(singleton_key, $2) and state < 'active'${keep.length > 0 ? ` and singleton_key not in (${keep.join(', ')})` : ''}`,
    [QUEUES.sessionReminder, sessionJobKeyPrefix(sessionId), ...keepKeys],
  );
  return result.rowCount;
}

/**
 * The reminder side of a session change (called by noticeSessionChange in
 * the change's transaction). Jobs are queued and old ones cancelled after
 * commit: a job must not point at a start that may still roll back, and a
 * pg-boss hiccup must not undo a trainer's change. Lost work is put back by
 * the sweep.
 */
export async function planSessionReminders(_tx: Transaction, _context: AppContext, change: SessionChange, now: Date): Promise<AfterCommit[]> {
  const { session } = change;
  switch (change.kind) {
    case 'edited':
      // Same start: the jobs already queued are the right ones.
      return [];
    case 'cancelled':
    case 'removed':
      return [(context) => cancelWaitingReminderJobs(context, session.id, []).then(() => undefined)];
    case 'added':
    case 'rescheduled': {
      const planned = plannedReminders(session, now);
      return [
        async (context) => {
          await cancelWaitingReminderJobs(
            context,
            session.id,
            planned.map((p) => reminderJobKey(p.data)),
          );
          await queueReminderJobs(context.jobs, planned);
        },
      ];
    }
  }
}

/** How far ahead the sweep looks: jobs due within this are put back if missing (the sweep runs every five minutes). */
export const SWEEP_HORIZON_MS = 60 * 60_000;

/**
 * Puts back reminder jobs that were lost (the process died between a
 * session's commit and queueing its jobs, or the session came in without
 * going through changeSessions, as seeded ones do). Looks at reminders due
 * from a grace period ago to the horizon, and queues those that have no job
 * in any state but cancelled; one already sent is not sent again (the job
 * exists, and the outbox key would stop it anyway).
 */
export async function sweepReminders(context: AppContext, now: Date): Promise<number> {
  const longestLeadMs = 24 * 3_600_000;
  const sessions = await context.db
    .select({ id: liveSessions.id, startsAt: liveSessions.startsAt, cancelledAt: liveSessions.cancelledAt })
    .from(liveSessions)
    .innerJoin(offerings, eq(offerings.id, liveSessions.offeringId))
    .where(
      and(
        isNull(liveSessions.cancelledAt),
        eq(offerings.status, 'published'),
        gt(liveSessions.startsAt, now),
        lte(liveSessions.startsAt, new Date(now.getTime() + longestLeadMs + SWEEP_HORIZON_MS)),
      ),
    );
  const wanted = sessions
    .flatMap((session) => plannedReminders(session, now))
    .filter((p) => p.dueAt.getTime() <= now.getTime() + SWEEP_HORIZON_MS && p.dueAt.getTime() >= now.getTime() - REMINDER_GRACE_MS);
  if (wanted.length === 0) return 0;

  const keys = wanted.map((p) => reminderJobKey(p.data));
  const existing = new Set<string>();
  // Batches keep the parameter list short whatever the number of sessions.
  for (let start = 0; start < keys.length; start += 500) {
    const batch = keys.slice(start, start + 500);
    const { rows } = await context.rawQuery(
      `select singleton_key from ${BOSS_SCHEMA}.job where name = $1 and state <> 'cancelled' and singleton_key in (${batch.map((_, i) => `$${i + 2}`).join(', ')})`,
      [QUEUES.sessionReminder, ...batch],
    );
    for (const row of rows) existing.add(String(row.singleton_key));
  }
  const missing = wanted.filter((p) => !existing.has(reminderJobKey(p.data)));
  await queueReminderJobs(context.jobs, missing);
  return missing.length;
}

/** Participants who hear about a session: everyone with an active place in its offering (enrolled, or completed and still welcome). */
export async function activeParticipants(db: Executor, offeringId: string) {
  return db
    .select({ id: users.id, email: users.email, fullName: users.fullName, locale: users.locale, timeZone: users.timeZone })
    .from(enrolments)
    .innerJoin(users, eq(users.id, enrolments.userId))
    .where(and(eq(enrolments.offeringId, offeringId), inArray(enrolments.status, ['enrolled', 'completed'])));
}

/** The page of a session, where its join link opens (built by the joining work). */
export function sessionPageUrl(appUrl: string, sessionId: string): string {
  return `${appUrl}/sessions/${sessionId}`;
}

/** A person's zone if Intl can format in it (aliases such as Europe/Kiev included), else the fallback: one odd profile must not fail a whole mailing. */
export function usableTimeZone(zone: string, fallback: string): string {
  try {
    // Kept by the shared cache: a mailing asks for the same few zones once per recipient.
    dateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return fallback;
  }
}

export type ReminderOutcome = { verdict: ReminderVerdict | 'offering-archived'; queued: number };

/**
 * Runs one reminder job: judged against the session as it is now, sent to
 * the participants as they are now, each in their language and zone. Two
 * workers running the same job write one outbox row per participant.
 */
export async function sendSessionReminder(context: AppContext, job: ReminderJobData, now: Date): Promise<ReminderOutcome> {
  const [row] = await context.db
    .select({
      startsAt: liveSessions.startsAt,
      cancelledAt: liveSessions.cancelledAt,
      title: liveSessions.title,
      organiserTimeZone: liveSessions.organiserTimeZone,
      offeringId: offerings.id,
      offeringTitle: offerings.title,
      offeringSlug: offerings.slug,
      offeringStatus: offerings.status,
    })
    .from(liveSessions)
    .innerJoin(offerings, eq(offerings.id, liveSessions.offeringId))
    .where(eq(liveSessions.id, job.sessionId))
    .limit(1);
  const verdict = reminderVerdict(job, row ?? null, now);
  if (verdict !== 'send' || !row) return { verdict, queued: 0 };
  // An archived offering is over; whatever sessions it kept are not announced any more.
  if (row.offeringStatus === 'archived') return { verdict: 'offering-archived', queued: 0 };

  const appUrl = context.config.appUrl;
  const sessionUrl = sessionPageUrl(appUrl, job.sessionId);
  const offeringUrl = `${appUrl}/offerings/${encodeURIComponent(row.offeringSlug)}`;
  const participants = await activeParticipants(context.db, row.offeringId);
  const emails = participants.map((person) => {
    const time = describeSessionTime(row.startsAt, row.organiserTimeZone, usableTimeZone(person.timeZone, row.organiserTimeZone), person.locale);
    return {
      template: 'session-reminder' as const,
      to: person.email,
      locale: person.locale as EmailLocale,
      data: {
        name: person.fullName,
        kind: job.kind,
        offeringTitle: row.offeringTitle,
        sessionTitle: row.title,
        time: time.viewer,
        organiserTime: time.organiser,
        sessionUrl,
        offeringUrl,
      },
      idempotencyKey: reminderIdempotencyKey(job, person.id),
    };
  });
  const queued = await context.db.transaction((tx) => enqueueEmails(tx, context, emails));
  await dispatchEmails(context.jobs, queued);
  return { verdict, queued: queued.length };
}
