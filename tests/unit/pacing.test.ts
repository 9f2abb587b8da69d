import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  canShiftDeadlines,
  completionDeadlineOf,
  isHandedIn,
  isModuleOpen,
  isOverdue,
  isReadOnly,
  learningPhase,
  MAX_SHIFT_DAYS,
  moduleOpensAt,
  nextDueAt,
  personalDueAt,
  personalStart,
  shiftsLeft,
  type PacingEnrolment,
  type PacingModule,
  type PacingOffering,
} from '~/modules/learning/pacing';

const OSLO = 'Europe/Oslo';
const NEW_YORK = 'America/New_York';

/** An instant from a wall-clock time in a zone: local('2026-03-16T09:00') is 09:00 in Oslo. */
function local(wall: string, zone = OSLO): Date {
  const dt = DateTime.fromISO(wall, { zone });
  if (!dt.isValid) throw new Error(`bad wall time ${wall}`);
  return dt.toJSDate();
}

/** The wall-clock time of an instant in a zone, as "yyyy-MM-dd HH:mm". */
function wall(instant: Date | null, zone = OSLO): string {
  if (!instant) throw new Error('expected an instant');
  return DateTime.fromJSDate(instant, { zone }).toFormat('yyyy-MM-dd HH:mm');
}

const hoursBetween = (a: Date, b: Date) => (b.getTime() - a.getTime()) / 3_600_000;

/**
 * A six-week self-paced MOOC organised in Oslo: Monday 16 March 2026 09:00
 * (CET) to Monday 27 April 09:00 (CEST, after the clocks went forward on
 * 29 March), completion deadline Monday 11 May 23:59.
 */
const spring: PacingOffering = {
  pacingMode: 'self_paced',
  organiserTimeZone: OSLO,
  startsAt: local('2026-03-16T09:00'),
  endsAt: local('2026-04-27T09:00'),
  completionDeadline: local('2026-05-11T23:59'),
  maxDeadlineShifts: 2,
};
const springCohort: PacingOffering = { ...spring, pacingMode: 'cohort' };

const enrolled = (wallTime: string, extra: Partial<PacingEnrolment> = {}, zone = OSLO): PacingEnrolment => ({
  enrolledAt: local(wallTime, zone),
  deadlineShiftsUsed: 0,
  deadlineShiftDays: 0,
  ...extra,
});

const selfPacedModule = (days: number | null): PacingModule => ({ releaseAt: null, releaseOffsetDays: days });

describe('completionDeadlineOf', () => {
  it('is the completion deadline, or the course end for a draft without one', () => {
    expect(completionDeadlineOf(spring)).toEqual(spring.completionDeadline);
    expect(completionDeadlineOf({ ...spring, completionDeadline: null })).toEqual(spring.endsAt);
    expect(completionDeadlineOf({ endsAt: null, completionDeadline: null })).toBeNull();
  });
});

describe('personalStart', () => {
  it('is the course start for everyone in a cohort, whenever they enrolled', () => {
    for (const when of ['2026-03-01T12:00', '2026-03-20T15:00', '2026-05-01T10:00']) {
      expect(personalStart(springCohort, enrolled(when))).toEqual(spring.startsAt);
    }
  });

  it('self-paced: enrolling before the start starts at the course start', () => {
    expect(personalStart(spring, enrolled('2026-03-01T12:00'))).toEqual(spring.startsAt);
  });

  it('self-paced: enrolling exactly at the start starts then', () => {
    expect(personalStart(spring, { enrolledAt: spring.startsAt! })).toEqual(spring.startsAt);
  });

  it('self-paced: enrolling during the course starts at the enrolment', () => {
    expect(personalStart(spring, enrolled('2026-03-20T15:30'))).toEqual(local('2026-03-20T15:30'));
  });

  it('self-paced: enrolling after the end is clamped to the course end', () => {
    expect(personalStart(spring, enrolled('2026-05-01T10:00'))).toEqual(spring.endsAt);
  });

  it('self-paced without an end: the enrolment, however late', () => {
    const open = { ...spring, endsAt: null };
    expect(personalStart(open, enrolled('2026-09-01T10:00'))).toEqual(local('2026-09-01T10:00'));
  });

  it('is the course start without an enrolment (a trainer previewing) and null without a start', () => {
    expect(personalStart(spring, null)).toEqual(spring.startsAt);
    expect(personalStart({ ...spring, startsAt: null }, enrolled('2026-03-20T10:00'))).toBeNull();
  });
});

