import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { OfferingKind } from '~/modules/offerings/kinds';
import { publishProblems, type PublishCandidate } from '~/modules/offerings/rules';

const ZONE = 'Europe/Oslo';
/** A wall time in Oslo as an instant. */
const oslo = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toJSDate();
const plusDays = (d: Date, days: number) => DateTime.fromJSDate(d, { zone: ZONE }).plus({ days }).toJSDate();
const plusMinutes = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000);

const START = oslo('2026-05-04T09:00');

/** A course that breaks no rule: modules with a required activity, dates in order. */
function course(kind: 'mooc' | 'short_course', days: number, overrides: Partial<PublishCandidate> = {}): PublishCandidate {
  const endsAt = plusDays(START, days);
  return {
    kind,
    title: 'Digital tools in the classroom',
    summary: 'Hands-on ideas for everyday teaching.',
    language: 'en',
    topics: ['digital tools'],
    targetAudiences: ['primary'],
    expectedMinutes: 15 * 60,
    organiserTimeZone: ZONE,
    enrolmentOpensAt: oslo('2026-04-01T09:00'),
    enrolmentClosesAt: START,
    startsAt: START,
    endsAt,
    completionDeadline: plusDays(endsAt, 14),
    capacity: null,
    sessions: [],
    activities: [{ kind: 'page', required: true, dueAt: null, inModule: true }],
    moduleCount: 1,
    ...overrides,
  };
}

/** A live offering whose window is its sessions' span, as sessions.server.ts keeps it. */
function live(
  kind: Exclude<OfferingKind, 'mooc' | 'short_course'>,
  sessions: PublishCandidate['sessions'],
  overrides: Partial<PublishCandidate> = {},
): PublishCandidate {
  const startsAt = sessions.length ? new Date(Math.min(...sessions.map((s) => s.startsAt.getTime()))) : START;
  const endsAt = sessions.length ? new Date(Math.max(...sessions.map((s) => plusMinutes(s.startsAt, s.durationMinutes).getTime()))) : plusMinutes(START, 60);
  return {
    ...course('mooc', 30),
    kind,
    expectedMinutes: 60,
    startsAt,
    endsAt,
    enrolmentClosesAt: startsAt,
    completionDeadline: plusDays(endsAt, 7),
    sessions,
    activities: [],
    moduleCount: 0,
    ...overrides,
  };
}

const session = (iso: string, durationMinutes = 60) => ({ startsAt: oslo(iso), durationMinutes });
const keys = (c: PublishCandidate) => publishProblems(c).map((p) => p.key);
const fieldsOf = (c: PublishCandidate) => publishProblems(c).map((p) => `${p.field}:${p.key}`);

describe('publish rules: valid offerings of every kind pass', () => {
  it.each([
    ['mooc', course('mooc', 35)],
    ['short_course', course('short_course', 14)],
    ['webinar', live('webinar', [session('2026-05-04T15:00')])],
    [
      'webinar_series',
      live('webinar_series', [session('2026-05-04T15:00'), session('2026-05-18T15:00')], {
        activities: [{ kind: 'assignment', required: true, dueAt: oslo('2026-05-11T23:59'), inModule: false }],
      }),
    ],
    ['online_event', live('online_event', [session('2026-05-04T09:00'), session('2026-05-04T09:00', 90), session('2026-05-04T13:00')])],
  ])('%s', (_kind, candidate) => {
    expect(publishProblems(candidate)).toEqual([]);
  });
});

