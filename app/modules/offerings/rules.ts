import type { TranslationKey } from '../i18n/keys';
import { calendarDaysBetween } from '../time/zoned';
import { hasModules, type OfferingKind } from './kinds';

/** What the publish rules look at (DESIGN.md §2). Pure data; no I/O. */
export interface PublishCandidate {
  kind: OfferingKind;
  title: string;
  summary: string;
  language: string;
  topics: string[];
  targetAudiences: string[];
  expectedMinutes: number;
  organiserTimeZone: string;
  enrolmentOpensAt: Date | null;
  enrolmentClosesAt: Date | null;
  startsAt: Date | null;
  endsAt: Date | null;
  completionDeadline: Date | null;
  capacity: number | null;
  /** Sessions that are not cancelled. */
  sessions: { startsAt: Date; durationMinutes: number }[];
  /** Activities not removed; quizzes say how many questions they have. */
  activities: { kind: string; required: boolean; dueAt: Date | null; inModule: boolean; questionCount?: number }[];
  moduleCount: number;
  /** Online events: sessions a participant must attend; more than the event has makes completion impossible. */
  requiredSessions?: number;
}

export interface PublishProblem {
  /** The form field the message belongs next to. */
  field: string;
  key: TranslationKey;
  params?: Record<string, string | number>;
}

export const MOOC_MIN_DAYS = 28;
export const MOOC_MAX_DAYS = 42;
export const MOOC_MIN_MINUTES = 12 * 60;
export const MOOC_MAX_MINUTES = 25 * 60;
export const SHORT_COURSE_MAX_DAYS = 28;
export const WEBINAR_MIN_MINUTES = 15;
export const WEBINAR_MAX_MINUTES = 180;

const sessionEnd = (s: { startsAt: Date; durationMinutes: number }) => new Date(s.startsAt.getTime() + s.durationMinutes * 60_000);

/**
 * Every reason the offering cannot be published yet, each tied to a field.
 * Lengths in weeks are counted in the organiser's calendar, so a course that
 * crosses a daylight-saving change is still exactly six weeks.
 */
export function publishProblems(o: PublishCandidate): PublishProblem[] {
  const problems: PublishProblem[] = [];
  const add = (field: string, key: TranslationKey, params?: PublishProblem['params']) => problems.push({ field, key, params });

  if (!o.title.trim()) add('title', 'offerings.rules.titleRequired');
  if (!o.summary.trim()) add('summary', 'offerings.rules.summaryRequired');
  if (!o.language.trim()) add('language', 'offerings.rules.languageRequired');
  if (o.capacity !== null && (!Number.isInteger(o.capacity) || o.capacity <= 0)) add('capacity', 'offerings.rules.capacityPositive');

  if (!o.startsAt) add('startsAt', 'offerings.rules.startRequired');
  if (!o.endsAt) add('endsAt', 'offerings.rules.endRequired');
  if (!o.enrolmentOpensAt) add('enrolmentOpensAt', 'offerings.rules.enrolmentOpensRequired');
  if (!o.enrolmentClosesAt) add('enrolmentClosesAt', 'offerings.rules.enrolmentClosesRequired');
  if (!o.completionDeadline) add('completionDeadline', 'offerings.rules.deadlineRequired');

  if (o.startsAt && o.endsAt && o.startsAt >= o.endsAt) add('endsAt', 'offerings.rules.startBeforeEnd');
  if (o.enrolmentOpensAt && o.enrolmentClosesAt && o.enrolmentOpensAt >= o.enrolmentClosesAt) {
    add('enrolmentClosesAt', 'offerings.rules.enrolmentOpensBeforeCloses');
  }
  if (o.enrolmentClosesAt && o.endsAt && o.enrolmentClosesAt > o.endsAt) add('enrolmentClosesAt', 'offerings.rules.enrolmentClosesByEnd');
  if (o.completionDeadline && o.endsAt && o.completionDeadline < o.endsAt) add('completionDeadline', 'offerings.rules.deadlineAfterEnd');

  const days = o.startsAt && o.endsAt && o.startsAt < o.endsAt ? calendarDaysBetween(o.startsAt, o.endsAt, o.organiserTimeZone) : null;

  switch (o.kind) {
    case 'mooc':
      if (days !== null && (days < MOOC_MIN_DAYS || days > MOOC_MAX_DAYS)) add('endsAt', 'offerings.rules.moocLength', { weeks: round1(days / 7) });
      if (o.expectedMinutes < MOOC_MIN_MINUTES || o.expectedMinutes > MOOC_MAX_MINUTES) {
        add('expectedHours', 'offerings.rules.moocHours', { hours: round1(o.expectedMinutes / 60) });
      }
      break;
    case 'short_course':
      if (days !== null && days >= SHORT_COURSE_MAX_DAYS) add('endsAt', 'offerings.rules.shortCourseLength', { weeks: round1(days / 7) });
      break;
    case 'webinar': {
      if (o.sessions.length !== 1) add('sessions', 'offerings.rules.webinarOneSession', { count: o.sessions.length });
      const session = o.sessions[0];
      if (session && (session.durationMinutes < WEBINAR_MIN_MINUTES || session.durationMinutes > WEBINAR_MAX_MINUTES)) {
        add('sessions', 'offerings.rules.webinarLength', { minutes: session.durationMinutes });
      }
      break;
    }
    case 'webinar_series': {
      if (o.sessions.length !== 2) {
        add('sessions', 'offerings.rules.seriesTwoSessions', { count: o.sessions.length });
        break;
      }
      const [first, second] = [...o.sessions].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()) as [
        PublishCandidate['sessions'][number],
        PublishCandidate['sessions'][number],
      ];
      const linking = o.activities.some(
        (a) => a.required && a.kind !== 'live_session' && a.dueAt !== null && a.dueAt > sessionEnd(first) && a.dueAt < second.startsAt,
      );
      if (!linking) add('activities', 'offerings.rules.seriesLinkingActivity');
      break;
    }
    case 'online_event':
      if (o.sessions.length < 1) add('sessions', 'offerings.rules.eventNeedsSession');
      if (o.targetAudiences.length === 0) add('targetAudiences', 'offerings.rules.eventNeedsAudience');
      if (o.topics.length === 0) add('topics', 'offerings.rules.eventNeedsTopic');
      if (o.sessions.length >= 1 && o.requiredSessions !== undefined && o.requiredSessions > o.sessions.length) {
        add('requiredSessions', 'authoring.rules.eventRequiredSessions', { required: o.requiredSessions, count: o.sessions.length });
      }
      break;
  }

  if (hasModules(o.kind) && !o.activities.some((a) => a.required && a.inModule)) add('modules', 'offerings.rules.courseNeedsContent');

  // A required quiz with nothing to answer could never be passed, so nobody could complete.
  const emptyQuizzes = o.activities.filter((a) => a.required && a.kind === 'quiz' && a.questionCount === 0);
  for (const field of new Set(emptyQuizzes.map((a) => (a.inModule ? 'modules' : 'activities')))) {
    add(field, 'offerings.rules.requiredQuizWithoutQuestions');
  }

  if (o.startsAt && o.endsAt) {
    const outside = o.sessions.some((s) => s.startsAt < o.startsAt! || sessionEnd(s) > o.endsAt!);
    if (outside) add('sessions', 'offerings.rules.sessionOutsideWindow');
  }
  return problems;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