describe('moduleOpensAt and isModuleOpen', () => {
  describe('cohort', () => {
    it('opens each module at its release time for everyone, whatever their enrolment', () => {
      const module: PacingModule = { releaseAt: local('2026-03-30T09:00'), releaseOffsetDays: 14 };
      expect(moduleOpensAt(springCohort, module, enrolled('2026-03-25T18:00'))).toEqual(module.releaseAt);
      expect(moduleOpensAt(springCohort, module, null)).toEqual(module.releaseAt);
    });

    it('opens a module without a release time at the course start; without a start it is open', () => {
      expect(moduleOpensAt(springCohort, { releaseAt: null, releaseOffsetDays: null }, null)).toEqual(spring.startsAt);
      const undated = { ...springCohort, startsAt: null };
      expect(moduleOpensAt(undated, { releaseAt: null, releaseOffsetDays: null }, null)).toBeNull();
      expect(isModuleOpen(undated, { releaseAt: null, releaseOffsetDays: null }, null, local('2020-01-01T00:00'))).toBe(true);
    });

    it('is locked until the release instant and open from it on', () => {
      const module: PacingModule = { releaseAt: local('2026-03-30T09:00'), releaseOffsetDays: null };
      const opens = module.releaseAt!;
      expect(isModuleOpen(springCohort, module, null, new Date(opens.getTime() - 1))).toBe(false);
      expect(isModuleOpen(springCohort, module, null, opens)).toBe(true);
      expect(isModuleOpen(springCohort, module, null, new Date(opens.getTime() + 1))).toBe(true);
    });
  });

  describe('self-paced', () => {
    it('counts offsets from the course start for those who enrolled early', () => {
      const early = enrolled('2026-03-01T12:00');
      expect(wall(moduleOpensAt(spring, selfPacedModule(0), early))).toBe('2026-03-16 09:00');
      expect(wall(moduleOpensAt(spring, selfPacedModule(7), early))).toBe('2026-03-23 09:00');
      expect(wall(moduleOpensAt(spring, selfPacedModule(null), early))).toBe('2026-03-16 09:00');
    });

    it('counts offsets from a late enrolment, at its wall-clock time', () => {
      const late = enrolled('2026-03-18T14:30');
      expect(wall(moduleOpensAt(spring, selfPacedModule(0), late))).toBe('2026-03-18 14:30');
      expect(wall(moduleOpensAt(spring, selfPacedModule(7), late))).toBe('2026-03-25 14:30');
      // 14 days on crosses 29 March: still 14:30 in Oslo.
      expect(wall(moduleOpensAt(spring, selfPacedModule(14), late))).toBe('2026-04-01 14:30');
    });

    it('never opens a module after the course end', () => {
      const late = enrolled('2026-04-20T10:00');
      expect(moduleOpensAt(spring, selfPacedModule(35), late)).toEqual(spring.endsAt);
      expect(moduleOpensAt(spring, selfPacedModule(0), enrolled('2026-05-05T10:00'))).toEqual(spring.endsAt);
    });

    it('keeps 09:00 in Oslo across the March change (a 167-hour week)', () => {
      const course: PacingOffering = { ...spring, startsAt: local('2026-03-23T09:00') };
      const first = moduleOpensAt(course, selfPacedModule(0), null)!;
      const second = moduleOpensAt(course, selfPacedModule(7), null)!;
      expect(wall(first)).toBe('2026-03-23 09:00');
      expect(wall(second)).toBe('2026-03-30 09:00');
      expect(first.toISOString()).toBe('2026-03-23T08:00:00.000Z');
      expect(second.toISOString()).toBe('2026-03-30T07:00:00.000Z');
      expect(hoursBetween(first, second)).toBe(167);
    });

    it('keeps 09:00 in Oslo across the October change (a 169-hour week)', () => {
      const autumn: PacingOffering = {
        ...spring,
        startsAt: local('2026-10-19T09:00'),
        endsAt: local('2026-11-30T09:00'),
        completionDeadline: local('2026-12-14T23:59'),
      };
      const first = moduleOpensAt(autumn, selfPacedModule(0), enrolled('2026-10-01T08:00'))!;
      const second = moduleOpensAt(autumn, selfPacedModule(7), enrolled('2026-10-01T08:00'))!;
      expect(wall(first)).toBe('2026-10-19 09:00');
      expect(wall(second)).toBe('2026-10-26 09:00');
      expect(first.toISOString()).toBe('2026-10-19T07:00:00.000Z');
      expect(second.toISOString()).toBe('2026-10-26T08:00:00.000Z');
      expect(hoursBetween(first, second)).toBe(169);
    });

    it('is locked until the personal opening and open from it on', () => {
      const late = enrolled('2026-03-18T14:30');
      const opens = local('2026-03-25T14:30');
      expect(isModuleOpen(spring, selfPacedModule(7), late, new Date(opens.getTime() - 1))).toBe(false);
      expect(isModuleOpen(spring, selfPacedModule(7), late, opens)).toBe(true);
      // Someone who enrolled early has it since 23 March.
      expect(isModuleOpen(spring, selfPacedModule(7), enrolled('2026-03-01T12:00'), local('2026-03-24T10:00'))).toBe(true);
    });

    it('is open when the course has no start yet', () => {
      const undated = { ...spring, startsAt: null };
      expect(moduleOpensAt(undated, selfPacedModule(7), enrolled('2026-03-18T14:30'))).toBeNull();
      expect(isModuleOpen(undated, selfPacedModule(7), enrolled('2026-03-18T14:30'), local('2026-03-18T14:31'))).toBe(true);
    });
  });

  describe('a participant in New York following an Oslo course', () => {
    // The US moves its clocks three weeks before Europe in March and one week after it in autumn.
    const weekly = (start: string): PacingOffering => ({
      ...spring,
      startsAt: local(start),
      endsAt: DateTime.fromISO(start, { zone: OSLO }).plus({ weeks: 6 }).toJSDate(),
      completionDeadline: DateTime.fromISO(start, { zone: OSLO }).plus({ weeks: 8 }).toJSDate(),
    });

    it.each([
      ['self-paced', 'self_paced' as const],
      ['cohort', 'cohort' as const],
    ])('%s: spring weeks open at 09:00 in Oslo, at 03:00 or 04:00 in New York', (_label, pacingMode) => {
      const course = { ...weekly('2026-03-02T09:00'), pacingMode };
      const openings = [0, 1, 2, 3, 4].map((week) => {
        const module: PacingModule = {
          releaseAt: DateTime.fromISO('2026-03-02T09:00', { zone: OSLO }).plus({ weeks: week }).toJSDate(),
          releaseOffsetDays: week * 7,
        };
        return moduleOpensAt(course, module, enrolled('2026-02-20T12:00'))!;
      });
      expect(openings.map((o) => wall(o))).toEqual(['2026-03-02 09:00', '2026-03-09 09:00', '2026-03-16 09:00', '2026-03-23 09:00', '2026-03-30 09:00']);
      // 2 March: both on winter time (6 h apart). 9–23 March: New York on summer time, Oslo not yet (5 h). 30 March: both on summer time.
      expect(openings.map((o) => wall(o, NEW_YORK))).toEqual(['2026-03-02 03:00', '2026-03-09 04:00', '2026-03-16 04:00', '2026-03-23 04:00', '2026-03-30 03:00']);
      expect(openings.map((o) => o.toISOString().slice(11, 16))).toEqual(['08:00', '08:00', '08:00', '08:00', '07:00']);
    });

    it('autumn weeks: the week between the two changes opens at 04:00 in New York', () => {
      const course = weekly('2026-10-19T09:00');
      const openings = [0, 7, 14].map((days) => moduleOpensAt(course, selfPacedModule(days), null)!);
      expect(openings.map((o) => wall(o))).toEqual(['2026-10-19 09:00', '2026-10-26 09:00', '2026-11-02 09:00']);
      expect(openings.map((o) => wall(o, NEW_YORK))).toEqual(['2026-10-19 03:00', '2026-10-26 04:00', '2026-11-02 03:00']);
    });

    it('a New Yorker enrolling in the evening starts on the next Oslo day', () => {
      // 20:30 on Tuesday 17 March in New York is 01:30 on Wednesday in Oslo.
      const start = enrolled('2026-03-17T20:30', {}, NEW_YORK);
      expect(wall(personalStart(spring, start))).toBe('2026-03-18 01:30');
      // Due dates move by the two Oslo calendar days since the course start, not by one.
      const due = personalDueAt(spring, local('2026-03-20T23:59'), start);
      expect(wall(due)).toBe('2026-03-22 23:59');
    });
  });

  describe('a weekly 09:00 release stays at 09:00 local all year, in every zone', () => {
    it.each([OSLO, NEW_YORK, 'Europe/Helsinki', 'Australia/Sydney', 'America/Santiago', 'Asia/Tokyo'])('%s', (zone) => {
      const start = DateTime.fromISO('2026-01-05T09:00', { zone });
      const course: PacingOffering = {
        pacingMode: 'self_paced',
        organiserTimeZone: zone,
        startsAt: start.toJSDate(),
        endsAt: start.plus({ weeks: 53 }).toJSDate(),
        completionDeadline: start.plus({ weeks: 54 }).toJSDate(),
        maxDeadlineShifts: 2,
      };
      for (let week = 0; week <= 52; week++) {
        const opens = moduleOpensAt(course, selfPacedModule(week * 7), null)!;
        expect(DateTime.fromJSDate(opens, { zone }).toFormat('ccc HH:mm')).toBe('Mon 09:00');
        expect(wall(opens, zone)).toBe(start.plus({ weeks: week }).toFormat('yyyy-MM-dd HH:mm'));
      }
    });
  });
});

