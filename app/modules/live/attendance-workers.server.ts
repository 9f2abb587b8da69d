import type PgBoss from 'pg-boss';
import type { AppContext } from '../context.server';
import { QUEUES } from '../jobs/jobs.server';
import { evaluateEndedSession, sweepEndedSessions, type SessionEndedJob } from './session-end.server';

/**
 * Handlers of the attendance queue (issue 5): one job at each session's end,
 * and an hourly sweep on the same queue for jobs that were never queued.
 */
export async function registerAttendanceWorkers(boss: PgBoss, context: AppContext): Promise<void> {
  await boss.work<SessionEndedJob>(QUEUES.sessionEnded, async (jobs) => {
    for (const job of jobs) {
      if ('sweep' in job.data) await sweepEndedSessions(context, new Date());
      else await evaluateEndedSession(context, job.data.sessionId, new Date());
    }
  });
  await boss.schedule(QUEUES.sessionEnded, '23 * * * *', { sweep: true } satisfies SessionEndedJob);
}
