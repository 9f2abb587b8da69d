import { describe, expect, it } from 'vitest';
import { checkLiveCompletion, type LiveCompletionFacts } from '~/modules/learning/completion';

const facts = (over: Partial<LiveCompletionFacts> & { kind: LiveCompletionFacts['offering']['kind']; requiredSessions?: number }): LiveCompletionFacts => ({
  offering: { kind: over.kind, requiredSessions: over.requiredSessions ?? 1 },
  sessions: over.sessions ?? [],
  looseActivities: over.looseActivities ?? [],
  doneActivityIds: over.doneActivityIds ?? new Set(),
});
const s = (id: string, attended: boolean, cancelled = false) => ({ id, attended, cancelled });
const linking = [
  { id: 'task', required: true, removed: false },
  { id: 'optional', required: false, removed: false },
  { id: 'old', required: true, removed: true },
];

describe('checkLiveCompletion', () => {
  it('completes a webinar when its session was attended', () => {
    expect(checkLiveCompletion(facts({ kind: 'webinar', sessions: [s('a', true)] }))).toEqual({ complete: true });
    expect(checkLiveCompletion(facts({ kind: 'webinar', sessions: [s('a', false)] }))).toMatchObject({ complete: false, reason: 'sessions', attended: 0, needed: 1 });
  });

  it('never completes a webinar whose session was cancelled, attended or not', () => {
    expect(checkLiveCompletion(facts({ kind: 'webinar', sessions: [s('a', true, true)] }))).toMatchObject({ complete: false, reason: 'no-sessions' });
    expect(checkLiveCompletion(facts({ kind: 'webinar', sessions: [] }))).toMatchObject({ complete: false, reason: 'no-sessions' });
  });

  it('completes a series with both sessions and the linking activity, in any order of events', () => {
    const both = [s('a', true), s('b', true)];
    expect(checkLiveCompletion(facts({ kind: 'webinar_series', sessions: both, looseActivities: linking, doneActivityIds: new Set(['task']) }))).toEqual({ complete: true });
    expect(checkLiveCompletion(facts({ kind: 'webinar_series', sessions: both, looseActivities: linking }))).toMatchObject({
      complete: false,
      reason: 'activity',
      missing: ['task'],
    });
    expect(
      checkLiveCompletion(facts({ kind: 'webinar_series', sessions: [s('a', true), s('b', false)], looseActivities: linking, doneActivityIds: new Set(['task']) })),
    ).toMatchObject({ complete: false, reason: 'sessions', attended: 1, needed: 2 });
  });

  it('asks a series with a cancelled webinar for the other one and the linking activity', () => {
    const sessions = [s('a', false, true), s('b', true)];
    expect(checkLiveCompletion(facts({ kind: 'webinar_series', sessions, looseActivities: linking, doneActivityIds: new Set(['task']) }))).toEqual({ complete: true });
    expect(checkLiveCompletion(facts({ kind: 'webinar_series', sessions: [s('a', true, true), s('b', false)], looseActivities: linking, doneActivityIds: new Set(['task']) }))).toMatchObject({
      complete: false,
      reason: 'sessions',
    });
  });

  it('completes an event with at least N sessions attended', () => {
    const sessions = [s('a', true), s('b', false), s('c', true), s('d', false)];
    expect(checkLiveCompletion(facts({ kind: 'online_event', requiredSessions: 2, sessions }))).toEqual({ complete: true });
    expect(checkLiveCompletion(facts({ kind: 'online_event', requiredSessions: 3, sessions }))).toMatchObject({ complete: false, attended: 2, needed: 3 });
    expect(checkLiveCompletion(facts({ kind: 'online_event', requiredSessions: 1, sessions: [s('a', false), s('b', true)] }))).toEqual({ complete: true });
  });

  it('does not count cancelled event sessions, and asks for at most as many as are left', () => {
    const sessions = [s('a', true, true), s('b', true), s('c', false, true)];
    expect(checkLiveCompletion(facts({ kind: 'online_event', requiredSessions: 2, sessions }))).toEqual({ complete: true });
    expect(checkLiveCompletion(facts({ kind: 'online_event', requiredSessions: 2, sessions: [s('a', true, true), s('b', false), s('c', true)] }))).toMatchObject({
      complete: false,
      attended: 1,
      needed: 2,
    });
  });

  it('ignores loose activities outside a series, and courses altogether', () => {
    expect(checkLiveCompletion(facts({ kind: 'webinar', sessions: [s('a', true)], looseActivities: linking }))).toEqual({ complete: true });
    expect(checkLiveCompletion(facts({ kind: 'mooc', sessions: [s('a', true)] }))).toMatchObject({ complete: false, reason: 'not-live' });
  });
});
