import { and, eq, gte, isNull, lte, sql } from 'drizzle-orm';
import { enrolments, liveSessions, sessionJoins } from '#db/schema';
import type { AppContext } from '../context.server';
import { evaluateCompletion, lockEnrolment } from '../learning/completion.server';
import { QUEUES } from '../jobs/jobs.server';
import { sessionEndOf } from './attendance';
import type { AfterCommit, SessionChange } from './session-changes.server';

/**
 * A session's end turns its tracked joins into full attendance (a join
 * counts until the end), so completion is evaluated again then: by a job due
 * at the end, queued after the change that set the time commits, and by an
 * hourly sweep over recently ended sessions for jobs that were lost (a crash
 * between commit and queueing). Both are idempotent: completion is recorded
 * once, and a job for a time the session no longer has does nothing.
 */

/** How far back the sweep looks for ended sessions. */
export const SESSION_END_SWEEP_DAYS = 7;

export type SessionEndedJob = { sessionId: string } | { sweep: true };

/** The job at a new or moved session's end; called by noticeSessionChange inside the change's transaction. */
export function planSessionEnd(change: SessionChange): AfterCommit[] {
  if (change.kind !== 'added' && change.kind !== 'rescheduled') return [];
  const { session } = change;
  const end = sessionEndOf(session);
  return [
    async (context) => {
      await context.jobs.send(QUEUES.sessionEnded, { sessionId: session.id } satisfies SessionEndedJob, {
        startAfter: end,
        singletonKey: `session-ended:${session.id}:${end.toISOString()}`,
      });
    },
  ];
}

/**
 * Evaluates completion of everyone enrolled (and not yet completed) with a
 * tracked join in the session, once the session has ended. Each person in a
 * short transaction of their own, with their enrolment locked. Returns how
 * many completed.
 */
export async function evaluateEndedSession(context: AppContext, sessionId: string, now: Date): Promise<number> {
  const [session] = await context.db
    .select({ id: liveSessions.id, offeringId: liveSessions.offeringId, startsAt: liveSessions.startsAt, durationMinutes: liveSessions.durationMinutes, cancelledAt: liveSessions.cancelledAt })
    .from(liveSessions)
    .where(eq(liveSessions.id, sessionId))
    .limit(1);
  // Gone, cancelled, or moved later (its own job will come): nothing to do now.
  if (!session || session.cancelledAt || now < sessionEndOf(session)) return 0;
  const joined = await context.db
    .selectDistinct({ userId: sessionJoins.userId })
    .from(sessionJoins)
    .innerJoin(enrolments, and(eq(enrolments.userId, sessionJoins.userId), eq(enrolments.offeringId, session.offeringId)))
    .where(and(eq(sessionJoins.sessionId, session.id), eq(enrolments.status, 'enrolled'), isNull(enrolments.completedAt)));
  let completed = 0;
  for (const { userId } of joined) {
    const done = await context.db.transaction(async (tx) => {
      const enrolment = await lockEnrolment(tx, session.offeringId, userId);
      return enrolment ? evaluateCompletion(tx, enrolment, now) : false;
    });
    if (done) completed += 1;
  }
  return completed;
}

/** Every session that ended in the last days and was not cancelled, evaluated again. */
export async function sweepEndedSessions(context: AppContext, now: Date): Promise<number> {
  const since = new Date(now.getTime() - SESSION_END_SWEEP_DAYS * 24 * 60 * 60 * 1000);
  const endsAt = sql`${liveSessions.startsAt} + make_interval(mins => ${liveSessions.durationMinutes})`;
  const ended = await context.db
    .select({ id: liveSessions.id })
    .from(liveSessions)
    .where(
      and(
        isNull(liveSessions.cancelledAt),
        // Sessions last at most a day, so the start bounds the end; only sessions someone joined.
        gte(liveSessions.startsAt, new Date(since.getTime() - 24 * 60 * 60 * 1000)),
        lte(liveSessions.startsAt, now),
        sql`${endsAt} between ${since.toISOString()}::timestamptz and ${now.toISOString()}::timestamptz`,
        sql`exists (select 1 from ${sessionJoins} where ${sessionJoins.sessionId} = ${liveSessions.id})`,
      ),
    );
  let completed = 0;
  for (const { id } of ended) completed += await evaluateEndedSession(context, id, now);
  return completed;
}