describe('personalDueAt', () => {
  const due = local('2026-03-27T23:59');

  it('is null without an authored due date', () => {
    expect(personalDueAt(spring, null, enrolled('2026-03-20T10:00'))).toBeNull();
  });

  it('cohort: as authored, whatever the enrolment or shifts', () => {
    expect(personalDueAt(springCohort, due, enrolled('2026-03-25T10:00', { deadlineShiftsUsed: 1, deadlineShiftDays: 7 }))).toEqual(due);
    expect(personalDueAt(springCohort, due, null)).toEqual(due);
  });

  it('cohort: never past the completion deadline, even if authored so', () => {
    expect(personalDueAt(springCohort, local('2026-06-01T12:00'), null)).toEqual(spring.completionDeadline);
  });

  it('self-paced: unchanged for those who enrolled before the start', () => {
    expect(personalDueAt(spring, due, enrolled('2026-03-01T12:00'))).toEqual(due);
    expect(personalDueAt(spring, due, enrolled('2026-03-16T08:59'))).toEqual(due);
  });

  it('self-paced: unchanged for those who enrolled later on the first day', () => {
    expect(personalDueAt(spring, due, enrolled('2026-03-16T23:30'))).toEqual(due);
  });

  it('self-paced: moved by the calendar days of a late start, keeping the wall-clock time across the March change', () => {
    // Two days late: 27 March 23:59 CET becomes 29 March 23:59 CEST, 47 hours later, not 48.
    const moved = personalDueAt(spring, due, enrolled('2026-03-18T00:10'))!;
    expect(wall(moved)).toBe('2026-03-29 23:59');
    expect(hoursBetween(due, moved)).toBe(47);
  });

  it('self-paced: moved by the shifted days on top of the late start', () => {
    const moved = personalDueAt(spring, due, enrolled('2026-03-18T10:00', { deadlineShiftsUsed: 2, deadlineShiftDays: 10 }));
    expect(wall(moved)).toBe('2026-04-08 23:59');
  });

  it('self-paced: shifts alone move it for an early enrolment', () => {
    const moved = personalDueAt(spring, due, enrolled('2026-03-01T10:00', { deadlineShiftsUsed: 1, deadlineShiftDays: 3 }));
    expect(wall(moved)).toBe('2026-03-30 23:59');
  });

  it('self-paced: clamped to the completion deadline', () => {
    const lastDue = local('2026-04-26T23:59');
    expect(personalDueAt(spring, lastDue, enrolled('2026-04-10T10:00'))).toEqual(spring.completionDeadline);
    expect(personalDueAt(spring, lastDue, enrolled('2026-03-01T10:00', { deadlineShiftsUsed: 2, deadlineShiftDays: 28 }))).toEqual(spring.completionDeadline);
  });

  it('self-paced: enrolling after the end moves by the whole course, then clamps', () => {
    expect(wall(personalDueAt(spring, due, enrolled('2026-05-05T10:00')))).toBe('2026-05-08 23:59');
    expect(personalDueAt(spring, local('2026-04-10T23:59'), enrolled('2026-05-05T10:00'))).toEqual(spring.completionDeadline);
    const early = local('2026-03-16T12:00');
    // 42 days from 16 March to 27 April.
    expect(wall(personalDueAt(spring, early, enrolled('2026-05-05T10:00')))).toBe('2026-04-27 12:00');
  });

  it('self-paced: clamped to the course end when a draft has no completion deadline', () => {
    const draft = { ...spring, completionDeadline: null };
    expect(personalDueAt(draft, local('2026-04-26T23:59'), enrolled('2026-04-10T10:00'))).toEqual(spring.endsAt);
  });

  it('self-paced: without an enrolment (a trainer previewing) it is the authored date', () => {
    expect(personalDueAt(spring, due, null)).toEqual(due);
  });

  it('keeps the wall-clock time across the October change too', () => {
    const autumn: PacingOffering = { ...spring, startsAt: local('2026-10-19T09:00'), endsAt: local('2026-11-30T09:00'), completionDeadline: local('2026-12-14T23:59') };
    const authored = local('2026-10-23T17:00');
    const moved = personalDueAt(autumn, authored, enrolled('2026-10-20T08:00', { deadlineShiftsUsed: 1, deadlineShiftDays: 3 }))!;
    expect(wall(moved)).toBe('2026-10-27 17:00');
    expect(hoursBetween(authored, moved)).toBe(4 * 24 + 1);
  });
});

