import { and, eq, isNotNull, isNull, notInArray, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '#db/client';
import { activities, activityProgress, enrolments, offerings } from '#db/schema';
import type { EnrolmentAccess } from '../policy/policy';
import { pacingEnrolmentOf } from './dashboard.server';
import { canShiftDeadlines, completionDeadlineOf, HANDED_IN_STATUSES, MAX_SHIFT_DAYS, MIN_SHIFT_DAYS, personalDueAt, type ShiftRefusal } from './pacing';

/** The dashboard's "shift my deadlines" form (the offering id is checked on its own: a bad one is a 404). */
export const shiftDeadlinesSchema = z.object({
  days: z.coerce.number().int().min(MIN_SHIFT_DAYS).max(MAX_SHIFT_DAYS),
});

export type { ShiftRefusal };

export type ShiftResult =
  | { ok: true; title: string; days: number; shiftsLeft: number }
  | { ok: false; reason: ShiftRefusal; title: string; deadline: Date | null };

/** The viewer's own enrolment in an offering, as the policy sees it, with the offering's title; null when they have none. */
export async function findOwnEnrolment(db: Executor, offeringId: string, userId: string): Promise<(EnrolmentAccess & { title: string }) | null> {
  const [row] = await db
    .select({ userId: enrolments.userId, status: enrolments.status, title: offerings.title })
    .from(enrolments)
    .innerJoin(offerings, eq(offerings.id, enrolments.offeringId))
    .where(and(eq(enrolments.offeringId, offeringId), eq(enrolments.userId, userId)))
    .limit(1);
  return row ?? null;
}

async function loadShiftState(db: Executor, offeringId: string, userId: string) {
  const [row] = await db
    .select({
      enrolmentId: enrolments.id,
      status: enrolments.status,
      enrolledAt: enrolments.enrolledAt,
      createdAt: enrolments.createdAt,
      deadlineShiftsUsed: enrolments.deadlineShiftsUsed,
      deadlineShiftDays: enrolments.deadlineShiftDays,
      title: offerings.title,
      pacingMode: offerings.pacingMode,
      organiserTimeZone: offerings.organiserTimeZone,
      startsAt: offerings.startsAt,
      endsAt: offerings.endsAt,
      completionDeadline: offerings.completionDeadline,
      maxDeadlineShifts: offerings.maxDeadlineShifts,
    })
    .from(enrolments)
    .innerJoin(offerings, eq(offerings.id, enrolments.offeringId))
    .where(and(eq(enrolments.offeringId, offeringId), eq(enrolments.userId, userId)))
    .limit(1);
  return row ?? null;
}

/**
 * Pushes every personal due date of a self-paced participant by `days`.
 * The checks run on what was read; the UPDATE then repeats the bound
 * (`deadline_shifts_used < max_deadline_shifts`) and insists the count is
 * still the one checked, so neither two quick clicks nor two tabs can use
 * more shifts than allowed, or one shift twice.
 */
export async function shiftDeadlines(db: Executor, input: { offeringId: string; userId: string; days: number }, now: Date): Promise<ShiftResult> {
  const state = await loadShiftState(db, input.offeringId, input.userId);
  if (!state) return { ok: false, reason: 'not-enrolled', title: '', deadline: null };
  const deadline = completionDeadlineOf(state);
  const refuse = (reason: ShiftRefusal): ShiftResult => ({ ok: false, reason, title: state.title, deadline });
  if (state.status !== 'enrolled') return refuse('not-enrolled');

  // Due dates of the required, listed activities this participant has not handed in: the ones a shift is for.
  const open = await db
    .select({ dueAt: activities.dueAt })
    .from(activities)
    .leftJoin(activityProgress, and(eq(activityProgress.activityId, activities.id), eq(activityProgress.userId, input.userId)))
    .where(
      and(
        eq(activities.offeringId, input.offeringId),
        eq(activities.required, true),
        isNull(activities.removedAt),
        isNotNull(activities.dueAt),
        or(isNull(activityProgress.status), notInArray(activityProgress.status, [...HANDED_IN_STATUSES])),
      ),
    );
  const enrolment = pacingEnrolmentOf(state);
  let latest: Date | null = null;
  for (const { dueAt } of open) {
    const personal = personalDueAt(state, dueAt, enrolment);
    if (personal && (!latest || personal > latest)) latest = personal;
  }
  const check = canShiftDeadlines(state, enrolment, input.days, latest, now);
  if (!check.ok) return refuse(check.reason);
  // Spending a shift on nothing helps nobody.
  if (!latest) return refuse('nothing-to-shift');

  const updated = await db
    .update(enrolments)
    .set({
      deadlineShiftsUsed: sql`${enrolments.deadlineShiftsUsed} + 1`,
      deadlineShiftDays: sql`${enrolments.deadlineShiftDays} + ${input.days}`,
      updatedAt: now,
    })
    .where(
      and(
        eq(enrolments.id, state.enrolmentId),
        eq(enrolments.status, 'enrolled'),
        eq(enrolments.deadlineShiftsUsed, state.deadlineShiftsUsed),
        sql`${enrolments.deadlineShiftsUsed} < (select o.max_deadline_shifts from offerings o where o.id = ${enrolments.offeringId})`,
      ),
    )
    .returning({ used: enrolments.deadlineShiftsUsed });
  if (updated.length === 0) {
    // Someone (another tab, a second click, a trainer) changed the enrolment in between: say what it is now.
    const current = await loadShiftState(db, input.offeringId, input.userId);
    if (!current || current.status !== 'enrolled') return refuse('not-enrolled');
    if (current.deadlineShiftsUsed >= current.maxDeadlineShifts) return refuse('no-shifts-left');
    return refuse('changed');
  }
  return { ok: true, title: state.title, days: input.days, shiftsLeft: Math.max(0, state.maxDeadlineShifts - updated[0]!.used) };
}
