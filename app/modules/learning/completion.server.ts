import { and, eq, inArray, isNull, max, sql } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { activities, activityProgress, completionEvents, enrolments, modules, offerings, type ActivityContent } from '#db/schema';
import { attendedLiveActivityIds, participantAttendance } from '../live/attendance-facts.server';
import { checkCourseCompletion, checkLiveCompletion, isCourseKind, isLiveCompletionKind, type OfferingKind } from './completion';
import { isModuleOpen, learningPhase } from './pacing';

/**
 * What every write of a participant goes through: the enrolment lock, the
 * progress upsert and the completion rule, all inside the use case's
 * transaction.
 */

export type EnrolmentRow = typeof enrolments.$inferSelect;
export type ProgressStatus = 'started' | 'submitted' | 'returned' | 'done';

/**
 * Locks the participant's enrolment for the rest of the transaction. Every
 * write that can complete a course takes this lock first, so two of them for
 * one person (the last page and the last quiz, in two tabs) run one after
 * the other, and the second sees the first's progress when it evaluates.
 */
export async function lockEnrolment(tx: Executor, offeringId: string, userId: string): Promise<EnrolmentRow | null> {
  const [row] = await tx
    .select()
    .from(enrolments)
    .where(and(eq(enrolments.offeringId, offeringId), eq(enrolments.userId, userId)))
    .for('update')
    .limit(1);
  return row ?? null;
}

export function isActiveEnrolment(enrolment: Pick<EnrolmentRow, 'status'> | null): boolean {
  return enrolment?.status === 'enrolled' || enrolment?.status === 'completed';
}

/**
 * Writes the participant's progress on an activity: one row per (user,
 * activity), by upsert. Done stays done, with its first completion time.
 */
export async function recordProgress(tx: Executor, userId: string, activityId: string, status: ProgressStatus, now: Date): Promise<void> {
  await tx
    .insert(activityProgress)
    .values({ userId, activityId, status, completedAt: status === 'done' ? now : null, updatedAt: now })
    .onConflictDoUpdate({
      target: [activityProgress.userId, activityProgress.activityId],
      set: {
        status: sql`case when ${activityProgress.status} = 'done' then 'done'::progress_status else excluded.status end`,
        completedAt: sql`coalesce(${activityProgress.completedAt}, excluded.completed_at)`,
        updatedAt: sql`excluded.updated_at`,
      },
    });
}

/** Marks an activity started the first time someone opens it; leaves any further progress alone. */
export async function recordStarted(tx: Executor, userId: string, activityId: string, now: Date): Promise<void> {
  await tx.insert(activityProgress).values({ userId, activityId, status: 'started', updatedAt: now }).onConflictDoNothing();
}

/**
 * Applies the completion rule (completion.ts) to the participant's progress
 * and attendance as this transaction sees them and records a completion
 * once: the enrolment changes only while completed_at is null, and the
 * completion event is unique per enrolment, so concurrent calls record one.
 * Call it with the enrolment locked (lockEnrolment). Returns true when this
 * call recorded it.
 *
 * Live-session activities (a MOOC's live Q&A) whose session the participant
 * attended are marked done first, so the course rule counts them.
 */
export async function evaluateCompletion(
  tx: Executor,
  enrolment: Pick<EnrolmentRow, 'id' | 'offeringId' | 'userId' | 'status'>,
  now: Date,
  at: Date = now,
): Promise<boolean> {
  if (enrolment.status !== 'enrolled') return false;
  const [offering] = await tx
    .select({ kind: offerings.kind, endsAt: offerings.endsAt, completionDeadline: offerings.completionDeadline, requiredSessions: offerings.requiredSessions })
    .from(offerings)
    .where(eq(offerings.id, enrolment.offeringId))
    .limit(1);
  if (!offering) return false;
  for (const activityId of await attendedLiveActivityIds(tx, enrolment.offeringId, enrolment.userId)) {
    await recordProgress(tx, enrolment.userId, activityId, 'done', now);
  }
  if (isLiveCompletionKind(offering.kind)) return evaluateLiveCompletion(tx, enrolment, offering, now);
  if (!isCourseKind(offering.kind)) return false;
  const rows = await tx
    .select({ id: activities.id, required: activities.required, removedAt: activities.removedAt, status: activityProgress.status })
    .from(activities)
    .leftJoin(activityProgress, and(eq(activityProgress.activityId, activities.id), eq(activityProgress.userId, enrolment.userId)))
    .where(eq(activities.offeringId, enrolment.offeringId));
  const check = checkCourseCompletion(
    {
      offering,
      activities: rows.map((r) => ({ id: r.id, required: r.required, removed: r.removedAt !== null })),
      doneActivityIds: new Set(rows.filter((r) => r.status === 'done').map((r) => r.id)),
    },
    at,
  );
  if (!check.complete) return false;
  return (await recordCompletions(tx, [enrolment.id], now)).length > 0;
}

