import type PgBoss from 'pg-boss';
import type { AppContext } from '../context.server';

/** Handlers of the attendance queues (issue 5). */
export async function registerAttendanceWorkers(_boss: PgBoss, _context: AppContext): Promise<void> {
  // Filled in by the attendance work.
}
