import type { Transaction } from '#db/client';
import type { AppContext } from '../context.server';
import type { Mailer } from '../email/outbox.server';
import type { SessionChange } from '../live/session-changes.server';

/** Calendar emails to the participants of a changed session (REQUEST for new and moved sessions, CANCEL for cancelled ones). */
export async function sendSessionCalendarNotices(_tx: Transaction, _mailer: Mailer, _context: AppContext, _change: SessionChange, _now: Date): Promise<void> {
  // Filled in by the calendar work (issue 5).
}
