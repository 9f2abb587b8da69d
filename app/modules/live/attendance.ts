/**
 * Attendance of one participant at one live session (DESIGN.md §5, issue 5).
 * Pure: the server feeds it the facts it read, so the trainer's page, the
 * import preview and the completion rule agree.
 */

/** The default share of a session's length someone must be present for. */
export const DEFAULT_THRESHOLD_PERCENT = 75;

const MINUTE = 60_000;

export interface SessionTiming {
  startsAt: Date;
  durationMinutes: number;
  cancelledAt: Date | null;
}

export interface SessionForAttendance {
  startsAt: Date;
  durationMinutes: number;
  /** live_sessions.attendance_threshold_percent */
  thresholdPercent: number;
}

export function sessionEndOf(session: Pick<SessionTiming, 'startsAt' | 'durationMinutes'>): Date {
  return new Date(session.startsAt.getTime() + session.durationMinutes * MINUTE);
}

/** The least number of minutes that counts as attended: the threshold share of the length, rounded up. */
export function thresholdMinutes(session: Pick<SessionForAttendance, 'durationMinutes' | 'thresholdPercent'>): number {
  return Math.ceil((session.durationMinutes * session.thresholdPercent) / 100);
}

export function meetsThreshold(minutes: number, session: Pick<SessionForAttendance, 'durationMinutes' | 'thresholdPercent'>): boolean {
  return minutes >= thresholdMinutes(session);
}

/**
 * Minutes a tracked join counts for: from the first join (or the start, for
 * someone who came early) until the session's end, capped at the length. The
 * join route cannot tell when someone left, so a join counts until the end
 * unless a report or a trainer says otherwise (issue 5) — already while the
 * session runs, so the completion evaluated at the join itself is the one
 * the participant sees. An imported report replaces it with what the
 * conferencing tool measured.
 */
export function joinMinutes(session: Pick<SessionForAttendance, 'startsAt' | 'durationMinutes'>, firstJoinAt: Date): number {
  const end = sessionEndOf(session);
  const from = firstJoinAt > session.startsAt ? firstJoinAt : session.startsAt;
  const minutes = Math.floor((end.getTime() - from.getTime()) / MINUTE);
  return Math.max(0, Math.min(session.durationMinutes, minutes));
}

export interface AttendanceFacts {
  /** A trainer's marking: true/false, or null when none. */
  manualAttended: boolean | null;
  /** Minutes from the latest imported report that named the person, or null. */
  reportMinutes: number | null;
  /** The person's first tracked join, or null. */
  firstJoinAt: Date | null;
}

export type AttendanceSource = 'manual' | 'report' | 'joins' | 'none';

export interface ResolvedAttendance {
  /** Where `attended` comes from. */
  source: AttendanceSource;
  /** Minutes present by the best evidence besides a marking (report, else joins), capped at the length; null when there is none. */
  minutes: number | null;
  attended: boolean;
  /** Minutes needed to count as attended. */
  threshold: number;
}

/**
 * One person's attendance of one session: a trainer's marking wins; else the
 * latest imported report's minutes; else tracked joins. Attended when the
 * minutes reach the threshold.
 */
export function resolveAttendance(session: SessionForAttendance, facts: AttendanceFacts): ResolvedAttendance {
  const threshold = thresholdMinutes(session);
  let minutes: number | null = null;
  let evidence: AttendanceSource = 'none';
  if (facts.reportMinutes !== null) {
    // A report can run past the session (people stay to talk); past the length counts as the whole of it.
    minutes = Math.max(0, Math.min(session.durationMinutes, facts.reportMinutes));
    evidence = 'report';
  } else if (facts.firstJoinAt) {
    minutes = joinMinutes(session, facts.firstJoinAt);
    evidence = 'joins';
  }
  if (facts.manualAttended !== null) return { source: 'manual', minutes, attended: facts.manualAttended, threshold };
  return { source: evidence, minutes, attended: minutes !== null && minutes >= threshold, threshold };
}
