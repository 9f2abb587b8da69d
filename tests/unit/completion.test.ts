import { describe, expect, it } from 'vitest';
import { checkCourseCompletion, isCourseComplete, requiredProgress, type CompletionFacts } from '~/modules/learning/completion';

const deadline = new Date('2026-05-31T21:59:59Z');
const course = (kind: CompletionFacts['offering']['kind'] = 'mooc', over: Partial<CompletionFacts['offering']> = {}) => ({
  kind,
  endsAt: new Date('2026-04-27T08:00:00Z'),
  completionDeadline: deadline,
  ...over,
});
const activities = [
  { id: 'page', required: true, removed: false },
  { id: 'quiz', required: true, removed: false },
  { id: 'extra', required: false, removed: false },
  { id: 'old', required: true, removed: true },
];
const before = new Date('2026-05-01T12:00:00Z');

describe('checkCourseCompletion', () => {
  it('completes a MOOC and a short course when every required, listed activity is done', () => {
    for (const kind of ['mooc', 'short_course'] as const) {
      expect(isCourseComplete({ offering: course(kind), activities, doneActivityIds: new Set(['page', 'quiz']) }, before)).toBe(true);
    }
  });

  it('names the required activities still missing; optional ones never count', () => {
    expect(checkCourseCompletion({ offering: course(), activities, doneActivityIds: new Set(['page', 'extra']) }, before)).toEqual({
      complete: false,
      reason: 'missing',
      missing: ['quiz'],
    });
  });

  it('skips activities a trainer removed, done or not', () => {
    expect(isCourseComplete({ offering: course(), activities, doneActivityIds: new Set(['page', 'quiz']) }, before)).toBe(true);
    expect(isCourseComplete({ offering: course(), activities, doneActivityIds: new Set(['page', 'old']) }, before)).toBe(false);
  });

  it('counts work up to and including the completion deadline, not after', () => {
    const facts = { offering: course(), activities, doneActivityIds: new Set(['page', 'quiz']) };
    expect(isCourseComplete(facts, deadline)).toBe(true);
    expect(checkCourseCompletion(facts, new Date(deadline.getTime() + 1))).toEqual({ complete: false, reason: 'past-deadline' });
  });

  it('allows late completion after the course end, before the deadline', () => {
    const afterEnd = new Date('2026-05-20T10:00:00Z');
    expect(isCourseComplete({ offering: course(), activities, doneActivityIds: new Set(['page', 'quiz']) }, afterEnd)).toBe(true);
  });

  it('takes the course end as the deadline when none is set', () => {
    const facts = { offering: course('mooc', { completionDeadline: null }), activities, doneActivityIds: new Set(['page', 'quiz']) };
    expect(isCourseComplete(facts, new Date('2026-04-27T08:00:00Z'))).toBe(true);
    expect(isCourseComplete(facts, new Date('2026-04-27T08:00:01Z'))).toBe(false);
  });

  it('never completes the live kinds here: attendance decides those', () => {
    for (const kind of ['webinar', 'webinar_series', 'online_event'] as const) {
      expect(checkCourseCompletion({ offering: course(kind), activities, doneActivityIds: new Set(['page', 'quiz']) }, before)).toEqual({
        complete: false,
        reason: 'not-course',
      });
    }
  });

  it('does not complete a course that requires nothing', () => {
    const optional = [{ id: 'extra', required: false, removed: false }];
    expect(checkCourseCompletion({ offering: course(), activities: optional, doneActivityIds: new Set(['extra']) }, before)).toMatchObject({
      complete: false,
      reason: 'nothing-required',
    });
  });
});

describe('requiredProgress', () => {
  it('counts required, listed activities done out of all of them', () => {
    expect(requiredProgress(activities, new Set(['page', 'extra', 'old']))).toEqual({ done: 1, total: 2 });
  });
});