describe('MOOC', () => {
  it.each([28, 35, 42])('runs %i days: allowed', (days) => {
    expect(keys(course('mooc', days))).toEqual([]);
  });

  it.each([27, 43, 7, 70])('runs %i days: refused next to the end date with the weeks it runs', (days) => {
    const problems = publishProblems(course('mooc', days));
    expect(problems).toEqual([{ field: 'endsAt', key: 'offerings.rules.moocLength', params: { weeks: Math.round((days / 7) * 10) / 10 } }]);
  });

  it.each([12 * 60, 15 * 60, 25 * 60])('asks %i minutes of learning: allowed', (expectedMinutes) => {
    expect(keys(course('mooc', 35, { expectedMinutes }))).toEqual([]);
  });

  it.each([12 * 60 - 1, 25 * 60 + 1, 0, 40 * 60])('asks %i minutes: refused next to the hours field', (expectedMinutes) => {
    expect(fieldsOf(course('mooc', 35, { expectedMinutes }))).toEqual(['expectedHours:offerings.rules.moocHours']);
  });

  it('needs a module with a required activity', () => {
    expect(keys(course('mooc', 35, { activities: [], moduleCount: 0 }))).toEqual(['offerings.rules.courseNeedsContent']);
    expect(keys(course('mooc', 35, { activities: [{ kind: 'page', required: false, dueAt: null, inModule: true }] }))).toEqual([
      'offerings.rules.courseNeedsContent',
    ]);
    // A required task outside any module is not module content.
    expect(keys(course('mooc', 35, { activities: [{ kind: 'page', required: true, dueAt: null, inModule: false }] }))).toEqual([
      'offerings.rules.courseNeedsContent',
    ]);
  });

  it('refuses a required quiz without questions, in a module or at the offering level', () => {
    const quiz = (questionCount: number, extra: Partial<PublishCandidate['activities'][number]> = {}) => ({
      kind: 'quiz',
      required: true,
      dueAt: null,
      inModule: true,
      questionCount,
      ...extra,
    });
    const page = { kind: 'page', required: true, dueAt: null, inModule: true };
    expect(fieldsOf(course('mooc', 35, { activities: [page, quiz(0)] }))).toEqual(['modules:offerings.rules.requiredQuizWithoutQuestions']);
    expect(fieldsOf(course('mooc', 35, { activities: [page, quiz(0, { inModule: false })] }))).toEqual([
      'activities:offerings.rules.requiredQuizWithoutQuestions',
    ]);
    // Two of them in modules: one message for the field.
    expect(fieldsOf(course('mooc', 35, { activities: [quiz(0), quiz(0)] }))).toEqual(['modules:offerings.rules.requiredQuizWithoutQuestions']);
    // With questions, optional, or of unknown size (facts that do not count questions): fine.
    expect(keys(course('mooc', 35, { activities: [page, quiz(1)] }))).toEqual([]);
    expect(keys(course('mooc', 35, { activities: [page, quiz(0, { required: false })] }))).toEqual([]);
    expect(keys(course('mooc', 35, { activities: [page, { kind: 'quiz', required: true, dueAt: null, inModule: true }] }))).toEqual([]);
  });

  it('counts weeks on the organiser’s calendar: Monday 2 March to Monday 13 April 2026, 09:00 Oslo, is six weeks across the clock change', () => {
    const startsAt = oslo('2026-03-02T09:00');
    const endsAt = oslo('2026-04-13T09:00');
    // Summer time starts on 29 March, so the instants are one hour short of 42 × 24 h…
    expect((endsAt.getTime() - startsAt.getTime()) / 3_600_000).toBe(42 * 24 - 1);
    // …and the course is still exactly six weeks.
    expect(
      publishProblems(
        course('mooc', 42, { startsAt, endsAt, enrolmentOpensAt: oslo('2026-02-01T09:00'), enrolmentClosesAt: startsAt, completionDeadline: endsAt }),
      ),
    ).toEqual([]);
  });

  it('does not count 42 × 24 UTC hours from the same start as six weeks: that ends 10:00 local, past the sixth week', () => {
    const startsAt = oslo('2026-03-02T09:00');
    const endsAt = new Date(startsAt.getTime() + 42 * 24 * 3_600_000);
    expect(DateTime.fromJSDate(endsAt, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm')).toBe('2026-04-13 10:00');
    expect(
      keys(course('mooc', 42, { startsAt, endsAt, enrolmentOpensAt: oslo('2026-02-01T09:00'), enrolmentClosesAt: startsAt, completionDeadline: endsAt })),
    ).toEqual(['offerings.rules.moocLength']);
  });

  it('counts four weeks across the autumn change the same way (25-hour day inside)', () => {
    const startsAt = oslo('2026-10-05T09:00');
    const endsAt = oslo('2026-11-02T09:00');
    expect((endsAt.getTime() - startsAt.getTime()) / 3_600_000).toBe(28 * 24 + 1);
    expect(
      keys(course('mooc', 28, { startsAt, endsAt, enrolmentOpensAt: oslo('2026-02-01T09:00'), enrolmentClosesAt: startsAt, completionDeadline: endsAt })),
    ).toEqual([]);
  });
});

describe('short course', () => {
  it.each([1, 14, 27])('runs %i days: allowed', (days) => {
    expect(keys(course('short_course', days))).toEqual([]);
  });

  it.each([28, 35])('runs %i days: refused (4 weeks or more)', (days) => {
    expect(fieldsOf(course('short_course', days))).toEqual(['endsAt:offerings.rules.shortCourseLength']);
  });

  it('27 days across the autumn change is still under four weeks', () => {
    const startsAt = oslo('2026-10-05T09:00');
    const endsAt = oslo('2026-11-01T09:00');
    expect(
      keys(
        course('short_course', 27, { startsAt, endsAt, enrolmentOpensAt: oslo('2026-02-01T09:00'), enrolmentClosesAt: startsAt, completionDeadline: endsAt }),
      ),
    ).toEqual([]);
  });

  it('has no hour limits', () => {
    expect(keys(course('short_course', 14, { expectedMinutes: 60 }))).toEqual([]);
  });
});

describe('webinar', () => {
  it.each([15, 60, 180])('lasts %i minutes: allowed', (minutes) => {
    expect(keys(live('webinar', [session('2026-05-04T15:00', minutes)]))).toEqual([]);
  });

  it.each([14, 181])('lasts %i minutes: refused next to the sessions', (minutes) => {
    expect(publishProblems(live('webinar', [session('2026-05-04T15:00', minutes)]))).toEqual([
      { field: 'sessions', key: 'offerings.rules.webinarLength', params: { minutes } },
    ]);
  });

  it('needs exactly one session', () => {
    expect(fieldsOf(live('webinar', []))).toContain('sessions:offerings.rules.webinarOneSession');
    expect(publishProblems(live('webinar', [session('2026-05-04T15:00'), session('2026-05-05T15:00')]))).toEqual([
      { field: 'sessions', key: 'offerings.rules.webinarOneSession', params: { count: 2 } },
    ]);
  });
});

describe('webinar series', () => {
  const first = session('2026-05-04T15:00', 60);
  const second = session('2026-05-18T15:00', 60);
  const endOfFirst = oslo('2026-05-04T16:00');
  const task = (dueAt: Date | null, extra: Partial<PublishCandidate['activities'][number]> = {}) => ({
    kind: 'assignment',
    required: true,
    dueAt,
    inModule: false,
    ...extra,
  });

  it('allows a required activity due between the webinars', () => {
    expect(keys(live('webinar_series', [first, second], { activities: [task(oslo('2026-05-11T12:00'))] }))).toEqual([]);
    expect(keys(live('webinar_series', [first, second], { activities: [task(plusMinutes(endOfFirst, 1))] }))).toEqual([]);
    expect(keys(live('webinar_series', [first, second], { activities: [task(plusMinutes(second.startsAt, -1))] }))).toEqual([]);
  });

  it('finds the activity whichever order the sessions come in', () => {
    expect(keys(live('webinar_series', [second, first], { activities: [task(oslo('2026-05-11T12:00'))] }))).toEqual([]);
  });

  it.each([
    ['due exactly at the end of webinar 1', task(endOfFirst)],
    ['due exactly at the start of webinar 2', task(oslo('2026-05-18T15:00'))],
    ['due during webinar 1', task(oslo('2026-05-04T15:30'))],
    ['due after webinar 2', task(oslo('2026-05-19T12:00'))],
    ['optional', task(oslo('2026-05-11T12:00'), { required: false })],
    ['without a due date', task(null)],
    ['itself a live session', task(oslo('2026-05-11T12:00'), { kind: 'live_session' })],
  ])('refuses a linking activity %s', (_label, activity) => {
    expect(fieldsOf(live('webinar_series', [first, second], { activities: [activity] }))).toEqual(['activities:offerings.rules.seriesLinkingActivity']);
  });

  it('refuses a linking quiz without questions: nobody could pass it', () => {
    const quiz = task(oslo('2026-05-11T12:00'), { kind: 'quiz', questionCount: 0 });
    expect(fieldsOf(live('webinar_series', [first, second], { activities: [quiz] }))).toEqual(['activities:offerings.rules.requiredQuizWithoutQuestions']);
    expect(keys(live('webinar_series', [first, second], { activities: [{ ...quiz, questionCount: 3 }] }))).toEqual([]);
  });

  it.each([0, 1, 3])('needs exactly two sessions, not %i', (count) => {
    const sessions = [first, second, session('2026-06-01T15:00')].slice(0, count);
    expect(publishProblems(live('webinar_series', sessions, { activities: [task(oslo('2026-05-11T12:00'))] }))).toContainEqual({
      field: 'sessions',
      key: 'offerings.rules.seriesTwoSessions',
      params: { count },
    });
  });
});

describe('online event', () => {
  const sessions = [session('2026-05-04T09:00'), session('2026-05-04T11:00')];

  it('needs a session, a target audience and a topic', () => {
    expect(fieldsOf(live('online_event', sessions, { targetAudiences: [] }))).toEqual(['targetAudiences:offerings.rules.eventNeedsAudience']);
    expect(fieldsOf(live('online_event', sessions, { topics: [] }))).toEqual(['topics:offerings.rules.eventNeedsTopic']);
    expect(fieldsOf(live('online_event', []))).toContain('sessions:offerings.rules.eventNeedsSession');
  });

  it('allows parallel sessions', () => {
    expect(keys(live('online_event', [session('2026-05-04T09:00'), session('2026-05-04T09:00')]))).toEqual([]);
  });

  it('refuses asking to attend more sessions than the event has', () => {
    expect(keys(live('online_event', sessions, { requiredSessions: 2 }))).toEqual([]);
    expect(publishProblems(live('online_event', sessions, { requiredSessions: 3 }))).toEqual([
      { field: 'requiredSessions', key: 'authoring.rules.eventRequiredSessions', params: { required: 3, count: 2 } },
    ]);
  });
});

describe('rules of every kind', () => {
  const kinds: [string, () => PublishCandidate][] = [
    ['mooc', () => course('mooc', 35)],
    ['short_course', () => course('short_course', 14)],
    ['webinar', () => live('webinar', [session('2026-05-04T15:00')])],
    ['online_event', () => live('online_event', [session('2026-05-04T09:00')])],
  ];

  describe.each(kinds)('%s', (_kind, base) => {
    it('needs a title, a summary and a language', () => {
      expect(fieldsOf({ ...base(), title: '  ', summary: '', language: '' })).toEqual([
        'title:offerings.rules.titleRequired',
        'summary:offerings.rules.summaryRequired',
        'language:offerings.rules.languageRequired',
      ]);
    });

    it('needs every date', () => {
      const c = { ...base(), enrolmentOpensAt: null, enrolmentClosesAt: null, completionDeadline: null };
      expect(fieldsOf(c)).toEqual([
        'enrolmentOpensAt:offerings.rules.enrolmentOpensRequired',
        'enrolmentClosesAt:offerings.rules.enrolmentClosesRequired',
        'completionDeadline:offerings.rules.deadlineRequired',
      ]);
    });

    it('opens enrolment before it closes', () => {
      const c = base();
      expect(fieldsOf({ ...c, enrolmentOpensAt: c.enrolmentClosesAt })).toEqual(['enrolmentClosesAt:offerings.rules.enrolmentOpensBeforeCloses']);
      expect(keys({ ...c, enrolmentOpensAt: plusMinutes(c.enrolmentClosesAt!, -1) })).toEqual([]);
    });

    it('closes enrolment no later than the end', () => {
      const c = base();
      expect(keys({ ...c, enrolmentClosesAt: c.endsAt })).toEqual([]);
      expect(fieldsOf({ ...c, enrolmentClosesAt: plusMinutes(c.endsAt!, 1) })).toEqual(['enrolmentClosesAt:offerings.rules.enrolmentClosesByEnd']);
    });

    it('sets the completion deadline on or after the end', () => {
      const c = base();
      expect(keys({ ...c, completionDeadline: c.endsAt })).toEqual([]);
      expect(fieldsOf({ ...c, completionDeadline: plusMinutes(c.endsAt!, -1) })).toEqual(['completionDeadline:offerings.rules.deadlineAfterEnd']);
    });

    it.each([[null], [1], [250]])('accepts capacity %j', (capacity) => {
      expect(keys({ ...base(), capacity })).toEqual([]);
    });

    it.each([[0], [-5], [2.5]])('refuses capacity %j', (capacity) => {
      expect(fieldsOf({ ...base(), capacity })).toEqual(['capacity:offerings.rules.capacityPositive']);
    });
  });

  it('needs the start before the end (and reports no length rule on a reversed window)', () => {
    const c = course('mooc', 35);
    expect(fieldsOf({ ...c, endsAt: c.startsAt, completionDeadline: c.startsAt, enrolmentClosesAt: plusMinutes(c.startsAt!, -60) })).toEqual([
      'endsAt:offerings.rules.startBeforeEnd',
    ]);
  });

  it('needs a start and an end', () => {
    expect(fieldsOf({ ...course('mooc', 35), startsAt: null, endsAt: null })).toEqual([
      'startsAt:offerings.rules.startRequired',
      'endsAt:offerings.rules.endRequired',
    ]);
  });

  it('keeps live sessions inside the window', () => {
    const c = course('mooc', 35, { sessions: [session('2026-05-04T08:00')] });
    expect(fieldsOf(c)).toEqual(['sessions:offerings.rules.sessionOutsideWindow']);
    expect(keys(course('mooc', 35, { sessions: [session('2026-05-04T09:00')] }))).toEqual([]);
  });
});
