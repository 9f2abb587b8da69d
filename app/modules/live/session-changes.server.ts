import type { Transaction } from '#db/client';
import type { liveSessions } from '#db/schema';
import { sendSessionCalendarNotices } from '../calendar/session-notices.server';
import type { AppContext } from '../context.server';
import type { Mailer } from '../email/outbox.server';
import type { OfferingRow } from '../offerings/authoring.server';
import { planSessionReminders } from '../reminders/reminders.server';
import { planSessionEnd } from './session-end.server';

export type LiveSessionRow = typeof liveSessions.$inferSelect;

/**
 * One change to a live session, as the rest of the platform hears of it:
 * calendar updates to participants (same UID, higher SEQUENCE, or CANCEL)
 * and the reminder jobs that follow the session's start.
 *
 * - added: a new session (participants get a REQUEST for it);
 * - rescheduled: a new start or length (sequence raised);
 * - edited: title, join link or note only (sequence unchanged);
 * - cancelled: kept with cancelled_at set (sequence raised; CANCEL);
 * - removed: deleted outright (a draft's session; `session` is the row as it was).
 */
export interface SessionChange {
  kind: 'added' | 'rescheduled' | 'edited' | 'cancelled' | 'removed';
  offering: OfferingRow;
  session: LiveSessionRow;
  previous?: LiveSessionRow;
}

/** Work that must wait until the transaction has committed (queueing jobs that would otherwise point at rows that may roll back). */
export type AfterCommit = (context: AppContext) => Promise<void>;

/**
 * Tells everyone concerned about a session change, inside the change's
 * transaction: emails go to the outbox through the mailer; what needs the
 * committed state (pg-boss jobs) is returned to run after commit.
 */
export async function noticeSessionChange(tx: Transaction, mailer: Mailer, context: AppContext, change: SessionChange, now: Date): Promise<AfterCommit[]> {
  await sendSessionCalendarNotices(tx, mailer, context, change, now);
  return [...(await planSessionReminders(tx, context, change, now)), ...planSessionEnd(change)];
}
