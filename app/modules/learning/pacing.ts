import { DateTime } from 'luxon';
import type { TranslationKey } from '../i18n/keys';

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
/** The same wall-clock time `days` calendar days later in the zone (23- and 25-hour days included). */
const plusCalendarDays = (instant: Date, days: number, zone: string) => inZone(instant, zone).plus({ days }).toJSDate();

/**
 * The last moment work still counts: the completion deadline, or the course
 * end for a draft that has none yet (publishing requires one).
 */
export function completionDeadlineOf(offering: Pick<PacingOffering, 'endsAt' | 'completionDeadline'>): Date | null {
  return offering.completionDeadline ?? offering.endsAt;
}

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
  // Both ends at midnight, so a 23- or 25-hour day still counts as one; round away float dust.
  return Math.max(0, Math.round(inZone(start, zone).startOf('day').diff(inZone(offering.startsAt, zone).startOf('day'), 'days').days));
}

/** When a module opens for this participant (null: it is open from the start). */
export function moduleOpensAt(offering: PacingOffering, module: PacingModule, enrolment: Pick<PacingEnrolment, 'enrolledAt'> | null): Date | null {
  if (offering.pacingMode === 'cohort') return module.releaseAt ?? offering.startsAt;
  const start = personalStart(offering, enrolment);
  if (!start) return null;
  const opens = plusCalendarDays(start, module.releaseOffsetDays ?? 0, offering.organiserTimeZone);
  // Whoever starts late still gets every module before the course ends.
  return offering.endsAt ? minDate(opens, offering.endsAt) : opens;
}

export function isModuleOpen(offering: PacingOffering, module: PacingModule, enrolment: Pick<PacingEnrolment, 'enrolledAt'> | null, now: Date): boolean {
  const opens = moduleOpensAt(offering, module, enrolment);
  return !opens || opens <= now;
}

/**
 * An activity's due date for this participant: as authored for cohorts; for
 * self-paced courses moved by the participant's late start and by the days
 * they shifted their deadlines. Never past the completion deadline.
 */
export function personalDueAt(offering: PacingOffering, dueAt: Date | null, enrolment: PacingEnrolment | null): Date | null {
  if (!dueAt) return null;
  let due = dueAt;
  if (offering.pacingMode === 'self_paced' && enrolment) {
    const start = personalStart(offering, enrolment);
    const days = (start ? personalOffsetDays(offering, start) : 0) + enrolment.deadlineShiftDays;
    due = plusCalendarDays(dueAt, days, offering.organiserTimeZone);
  }
  const deadline = completionDeadlineOf(offering);
  return deadline ? minDate(due, deadline) : due;
}

/** The earliest of the dates that is still ahead (at or after `now`); null when none is. */
export function nextDueAt(dates: readonly (Date | null)[], now: Date): Date | null {
  let next: Date | null = null;
  for (const date of dates) {
    if (date && date >= now && (!next || date < next)) next = date;
  }
  return next;
}

/** Behind: not done and the personal due date has passed. */
export function isOverdue(dueAt: Date | null, done: boolean, now: Date): boolean {
  return !done && !!dueAt && dueAt < now;
}

/**
 * Progress states in which the participant has done their part as far as
 * deadlines go: done, or submitted and waiting for a trainer's review (a
 * slow review never makes anyone late). A returned assignment is open again.
 */
export const HANDED_IN_STATUSES = ['done', 'submitted'] as const;

export function isHandedIn(status: string | null | undefined): boolean {
  return status === 'done' || status === 'submitted';
}

export type LearningPhase = 'not-started' | 'running' | 'late-completion' | 'closed';

/**
 * Before the start; running; after the end but before the completion
 * deadline (late completion still counts; the deadline itself is the last
 * moment that does); after the deadline (read-only).
 */
export function learningPhase(offering: Pick<PacingOffering, 'startsAt' | 'endsAt' | 'completionDeadline'>, now: Date): LearningPhase {
  if (offering.startsAt && now < offering.startsAt) return 'not-started';
  const deadline = completionDeadlineOf(offering);
  if (deadline && now > deadline) return 'closed';
  if (offering.endsAt && now >= offering.endsAt) return 'late-completion';
  return 'running';
}

/** After the completion deadline content stays readable, but nothing new is recorded. */
export function isReadOnly(offering: Pick<PacingOffering, 'startsAt' | 'endsAt' | 'completionDeadline'>, now: Date): boolean {
  return learningPhase(offering, now) === 'closed';
}

export type ShiftCheck = { ok: true } | { ok: false; reason: 'cohort' | 'no-shifts-left' | 'past-deadline' | 'closed' | 'invalid-days' };

/** Every reason a deadline shift can be refused: the check's, and what the write itself finds. */
export type ShiftRefusal = Exclude<ShiftCheck, { ok: true }>['reason'] | 'not-enrolled' | 'nothing-to-shift' | 'changed';

/** The message of each refusal, for the dashboard's form and the flash after a refused shift. */
export const SHIFT_REFUSAL_KEYS = {
  cohort: 'dashboard.shift.refused.cohort',
  'no-shifts-left': 'dashboard.shift.refused.noShiftsLeft',
  'past-deadline': 'dashboard.shift.refused.pastDeadline',
  closed: 'dashboard.shift.refused.closed',
  'invalid-days': 'dashboard.shift.refused.invalidDays',
  'nothing-to-shift': 'dashboard.shift.refused.nothingToShift',
  'not-enrolled': 'dashboard.shift.refused.notEnrolled',
  changed: 'dashboard.shift.refused.changed',
} as const satisfies Record<ShiftRefusal, TranslationKey>;

export const MIN_SHIFT_DAYS = 1;
export const MAX_SHIFT_DAYS = 14;

/** How many more times the participant may push their deadlines (0 for cohorts). */
export function shiftsLeft(offering: Pick<PacingOffering, 'pacingMode' | 'maxDeadlineShifts'>, enrolment: Pick<PacingEnrolment, 'deadlineShiftsUsed'>): number {
  if (offering.pacingMode !== 'self_paced') return 0;
  return Math.max(0, offering.maxDeadlineShifts - enrolment.deadlineShiftsUsed);
}

/**
 * Whether a self-paced participant may push their deadlines by `days`:
 * a bounded number of times, and only if `latestDueAt` (the latest of their
 * current personal due dates that still matter) moved by `days` stays on or
 * before the completion deadline.
 */
export function canShiftDeadlines(
  offering: PacingOffering,
  enrolment: PacingEnrolment,
  days: number,
  latestDueAt: Date | null,
  now: Date,
): ShiftCheck {
  if (offering.pacingMode !== 'self_paced') return { ok: false, reason: 'cohort' };
  if (!Number.isInteger(days) || days < MIN_SHIFT_DAYS || days > MAX_SHIFT_DAYS) return { ok: false, reason: 'invalid-days' };
  if (learningPhase(offering, now) === 'closed') return { ok: false, reason: 'closed' };
  if (shiftsLeft(offering, enrolment) === 0) return { ok: false, reason: 'no-shifts-left' };
  const deadline = completionDeadlineOf(offering);
  if (latestDueAt && deadline && plusCalendarDays(latestDueAt, days, offering.organiserTimeZone) > deadline) {
    return { ok: false, reason: 'past-deadline' };
  }
  return { ok: true };
}
