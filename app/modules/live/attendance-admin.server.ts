import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { attendanceImports, enrolments, liveSessions, sessionAttendance, users } from '#db/schema';
import { recordAudit } from '../audit/audit.server';
import type { AppContext } from '../context.server';
import { evaluateCompletion, isActiveEnrolment, lockEnrolment } from '../learning/completion.server';
import { resolveAttendance, thresholdMinutes, type ResolvedAttendance } from './attendance';
import { attendanceFactsFor, factsOf } from './attendance-facts.server';

/**
 * The trainer's side of one session (/trainer/offerings/<id>/sessions/<sessionId>):
 * every active participant's attendance, manual marking (audited) and the
 * recording link.
 */

export const LIVE_SESSION_SUBJECT = 'live_session';

export type TrainerSession = typeof liveSessions.$inferSelect;

/** The session, when it belongs to the offering. */
export async function sessionOfOffering(db: Executor, offeringId: string, sessionId: string): Promise<TrainerSession | null> {
  const [row] = await db
    .select()
    .from(liveSessions)
    .where(and(eq(liveSessions.id, sessionId), eq(liveSessions.offeringId, offeringId)))
    .limit(1);
  return row ?? null;
}

export const asAttendanceSession = (s: TrainerSession) => ({
  id: s.id,
  offeringId: s.offeringId,
  startsAt: s.startsAt,
  durationMinutes: s.durationMinutes,
  thresholdPercent: s.attendanceThresholdPercent,
});

export interface ParticipantAttendanceRow {
  userId: string;
  name: string;
  email: string;
  enrolmentStatus: 'enrolled' | 'completed';
  attendance: ResolvedAttendance;
  marking: { attended: boolean | null; reason: string; by: string | null; at: Date | null } | null;
}

/** Every active participant of the session's offering with their attendance, by name. */
export async function sessionAttendanceList(db: Executor, session: TrainerSession) {
  const participants = await db
    .select({ userId: users.id, name: users.fullName, email: users.email, status: enrolments.status })
    .from(enrolments)
    .innerJoin(users, eq(users.id, enrolments.userId))
    .where(and(eq(enrolments.offeringId, session.offeringId), inArray(enrolments.status, ['enrolled', 'completed'])))
    .orderBy(asc(users.fullName), asc(users.id));
  const [facts, markings, imports] = await Promise.all([
    attendanceFactsFor(db, [session.id]),
    db
      .select({
        userId: sessionAttendance.userId,
        reason: sessionAttendance.manualReason,
        at: sessionAttendance.manualAt,
        attended: sessionAttendance.manualAttended,
        by: users.fullName,
      })
      .from(sessionAttendance)
      .leftJoin(users, eq(users.id, sessionAttendance.manualBy))
      .where(eq(sessionAttendance.sessionId, session.id)),
    db
      .select({ id: attendanceImports.id, fileName: attendanceImports.fileName, format: attendanceImports.format, importedAt: attendanceImports.importedAt, summary: attendanceImports.summary })
      .from(attendanceImports)
      .where(eq(attendanceImports.sessionId, session.id))
      .orderBy(asc(attendanceImports.importedAt)),
  ]);
  const markingOf = new Map(markings.filter((m) => m.at !== null).map((m) => [m.userId, m]));
  const attendanceSession = asAttendanceSession(session);
  const rows: ParticipantAttendanceRow[] = participants.map((p) => {
    const marking = markingOf.get(p.userId);
    return {
      userId: p.userId,
      name: p.name,
      email: p.email,
      enrolmentStatus: p.status as 'enrolled' | 'completed',
      attendance: resolveAttendance(attendanceSession, factsOf(facts, session.id, p.userId)),
      marking: marking ? { attended: marking.attended, reason: marking.reason, by: marking.by, at: marking.at } : null,
    };
  });
  return { participants: rows, threshold: thresholdMinutes(attendanceSession), imports };
}

export type MarkValue = 'attended' | 'not-attended' | 'clear';

const markValue = (value: MarkValue): boolean | null => (value === 'attended' ? true : value === 'not-attended' ? false : null);

export type MarkResult = { ok: true; completed: boolean } | { ok: false; reason: 'not-participant' };

/**
 * A trainer's marking of one participant: attended, not attended, or
 * cleared (back to reports and joins). Audited with who, when, the old and
 * new value and the reason; completion evaluated after.
 */
export async function markAttendance(
  context: AppContext,
  input: { session: TrainerSession; userId: string; value: MarkValue; reason: string; actorId: string },
  now: Date,
): Promise<MarkResult> {
  const { session } = input;
  return context.db.transaction(async (tx): Promise<MarkResult> => {
    const enrolment = await lockEnrolment(tx, session.offeringId, input.userId);
    if (!enrolment || !isActiveEnrolment(enrolment)) return { ok: false, reason: 'not-participant' };
    const [before] = await tx
      .select({ manualAttended: sessionAttendance.manualAttended })
      .from(sessionAttendance)
      .where(and(eq(sessionAttendance.sessionId, session.id), eq(sessionAttendance.userId, input.userId)))
      .limit(1);
    const next = markValue(input.value);
    const fields = { manualAttended: next, manualReason: input.reason, manualBy: input.actorId, manualAt: now, updatedAt: now };
    await tx
      .insert(sessionAttendance)
      .values({ sessionId: session.id, userId: input.userId, ...fields })
      .onConflictDoUpdate({ target: [sessionAttendance.sessionId, sessionAttendance.userId], set: fields });
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'attendance.marked',
      subjectType: LIVE_SESSION_SUBJECT,
      subjectId: session.id,
      reason: input.reason,
      details: { userId: input.userId, offeringId: session.offeringId, old: before?.manualAttended ?? null, new: next },
      at: now,
    });
    const completed = await evaluateCompletion(tx, enrolment, now);
    return { ok: true, completed };
  });
}

export type RecordingResult = { ok: true } | { ok: false; reason: 'not-started' | 'cancelled' };

/** Publishes (or, with null, clears) the session's recording link, once the session has started. Audited. */
export async function setRecordingUrl(
  context: AppContext,
  input: { session: TrainerSession; url: string | null; actorId: string },
  now: Date,
): Promise<RecordingResult> {
  const { session } = input;
  if (session.cancelledAt) return { ok: false, reason: 'cancelled' };
  if (now < session.startsAt) return { ok: false, reason: 'not-started' };
  await context.db.transaction(async (tx) => {
    await tx.update(liveSessions).set({ recordingUrl: input.url }).where(eq(liveSessions.id, session.id));
    await recordAudit(tx, {
      actorId: input.actorId,
      action: input.url ? 'session.recording_published' : 'session.recording_cleared',
      subjectType: LIVE_SESSION_SUBJECT,
      subjectId: session.id,
      details: { offeringId: session.offeringId, old: session.recordingUrl, new: input.url },
      at: now,
    });
  });
  return { ok: true };
}
