import type PgBoss from 'pg-boss';
import type { AppContext } from '../context.server';

/** Handlers of the reminder queues (issue 5). */
export async function registerReminderWorkers(_boss: PgBoss, _context: AppContext): Promise<void> {
  // Filled in by the reminders work.
}
