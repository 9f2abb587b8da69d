import { and, asc, eq, inArray, isNotNull, isNull, min } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { activities, liveSessions, sessionAttendance, sessionJoins } from '#db/schema';
import { resolveAttendance, type AttendanceFacts, type ResolvedAttendance } from './attendance';

/**
 * Reads what attendance is decided from (markings, report minutes, first
 * joins) for sessions and people. No imports of the completion code, which
 * calls this.
 */

export const factsKey = (sessionId: string, userId: string) => `${sessionId}|${userId}`;

const NO_FACTS: AttendanceFacts = { manualAttended: null, reportMinutes: null, firstJoinAt: null };

/** The facts per (session, user) for these sessions, for one person or for everyone who has any. */
export async function attendanceFactsFor(db: Executor, sessionIds: string[], userId?: string): Promise<Map<string, AttendanceFacts>> {
  const facts = new Map<string, AttendanceFacts>();
  if (sessionIds.length === 0) return facts;
  const [rows, joins] = await Promise.all([
    db
      .select({
        sessionId: sessionAttendance.sessionId,
        userId: sessionAttendance.userId,
        manualAttended: sessionAttendance.manualAttended,
        reportMinutes: sessionAttendance.reportMinutes,
      })
      .from(sessionAttendance)
      .where(and(inArray(sessionAttendance.sessionId, sessionIds), userId ? eq(sessionAttendance.userId, userId) : undefined)),
    db
      .select({ sessionId: sessionJoins.sessionId, userId: sessionJoins.userId, firstJoinAt: min(sessionJoins.joinedAt) })
      .from(sessionJoins)
      .where(and(inArray(sessionJoins.sessionId, sessionIds), userId ? eq(sessionJoins.userId, userId) : undefined))
      .groupBy(sessionJoins.sessionId, sessionJoins.userId),
  ]);
  for (const row of rows) {
    facts.set(factsKey(row.sessionId, row.userId), { ...NO_FACTS, manualAttended: row.manualAttended, reportMinutes: row.reportMinutes });
  }
  for (const join of joins) {
    const key = factsKey(join.sessionId, join.userId);
    // min() of a timestamptz comes back from some drivers as text.
    const firstJoinAt = join.firstJoinAt ? new Date(join.firstJoinAt) : null;
    facts.set(key, { ...(facts.get(key) ?? NO_FACTS), firstJoinAt });
  }
  return facts;
}

export function factsOf(facts: Map<string, AttendanceFacts>, sessionId: string, userId: string): AttendanceFacts {
  return facts.get(factsKey(sessionId, userId)) ?? NO_FACTS;
}

export interface ParticipantSessionAttendance {
  id: string;
  cancelled: boolean;
  attendance: ResolvedAttendance;
}

/** Every session of an offering with one participant's attendance. */
export async function participantAttendance(db: Executor, offeringId: string, userId: string): Promise<ParticipantSessionAttendance[]> {
  const sessions = await db
    .select({
      id: liveSessions.id,
      startsAt: liveSessions.startsAt,
      durationMinutes: liveSessions.durationMinutes,
      thresholdPercent: liveSessions.attendanceThresholdPercent,
      cancelledAt: liveSessions.cancelledAt,
    })
    .from(liveSessions)
    .where(eq(liveSessions.offeringId, offeringId))
    .orderBy(asc(liveSessions.startsAt));
  const facts = await attendanceFactsFor(
    db,
    sessions.map((s) => s.id),
    userId,
  );
  return sessions.map((s) => ({ id: s.id, cancelled: s.cancelledAt !== null, attendance: resolveAttendance(s, factsOf(facts, s.id, userId)) }));
}

/**
 * The listed live-session activities of an offering (a MOOC's "live Q&A")
 * whose session the participant attended: the completion code marks them
 * done, so the course rule counts them like any other activity.
 */
export async function attendedLiveActivityIds(db: Executor, offeringId: string, userId: string): Promise<string[]> {
  const linked = await db
    .select({ id: activities.id, sessionId: activities.liveSessionId })
    .from(activities)
    .where(and(eq(activities.offeringId, offeringId), eq(activities.kind, 'live_session'), isNotNull(activities.liveSessionId), isNull(activities.removedAt)));
  if (linked.length === 0) return [];
  const attended = new Set(
    (await participantAttendance(db, offeringId, userId)).filter((s) => !s.cancelled && s.attendance.attended).map((s) => s.id),
  );
  return linked.filter((a) => a.sessionId && attended.has(a.sessionId)).map((a) => a.id);
}