describe('nextDueAt and isOverdue', () => {
  const now = local('2026-03-25T12:00');

  it('picks the earliest date still ahead', () => {
    const dates = [local('2026-03-20T23:59'), null, local('2026-04-03T23:59'), local('2026-03-27T23:59'), now];
    expect(nextDueAt(dates, now)).toEqual(now);
    expect(nextDueAt(dates, new Date(now.getTime() + 1))).toEqual(local('2026-03-27T23:59'));
    expect(nextDueAt([local('2026-03-20T23:59'), null], now)).toBeNull();
    expect(nextDueAt([], now)).toBeNull();
  });

  it('is overdue only when not done and the due date has passed', () => {
    expect(isOverdue(local('2026-03-20T23:59'), false, now)).toBe(true);
    expect(isOverdue(local('2026-03-20T23:59'), true, now)).toBe(false);
    expect(isOverdue(now, false, now)).toBe(false);
    expect(isOverdue(null, false, now)).toBe(false);
  });
});

describe('isHandedIn', () => {
  it('counts done and submitted-for-review work as handed in; started, returned and nothing are open', () => {
    expect(['done', 'submitted', 'started', 'returned', null, undefined].map(isHandedIn)).toEqual([true, true, false, false, false, false]);
  });
});

describe('learningPhase', () => {
  const at = (ms: number) => new Date(ms);
  const start = spring.startsAt!.getTime();
  const end = spring.endsAt!.getTime();
  const deadline = spring.completionDeadline!.getTime();

  it.each([
    ['long before the start', start - 86_400_000, 'not-started'],
    ['a millisecond before the start', start - 1, 'not-started'],
    ['at the start', start, 'running'],
    ['a millisecond before the end', end - 1, 'running'],
    ['at the end', end, 'late-completion'],
    ['between the end and the deadline', end + 86_400_000, 'late-completion'],
    ['at the deadline', deadline, 'late-completion'],
    ['a millisecond after the deadline', deadline + 1, 'closed'],
  ] as const)('%s: %s', (_label, ms, phase) => {
    expect(learningPhase(spring, at(ms))).toBe(phase);
    expect(isReadOnly(spring, at(ms))).toBe(phase === 'closed');
  });

  it('runs forever without dates', () => {
    expect(learningPhase({ startsAt: null, endsAt: null, completionDeadline: null }, at(0))).toBe('running');
  });

  it('closes at the end when a draft has no completion deadline', () => {
    const draft = { ...spring, completionDeadline: null };
    expect(learningPhase(draft, at(end))).toBe('late-completion');
    expect(learningPhase(draft, at(end + 1))).toBe('closed');
  });

  it('a deadline equal to the end leaves no late completion', () => {
    const tight = { ...spring, completionDeadline: spring.endsAt };
    expect(learningPhase(tight, at(end - 1))).toBe('running');
    expect(learningPhase(tight, at(end + 1))).toBe('closed');
  });
});