/** The live kinds' rule: attendance of the sessions as of `now`, and for a series the linking activity. */
async function evaluateLiveCompletion(
  tx: Executor,
  enrolment: Pick<EnrolmentRow, 'id' | 'offeringId' | 'userId'>,
  offering: { kind: OfferingKind; requiredSessions: number },
  now: Date,
): Promise<boolean> {
  const sessions = await participantAttendance(tx, enrolment.offeringId, enrolment.userId);
  const loose =
    offering.kind === 'webinar_series'
      ? await tx
          .select({ id: activities.id, required: activities.required, removedAt: activities.removedAt, status: activityProgress.status })
          .from(activities)
          .leftJoin(activityProgress, and(eq(activityProgress.activityId, activities.id), eq(activityProgress.userId, enrolment.userId)))
          .where(and(eq(activities.offeringId, enrolment.offeringId), isNull(activities.moduleId)))
      : [];
  const check = checkLiveCompletion({
    offering,
    sessions: sessions.map((s) => ({ id: s.id, cancelled: s.cancelled, attended: s.attendance.attended })),
    looseActivities: loose.map((a) => ({ id: a.id, required: a.required, removed: a.removedAt !== null })),
    doneActivityIds: new Set(loose.filter((a) => a.status === 'done').map((a) => a.id)),
  });
  if (!check.complete) return false;
  return (await recordCompletions(tx, [enrolment.id], now)).length > 0;
}

/**
 * Records the completion of each enrolment that is still enrolled and not
 * completed: the enrolment changes only while completed_at is null and the
 * completion event is unique per enrolment, so concurrent calls record each
 * completion once. Returns the enrolments this call completed.
 */
async function recordCompletions(tx: Executor, enrolmentIds: string[], now: Date): Promise<string[]> {
  if (enrolmentIds.length === 0) return [];
  const completed = await tx
    .update(enrolments)
    .set({ status: 'completed', completedAt: now, updatedAt: now })
    .where(and(inArray(enrolments.id, enrolmentIds), eq(enrolments.status, 'enrolled'), isNull(enrolments.completedAt)))
    .returning({ id: enrolments.id });
  if (completed.length > 0) {
    await tx
      .insert(completionEvents)
      .values(completed.map((row) => ({ enrolmentId: row.id, occurredAt: now })))
      .onConflictDoNothing();
  }
  return completed.map((row) => row.id);
}

/**
 * After a trainer changed which activities of a course are required (removed
 * one, removed a module, made one optional), completes every enrolled
 * participant who now meets the rule, in the caller's transaction (which
 * should hold the offering's lock). One query finds them: enrolled, not
 * completed, with every required listed activity done. The deadline counts
 * from when they finished the last of those, so taking away a missing piece
 * after the deadline completes whoever had done the rest in time. Returns
 * how many were completed.
 */
