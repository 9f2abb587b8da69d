import { createHash } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { attendanceImports, enrolments, sessionAttendance, users, type AttendanceImportSummary } from '#db/schema';
import { recordAudit } from '../audit/audit.server';
import type { AppContext } from '../context.server';
import { evaluateCompletion, lockEnrolment } from '../learning/completion.server';
import { meetsThreshold, sessionEndOf, type SessionForAttendance } from './attendance';
import { minutesPerPerson, parseAttendanceReport, type ReportFormat, type ReportProblem } from './reports';

/**
 * Importing an attendance report into one session: a preview that saves
 * nothing, then the save, which writes the report's minutes for the matched
 * participants. A file is identified by the SHA-256 of its bytes, unique per
 * session, so importing it again changes nothing.
 */

export interface ImportSession extends SessionForAttendance {
  id: string;
  offeringId: string;
}

export interface MatchedPerson {
  userId: string;
  name: string;
  email: string;
  minutes: number;
  attended: boolean;
}

export interface UnmatchedRow {
  /** The report's email, or null for a row without one (a phone). */
  email: string | null;
  name: string;
  minutes: number;
  line: number;
}

export interface ImportPreview {
  format: ReportFormat;
  /** The zone the times were read in; null when the file carries offsets. */
  timeZone: string | null;
  fileSha256: string;
  matched: MatchedPerson[];
  unmatched: UnmatchedRow[];
  /** Rows of the organiser, left out. */
  organiserRows: number;
  /** True when no segment overlaps the session: most likely the wrong session or the wrong time zone. */
  outsideSession: boolean;
  summary: AttendanceImportSummary;
}

export type PreviewResult = { ok: true; preview: ImportPreview } | { ok: false; problem: ReportProblem };

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Active participants (enrolled or completed) by lower-cased email. */
async function participantsByEmail(db: Executor, offeringId: string, emails: string[]) {
  if (emails.length === 0) return new Map<string, { userId: string; name: string; email: string }>();
  const rows = await db
    .select({ userId: users.id, name: users.fullName, email: users.email })
    .from(enrolments)
    .innerJoin(users, eq(users.id, enrolments.userId))
    .where(and(eq(enrolments.offeringId, offeringId), inArray(enrolments.status, ['enrolled', 'completed']), inArray(sql`lower(${users.email})`, emails)));
  return new Map(rows.map((r) => [r.email.toLowerCase(), r]));
}

/** Reads the report and matches it to the session's participants, without saving anything. */
export async function previewAttendanceImport(db: Executor, session: ImportSession, input: { bytes: Uint8Array; timeZone: string | null }): Promise<PreviewResult> {
  const parsed = parseAttendanceReport(input.bytes, { timeZone: input.timeZone });
  if (!parsed.ok) return parsed;
  const people = minutesPerPerson(parsed.segments);
  const emails = [...new Set(people.map((p) => p.email).filter((e): e is string => e !== null))];
  const participants = await participantsByEmail(db, session.offeringId, emails);
  const matched: MatchedPerson[] = [];
  const unmatched: UnmatchedRow[] = [];
  for (const person of people) {
    const participant = person.email ? participants.get(person.email) : undefined;
    if (!participant) {
      unmatched.push({ email: person.email, name: person.name, minutes: person.minutes, line: person.firstLine });
      continue;
    }
    // A report can run past the session; attendance is judged as for every other source (attendance.ts).
    const minutes = Math.min(person.minutes, session.durationMinutes);
    matched.push({ userId: participant.userId, name: participant.name, email: participant.email, minutes, attended: meetsThreshold(minutes, session) });
  }
  const start = session.startsAt.getTime();
  const end = sessionEndOf(session).getTime();
  const attendees = parsed.segments.filter((s) => !s.organiser);
  const outsideSession = attendees.length > 0 && attendees.every((s) => s.leftAt.getTime() <= start || s.joinedAt.getTime() >= end);
  const attended = matched.filter((m) => m.attended).length;
  return {
    ok: true,
    preview: {
      format: parsed.format,
      timeZone: parsed.needsTimeZone ? input.timeZone : null,
      fileSha256: sha256Hex(input.bytes),
      matched: matched.sort((a, b) => a.name.localeCompare(b.name)),
      unmatched,
      organiserRows: parsed.segments.length - attendees.length,
      outsideSession,
      summary: { matched: matched.length, attended, belowThreshold: matched.length - attended, unmatched: unmatched.length },
    },
  };
}

export type SaveResult =
  | { ok: true; status: 'saved' | 'already-imported'; summary: AttendanceImportSummary; completed: number }
  | { ok: false; problem: ReportProblem };

/**
 * Saves a report: one attendance_imports row (the file's hash is unique per
 * session; a second import of the same bytes finds it and changes nothing),
 * the minutes of each matched participant, and completion evaluated for each
 * of them. Enrolments are locked in one order, so two imports cannot
 * deadlock each other.
 */
export async function saveAttendanceImport(
  context: AppContext,
  input: { session: ImportSession; bytes: Uint8Array; fileName: string; timeZone: string | null; actorId: string },
  now: Date,
): Promise<SaveResult> {
  const { session } = input;
  return context.db.transaction(async (tx): Promise<SaveResult> => {
    const previewed = await previewAttendanceImport(tx, session, { bytes: input.bytes, timeZone: input.timeZone });
    if (!previewed.ok) return previewed;
    const { preview } = previewed;
    const [created] = await tx
      .insert(attendanceImports)
      .values({
        sessionId: session.id,
        fileSha256: preview.fileSha256,
        fileName: input.fileName.slice(0, 255),
        format: preview.format,
        timeZone: preview.timeZone,
        importedBy: input.actorId,
        importedAt: now,
        summary: preview.summary,
      })
      .onConflictDoNothing()
      .returning({ id: attendanceImports.id });
    if (!created) {
      const [earlier] = await tx
        .select({ summary: attendanceImports.summary })
        .from(attendanceImports)
        .where(and(eq(attendanceImports.sessionId, session.id), eq(attendanceImports.fileSha256, preview.fileSha256)))
        .limit(1);
      return { ok: true, status: 'already-imported', summary: earlier?.summary ?? preview.summary, completed: 0 };
    }
    const people = [...preview.matched].sort((a, b) => (a.userId < b.userId ? -1 : 1));
    let completed = 0;
    for (const person of people) {
      const enrolment = await lockEnrolment(tx, session.offeringId, person.userId);
      if (!enrolment) continue;
      await tx
        .insert(sessionAttendance)
        .values({ sessionId: session.id, userId: person.userId, reportMinutes: person.minutes, reportImportId: created.id, updatedAt: now })
        .onConflictDoUpdate({
          target: [sessionAttendance.sessionId, sessionAttendance.userId],
          set: { reportMinutes: person.minutes, reportImportId: created.id, updatedAt: now },
        });
      if (await evaluateCompletion(tx, enrolment, now)) completed += 1;
    }
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'attendance.imported',
      subjectType: 'live_session',
      subjectId: session.id,
      details: { importId: created.id, format: preview.format, fileSha256: preview.fileSha256, ...preview.summary },
      at: now,
    });
    return { ok: true, status: 'saved', summary: preview.summary, completed };
  });
}