describe('shiftsLeft', () => {
  it('counts down to zero and never below; cohorts have none', () => {
    expect(shiftsLeft(spring, { deadlineShiftsUsed: 0 })).toBe(2);
    expect(shiftsLeft(spring, { deadlineShiftsUsed: 1 })).toBe(1);
    expect(shiftsLeft(spring, { deadlineShiftsUsed: 2 })).toBe(0);
    expect(shiftsLeft({ ...spring, maxDeadlineShifts: 1 }, { deadlineShiftsUsed: 3 })).toBe(0);
    expect(shiftsLeft(springCohort, { deadlineShiftsUsed: 0 })).toBe(0);
  });
});

describe('canShiftDeadlines', () => {
  const now = local('2026-03-25T12:00');
  const fresh = enrolled('2026-03-20T10:00');
  const latest = local('2026-04-26T23:59');

  it('allows a self-paced participant with shifts left inside the deadline', () => {
    expect(canShiftDeadlines(spring, fresh, 7, latest, now)).toEqual({ ok: true });
    expect(canShiftDeadlines(spring, fresh, 1, latest, now)).toEqual({ ok: true });
    expect(canShiftDeadlines(spring, fresh, MAX_SHIFT_DAYS, latest, now)).toEqual({ ok: true });
  });

  it('refuses cohorts, whatever else', () => {
    expect(canShiftDeadlines(springCohort, fresh, 7, latest, now)).toEqual({ ok: false, reason: 'cohort' });
    expect(canShiftDeadlines(springCohort, fresh, 99, latest, now)).toEqual({ ok: false, reason: 'cohort' });
  });

  it.each([0, -1, MAX_SHIFT_DAYS + 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s days', (days) => {
    expect(canShiftDeadlines(spring, fresh, days, latest, now)).toEqual({ ok: false, reason: 'invalid-days' });
  });

  it('refuses once the shifts are used up', () => {
    expect(canShiftDeadlines(spring, { ...fresh, deadlineShiftsUsed: 1, deadlineShiftDays: 3 }, 3, latest, now)).toEqual({ ok: true });
    expect(canShiftDeadlines(spring, { ...fresh, deadlineShiftsUsed: 2, deadlineShiftDays: 6 }, 3, latest, now)).toEqual({ ok: false, reason: 'no-shifts-left' });
    expect(canShiftDeadlines({ ...spring, maxDeadlineShifts: 0 }, fresh, 3, latest, now)).toEqual({ ok: false, reason: 'no-shifts-left' });
  });

  it('refuses a shift that would push the latest due date past the completion deadline', () => {
    // 27 April 23:59 + 14 days is 11 May 23:59, the deadline itself: allowed; a minute later is not.
    const lastDue = local('2026-04-27T23:59');
    expect(canShiftDeadlines(spring, fresh, 14, lastDue, now)).toEqual({ ok: true });
    expect(canShiftDeadlines(spring, fresh, 14, local('2026-04-28T00:00'), now)).toEqual({ ok: false, reason: 'past-deadline' });
    expect(canShiftDeadlines(spring, fresh, 1, spring.completionDeadline, now)).toEqual({ ok: false, reason: 'past-deadline' });
  });

  it('counts the shift in calendar days across the March change', () => {
    const tight: PacingOffering = { ...spring, completionDeadline: local('2026-03-29T23:59') };
    // 22 March 23:59 CET + 7 days = 29 March 23:59 CEST: exactly the deadline, though only 167 hours later.
    expect(canShiftDeadlines(tight, fresh, 7, local('2026-03-22T23:59'), local('2026-03-20T12:00'))).toEqual({ ok: true });
    expect(canShiftDeadlines(tight, fresh, 7, local('2026-03-23T00:00'), local('2026-03-20T12:00'))).toEqual({ ok: false, reason: 'past-deadline' });
  });

  it('allows a shift with no due dates left to check', () => {
    expect(canShiftDeadlines(spring, fresh, 7, null, now)).toEqual({ ok: true });
  });

  it('still allows a shift during late completion, within the deadline', () => {
    expect(canShiftDeadlines(spring, fresh, 3, local('2026-05-01T23:59'), local('2026-04-28T10:00'))).toEqual({ ok: true });
  });

  it('refuses after the completion deadline', () => {
    expect(canShiftDeadlines(spring, fresh, 3, null, new Date(spring.completionDeadline!.getTime() + 1))).toEqual({ ok: false, reason: 'closed' });
  });

  it('uses the course end as the deadline of a draft without one', () => {
    const draft = { ...spring, completionDeadline: null };
    expect(canShiftDeadlines(draft, fresh, 2, local('2026-04-26T09:00'), now)).toEqual({ ok: false, reason: 'past-deadline' });
    expect(canShiftDeadlines(draft, fresh, 1, local('2026-04-26T09:00'), now)).toEqual({ ok: true });
  });
});
