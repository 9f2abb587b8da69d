/**
 * When session reminders go out (DESIGN.md §5, issue 5): pure rules shared
 * by the planner (a session added or moved), the sweep (jobs lost in a
 * crash) and the handler (a job that is due).
 */

export const REMINDER_KINDS = ['24h', '1h'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

const LEAD_MS: Record<ReminderKind, number> = { '24h': 24 * 3_600_000, '1h': 3_600_000 };

/**
 * How late a reminder may still go out. A session added 50 minutes before
 * its start still gets its 1 h reminder at once (10 minutes late); one added
 * 30 minutes before gets none, and a 24 h reminder is never sent an hour
 * late. The same margin lets a job that waited for a busy or restarting
 * worker still send, and lets the sweep put back a job lost just before it
 * was due.
 */
export const REMINDER_GRACE_MS = 15 * 60_000;

/** What a reminder job carries: the start it was planned for, so a job for an old start does nothing. */
export interface ReminderJobData {
  sessionId: string;
  kind: ReminderKind;
  /** ISO instant of the session's start when the job was planned. */
  startsAt: string;
}

export interface PlannedReminder {
  data: ReminderJobData;
  /** When the job should run: the reminder's instant, or now for a reminder a little late. */
  dueAt: Date;
}

export function isReminderKind(value: unknown): value is ReminderKind {
  return typeof value === 'string' && (REMINDER_KINDS as readonly string[]).includes(value);
}

export function reminderInstant(startsAt: Date, kind: ReminderKind): Date {
  return new Date(startsAt.getTime() - LEAD_MS[kind]);
}

/** One job per session, kind and start: the queue's singleton key, so queueing twice (after commit and by the sweep) makes one job. */
export function reminderJobKey(data: ReminderJobData): string {
  return `${data.sessionId}:${data.kind}:${data.startsAt}`;
}

/** The prefix every job key of one session starts with (to cancel them all). */
export function sessionJobKeyPrefix(sessionId: string): string {
  return `${sessionId}:`;
}

/**
 * Whether a reminder of this kind is still worth sending at `now`: from
 * before its instant until the grace has passed, and never once the session
 * has started.
 */
export function reminderStillUseful(startsAt: Date, kind: ReminderKind, now: Date): boolean {
  if (now.getTime() >= startsAt.getTime()) return false;
  return now.getTime() <= reminderInstant(startsAt, kind).getTime() + REMINDER_GRACE_MS;
}

/** The reminder jobs a session needs, planned at `now`; none for a cancelled session or one that has started. */
export function plannedReminders(session: { id: string; startsAt: Date; cancelledAt: Date | null }, now: Date): PlannedReminder[] {
  if (session.cancelledAt) return [];
  const planned: PlannedReminder[] = [];
  for (const kind of REMINDER_KINDS) {
    if (!reminderStillUseful(session.startsAt, kind, now)) continue;
    const instant = reminderInstant(session.startsAt, kind);
    planned.push({
      data: { sessionId: session.id, kind, startsAt: session.startsAt.toISOString() },
      dueAt: instant.getTime() > now.getTime() ? instant : now,
    });
  }
  return planned;
}

export type ReminderVerdict = 'send' | 'session-gone' | 'cancelled' | 'moved' | 'too-late';

/**
 * What a due job should do, judged against the session as it is now: a job
 * planned for a start the session no longer has (it was moved, and a job for
 * the new start exists) does nothing, and so does one for a cancelled or
 * removed session, or one that ran too late to help.
 */
export function reminderVerdict(job: ReminderJobData, session: { startsAt: Date; cancelledAt: Date | null } | null, now: Date): ReminderVerdict {
  if (!session) return 'session-gone';
  if (session.cancelledAt) return 'cancelled';
  if (session.startsAt.toISOString() !== job.startsAt) return 'moved';
  if (!reminderStillUseful(session.startsAt, job.kind, now)) return 'too-late';
  return 'send';
}

/** Outbox key: one email per participant, kind and start of a session, whoever runs the job and however often. */
export function reminderIdempotencyKey(job: ReminderJobData, userId: string): string {
  return `session-reminder:${job.kind}:${job.sessionId}:${job.startsAt}:${userId}`;
}
