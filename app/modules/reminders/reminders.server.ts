import type { Transaction } from '#db/client';
import type { AppContext } from '../context.server';
import type { AfterCommit, SessionChange } from '../live/session-changes.server';

/** Reminder jobs (24 h and 1 h before) for a changed session: scheduled, moved or cancelled after commit. */
export async function planSessionReminders(_tx: Transaction, _context: AppContext, _change: SessionChange, _now: Date): Promise<AfterCommit[]> {
  // Filled in by the reminders work (issue 5).
  return [];
}