export async function recheckCompletions(tx: Executor, offeringId: string, now: Date): Promise<number> {
  const [offering] = await tx
    .select({ kind: offerings.kind, endsAt: offerings.endsAt, completionDeadline: offerings.completionDeadline })
    .from(offerings)
    .where(eq(offerings.id, offeringId))
    .limit(1);
  if (!offering || !isCourseKind(offering.kind)) return 0;
  const required = await tx
    .select({ id: activities.id })
    .from(activities)
    .where(and(eq(activities.offeringId, offeringId), eq(activities.required, true), isNull(activities.removedAt)));
  if (required.length === 0) return 0;
  const requiredIds = required.map((a) => a.id);
  // One progress row per (user, activity), so counting the done rows counts the done activities.
  const candidates = await tx
    .select({ id: enrolments.id, lastDoneAt: max(activityProgress.completedAt) })
    .from(enrolments)
    .innerJoin(
      activityProgress,
      and(eq(activityProgress.userId, enrolments.userId), inArray(activityProgress.activityId, requiredIds), eq(activityProgress.status, 'done')),
    )
    .where(and(eq(enrolments.offeringId, offeringId), eq(enrolments.status, 'enrolled'), isNull(enrolments.completedAt)))
    .groupBy(enrolments.id)
    .having(sql`count(*) = ${requiredIds.length}`);
  const facts = {
    offering,
    activities: requiredIds.map((id) => ({ id, required: true, removed: false })),
    doneActivityIds: new Set(requiredIds),
  };
  const complete = candidates.filter((c) => checkCourseCompletion(facts, c.lastDoneAt ?? now).complete).map((c) => c.id);
  return (await recordCompletions(tx, complete, now)).length;
}

// --- The participant's writes ---------------------------------------------------

export type WriteRefusal = 'not-found' | 'locked' | 'read-only';

export interface WritableActivity {
  enrolment: EnrolmentRow;
  activity: { id: string; kind: ActivityContent['kind']; title: string; content: ActivityContent; offeringId: string; moduleId: string | null };
  offering: { id: string; slug: string; title: string };
}

/**
 * Opens an activity for a participant's write, in the caller's transaction:
 * locks their enrolment (which must be active), and checks that the
 * activity is listed in that offering, of the expected kind, in a module open
 * for them, and that the completion deadline has not passed.
 */
export async function openForWrite<K extends ActivityContent['kind']>(
  tx: Executor,
  target: { offeringId: string; userId: string; activityId: string; kind: K },
  now: Date,
): Promise<
  | { ok: true; value: WritableActivity & { activity: { content: Extract<ActivityContent, { kind: K }> } } }
  | { ok: false; reason: WriteRefusal }
> {
  const enrolment = await lockEnrolment(tx, target.offeringId, target.userId);
  if (!enrolment || !isActiveEnrolment(enrolment)) return { ok: false, reason: 'not-found' };
  const [row] = await tx
    .select({
      activity: {
        id: activities.id,
        kind: activities.kind,
        title: activities.title,
        content: activities.content,
        offeringId: activities.offeringId,
        moduleId: activities.moduleId,
      },
      // Flat, not nested: drizzle turns a left-joined object whose columns are all null into null.
      moduleReleaseAt: modules.releaseAt,
      moduleReleaseOffsetDays: modules.releaseOffsetDays,
      offering: {
        id: offerings.id,
        slug: offerings.slug,
        title: offerings.title,
        pacingMode: offerings.pacingMode,
        organiserTimeZone: offerings.organiserTimeZone,
        startsAt: offerings.startsAt,
        endsAt: offerings.endsAt,
        completionDeadline: offerings.completionDeadline,
        maxDeadlineShifts: offerings.maxDeadlineShifts,
      },
    })
    .from(activities)
    .innerJoin(offerings, eq(offerings.id, activities.offeringId))
    .leftJoin(modules, eq(modules.id, activities.moduleId))
    .where(and(eq(activities.id, target.activityId), eq(activities.offeringId, target.offeringId), isNull(activities.removedAt)))
    .limit(1);
  if (!row || row.activity.kind !== target.kind || row.activity.content.kind !== target.kind) return { ok: false, reason: 'not-found' };
  const enrolledAt = enrolment.enrolledAt ?? enrolment.createdAt;
  const module = { releaseAt: row.moduleReleaseAt, releaseOffsetDays: row.moduleReleaseOffsetDays };
  if (row.activity.moduleId && !isModuleOpen(row.offering, module, { enrolledAt }, now)) return { ok: false, reason: 'locked' };
  if (learningPhase(row.offering, now) === 'closed') return { ok: false, reason: 'read-only' };
  return {
    ok: true,
    value: {
      enrolment,
      activity: row.activity as WritableActivity['activity'] & { content: Extract<ActivityContent, { kind: K }> },
      offering: { id: row.offering.id, slug: row.offering.slug, title: row.offering.title },
    },
  };
}
