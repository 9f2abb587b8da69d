import { DateTime } from 'luxon';

/**
 * The learner's schedule (DESIGN.md §3). Pure: every function takes `now`
 * or only data, and counts days in the organiser's calendar, so a weekly
 * release at 09:00 Europe/Oslo stays at 09:00 local across clock changes.
 */

export interface PacingOffering {
  pacingMode: 'cohort' | 'self_paced';
  organiserTimeZone: string;
  startsAt: Date | null;
  endsAt: Date | null;
  completionDeadline: Date | null;
  maxDeadlineShifts: number;
}

export interface PacingEnrolment {
  enrolledAt: Date;
  deadlineShiftsUsed: number;
  deadlineShiftDays: number;
}

export interface PacingModule {
  releaseAt: Date | null;
  releaseOffsetDays: number | null;
}

const inZone = (instant: Date, zone: string) => DateTime.fromJSDate(instant, { zone });
const minDate = (a: Date, b: Date) => (a < b ? a : b);
const maxDate = (a: Date, b: Date) => (a > b ? a : b);

/**
 * Where a participant's own schedule starts: the course start for cohorts;
 * for self-paced courses the later of enrolment and course start, never
 * after the course end.
 */
export function personalStart(offering: PacingOffering, enrolment: Pick<PacingEnrolment, 'enrolledAt'> | null): Date | null {
  if (!offering.startsAt) return null;
  if (offering.pacingMode === 'cohort' || !enrolment) return offering.startsAt;
  const start = maxDate(enrolment.enrolledAt, offering.startsAt);
  return offering.endsAt ? minDate(start, offering.endsAt) : start;
}

/** Calendar days (in the organiser's zone) between the course start and the participant's own start. */
function personalOffsetDays(offering: PacingOffering, start: Date): number {
  if (!offering.startsAt) return 0;
  const zone = offering.organiserTimeZone;
  return Math.max(0, Math.floor(inZone(start, zone).startOf('day').diff(inZone(offering.startsAt, zone).startOf('day'), 'days').days));
}

/** When a module opens for this participant (null: it is open from the start). */
export function moduleOpensAt(offering: PacingOffering, module: PacingModule, enrolment: Pick<PacingEnrolment, 'enrolledAt'> | null): Date | null {
  if (offering.pacingMode === 'cohort') return module.releaseAt ?? offering.startsAt;
  const start = personalStart(offering, enrolment);
  if (!start) return null;
  const opens = inZone(start, offering.organiserTimeZone).plus({ days: module.releaseOffsetDays ?? 0 }).toJSDate();
  return offering.endsAt ? minDate(opens, offering.endsAt) : opens;
}

export function isModuleOpen(offering: PacingOffering, module: PacingModule, enrolment: Pick<PacingEnrolment, 'enrolledAt'> | null, now: Date): boolean {
  const opens = moduleOpensAt(offering, module, enrolment);
  return !opens || opens <= now;
}

/**
 * An activity's due date for this participant: as authored for cohorts; for
 * self-paced courses moved by the participant's late start and by the days
 * they shifted their deadlines, and never past the completion deadline.
 */
export function personalDueAt(offering: PacingOffering, dueAt: Date | null, enrolment: PacingEnrolment | null): Date | null {
  if (!dueAt) return null;
  if (offering.pacingMode === 'cohort' || !enrolment) return dueAt;
  const start = personalStart(offering, enrolment);
  const days = (start ? personalOffsetDays(offering, start) : 0) + enrolment.deadlineShiftDays;
  const due = inZone(dueAt, offering.organiserTimeZone).plus({ days }).toJSDate();
  return offering.completionDeadline ? minDate(due, offering.completionDeadline) : due;
}

export type LearningPhase = 'not-started' | 'running' | 'late-completion' | 'closed';

/**
 * Before the start; running; after the end but before the completion
 * deadline (late completion still counts); after the deadline (read-only).
 */
export function learningPhase(offering: Pick<PacingOffering, 'startsAt' | 'endsAt' | 'completionDeadline'>, now: Date): LearningPhase {
  if (offering.startsAt && now < offering.startsAt) return 'not-started';
  if (offering.completionDeadline && now > offering.completionDeadline) return 'closed';
  if (offering.endsAt && now >= offering.endsAt) return 'late-completion';
  return 'running';
}

export type ShiftCheck = { ok: true } | { ok: false; reason: 'cohort' | 'no-shifts-left' | 'past-deadline' | 'closed' | 'invalid-days' };

export const MAX_SHIFT_DAYS = 14;

/**
 * Whether a self-paced participant may push their deadlines by `days`:
 * a bounded number of times, and only if the latest personal due date stays
 * on or before the completion deadline.
 */
export function canShiftDeadlines(
  offering: PacingOffering,
  enrolment: PacingEnrolment,
  days: number,
  latestDueAt: Date | null,
  now: Date,
): ShiftCheck {
  if (offering.pacingMode !== 'self_paced') return { ok: false, reason: 'cohort' };
  if (!Number.isInteger(days) || days < 1 || days > MAX_SHIFT_DAYS) return { ok: false, reason: 'invalid-days' };
  if (learningPhase(offering, now) === 'closed') return { ok: false, reason: 'closed' };
  if (enrolment.deadlineShiftsUsed >= offering.maxDeadlineShifts) return { ok: false, reason: 'no-shifts-left' };
  if (latestDueAt && offering.completionDeadline) {
    const shifted = inZone(latestDueAt, offering.organiserTimeZone).plus({ days }).toJSDate();
    if (shifted > offering.completionDeadline) return { ok: false, reason: 'past-deadline' };
  }
  return { ok: true };
}
