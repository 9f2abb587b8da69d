import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { activities, activityProgress, enrolments, liveSessions, offerings } from '#db/schema';
import {
  canShiftDeadlines,
  completionDeadlineOf,
  learningPhase,
  MAX_SHIFT_DAYS,
  MIN_SHIFT_DAYS,
  nextDueAt,
  personalDueAt,
  shiftsLeft,
  type LearningPhase,
  type PacingEnrolment,
  type PacingOffering,
  type ShiftCheck,
  HANDED_IN_STATUSES,
} from './pacing';

/**
 * The participant's dashboard (issue 4): their offerings in progress, on a
 * waitlist and completed. Three queries whatever the number of offerings:
 * enrolments with their offerings (and waitlist ranks), required-activity
 * progress grouped by offering and due date, and the next live session of
 * each offering.
 */

type OfferingKind = (typeof offerings.$inferSelect)['kind'];

export interface DashboardSession {
  id: string;
  title: string;
  startsAt: Date;
  organiserTimeZone: string;
  durationMinutes: number;
}

export interface DeadlineShiftState {
  /** Shifts still allowed and the bound set on the offering. */
  left: number;
  max: number;
  /** Days already pushed in total. */
  daysShifted: number;
  /** Whether a shift of at least one day is possible now, and the most days one may ask for. */
  check: ShiftCheck | { ok: false; reason: 'nothing-to-shift' };
  maxDays: number;
}

export interface InProgressItem {
  offeringId: string;
  slug: string;
  title: string;
  kind: OfferingKind;
  pacingMode: 'cohort' | 'self_paced';
  organiserTimeZone: string;
  phase: LearningPhase;
  startsAt: Date | null;
  endsAt: Date | null;
  /** The completion deadline (the end for a draft without one). */
  deadline: Date | null;
  required: number;
  done: number;
  /** The participant's next personal due date among required activities not handed in yet (done, or submitted for review). */
  nextDueAt: Date | null;
  /** Required activities not handed in whose personal due date has passed. */
  overdue: number;
  nextSession: DashboardSession | null;
  /** Self-paced only. */
  shift: DeadlineShiftState | null;
}

export interface WaitlistItem {
  offeringId: string;
  slug: string;
  title: string;
  kind: OfferingKind;
  position: number;
  startsAt: Date | null;
  endsAt: Date | null;
}

export interface CompletedItem {
  offeringId: string;
  slug: string;
  title: string;
  kind: OfferingKind;
  completedAt: Date | null;
}

export interface Dashboard {
  inProgress: InProgressItem[];
  waitlist: WaitlistItem[];
  completed: CompletedItem[];
}

const PHASE_ORDER: Record<LearningPhase, number> = { running: 0, 'late-completion': 1, 'not-started': 2, closed: 3 };

/** The pacing view of an enrolment row; enrolled_at is set when the seat was taken, created_at is the fallback for old rows. */
export function pacingEnrolmentOf(row: { enrolledAt: Date | null; createdAt: Date; deadlineShiftsUsed: number; deadlineShiftDays: number }): PacingEnrolment {
  return { enrolledAt: row.enrolledAt ?? row.createdAt, deadlineShiftsUsed: row.deadlineShiftsUsed, deadlineShiftDays: row.deadlineShiftDays };
}

/**
 * Whether (and by how many days at most) the participant may push their
 * deadlines now; `pendingDueAt` are the authored due dates of the required
 * activities they have not handed in.
 */
export function shiftStateOf(offering: PacingOffering, enrolment: PacingEnrolment, pendingDueAt: Date[], now: Date): DeadlineShiftState {
  const personal = pendingDueAt.map((due) => personalDueAt(offering, due, enrolment)!);
  const latest = personal.reduce<Date | null>((a, b) => (!a || b > a ? b : a), null);
  const state = { left: shiftsLeft(offering, enrolment), max: offering.maxDeadlineShifts, daysShifted: enrolment.deadlineShiftDays };
  if (!latest) {
    const base = canShiftDeadlines(offering, enrolment, MIN_SHIFT_DAYS, null, now);
    return { ...state, check: base.ok ? { ok: false, reason: 'nothing-to-shift' } : base, maxDays: 0 };
  }
  let maxDays = 0;
  for (let days = MAX_SHIFT_DAYS; days >= MIN_SHIFT_DAYS && maxDays === 0; days--) {
    if (canShiftDeadlines(offering, enrolment, days, latest, now).ok) maxDays = days;
  }
  return { ...state, check: canShiftDeadlines(offering, enrolment, MIN_SHIFT_DAYS, latest, now), maxDays };
}

export async function loadDashboard(db: Executor, userId: string, now: Date): Promise<Dashboard> {
  // A waitlisted person's position is their rank by waitlist_seq among those still waiting.
  const waitlistPosition = sql<number | null>`case when ${enrolments.status} = 'waitlisted' then (
      select count(*) from enrolments w
      where w.offering_id = ${enrolments.offeringId} and w.status = 'waitlisted' and w.waitlist_seq <= ${enrolments.waitlistSeq}
    ) end`.mapWith((value) => (value === null ? null : Number(value)));

  const rows = await db
    .select({
      offeringId: offerings.id,
      slug: offerings.slug,
      title: offerings.title,
      kind: offerings.kind,
      pacingMode: offerings.pacingMode,
      organiserTimeZone: offerings.organiserTimeZone,
      startsAt: offerings.startsAt,
      endsAt: offerings.endsAt,
      completionDeadline: offerings.completionDeadline,
      maxDeadlineShifts: offerings.maxDeadlineShifts,
      status: enrolments.status,
      enrolledAt: enrolments.enrolledAt,
      createdAt: enrolments.createdAt,
      waitlistedAt: enrolments.waitlistedAt,
      deadlineShiftsUsed: enrolments.deadlineShiftsUsed,
      deadlineShiftDays: enrolments.deadlineShiftDays,
      completedAt: enrolments.completedAt,
      waitlistPosition,
    })
    .from(enrolments)
    .innerJoin(offerings, eq(offerings.id, enrolments.offeringId))
    .where(and(eq(enrolments.userId, userId), inArray(enrolments.status, ['enrolled', 'waitlisted', 'completed'])))
    .orderBy(asc(offerings.startsAt), asc(offerings.title), asc(offerings.id));

  const active = rows.filter((row) => row.status === 'enrolled');
  const activeIds = active.map((row) => row.offeringId);

  const [progressRows, sessionRows] =
    activeIds.length === 0
      ? [[], []]
      : await Promise.all([
          // Grouped by due date as well, so the same rows give both the counts and the open due dates.
          db
            .select({
              offeringId: activities.offeringId,
              dueAt: activities.dueAt,
              total: count(),
              done: sql<number>`count(*) filter (where ${activityProgress.status} = 'done')`.mapWith(Number),
              handedIn: sql<number>`count(*) filter (where ${inArray(activityProgress.status, [...HANDED_IN_STATUSES])})`.mapWith(Number),
            })
            .from(activities)
            .leftJoin(activityProgress, and(eq(activityProgress.activityId, activities.id), eq(activityProgress.userId, userId)))
            .where(and(inArray(activities.offeringId, activeIds), eq(activities.required, true), isNull(activities.removedAt)))
            .groupBy(activities.offeringId, activities.dueAt),
          db
            .selectDistinctOn([liveSessions.offeringId], {
              offeringId: liveSessions.offeringId,
              id: liveSessions.id,
              title: liveSessions.title,
              startsAt: liveSessions.startsAt,
              organiserTimeZone: liveSessions.organiserTimeZone,
              durationMinutes: liveSessions.durationMinutes,
            })
            .from(liveSessions)
            .where(
              and(
                inArray(liveSessions.offeringId, activeIds),
                isNull(liveSessions.cancelledAt),
                // A session that has begun and not yet ended is still the one to join.
                sql`${liveSessions.startsAt} + make_interval(mins => ${liveSessions.durationMinutes}) > ${now.toISOString()}::timestamptz`,
              ),
            )
            .orderBy(asc(liveSessions.offeringId), asc(liveSessions.startsAt), asc(liveSessions.id)),
        ]);

  /** Per offering: required activities, those done, and the authored due dates still open (with how many activities each). */
  const progress = new Map<string, { total: number; done: number; pending: { dueAt: Date; open: number }[] }>();
  for (const row of progressRows) {
    const entry = progress.get(row.offeringId) ?? { total: 0, done: 0, pending: [] };
    entry.total += row.total;
    entry.done += row.done;
    if (row.dueAt && row.handedIn < row.total) entry.pending.push({ dueAt: row.dueAt, open: row.total - row.handedIn });
    progress.set(row.offeringId, entry);
  }
  const sessions = new Map(sessionRows.map(({ offeringId, ...session }) => [offeringId, session]));

  const inProgress: InProgressItem[] = active.map((row) => {
    const enrolment = pacingEnrolmentOf(row);
    const counts = progress.get(row.offeringId) ?? { total: 0, done: 0, pending: [] };
    const personal = counts.pending.map((p) => ({ dueAt: personalDueAt(row, p.dueAt, enrolment)!, open: p.open }));
    return {
      offeringId: row.offeringId,
      slug: row.slug,
      title: row.title,
      kind: row.kind,
      pacingMode: row.pacingMode,
      organiserTimeZone: row.organiserTimeZone,
      phase: learningPhase(row, now),
      startsAt: row.startsAt,
      endsAt: row.endsAt,
      deadline: completionDeadlineOf(row),
      required: counts.total,
      done: counts.done,
      nextDueAt: nextDueAt(personal.map((p) => p.dueAt), now),
      overdue: personal.filter((p) => p.dueAt < now).reduce((sum, p) => sum + p.open, 0),
      nextSession: sessions.get(row.offeringId) ?? null,
      shift: row.pacingMode === 'self_paced' ? shiftStateOf(row, enrolment, counts.pending.map((p) => p.dueAt), now) : null,
    };
  });
  inProgress.sort((a, b) => PHASE_ORDER[a.phase] - PHASE_ORDER[b.phase]);

  const waitlist: WaitlistItem[] = rows
    .filter((row) => row.status === 'waitlisted')
    .map((row) => ({ offeringId: row.offeringId, slug: row.slug, title: row.title, kind: row.kind, position: row.waitlistPosition ?? 0, startsAt: row.startsAt, endsAt: row.endsAt }));

  const completed: CompletedItem[] = rows
    .filter((row) => row.status === 'completed')
    .map((row) => ({ offeringId: row.offeringId, slug: row.slug, title: row.title, kind: row.kind, completedAt: row.completedAt }))
    .sort((a, b) => (b.completedAt?.getTime() ?? 0) - (a.completedAt?.getTime() ?? 0));

  return { inProgress, waitlist, completed };
}
