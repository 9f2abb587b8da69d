import { completionDeadlineOf } from './pacing';

/**
 * When a course counts as completed (DESIGN.md §2). Pure: the server feeds
 * it the facts inside the transaction that changed them.
 *
 * MOOCs and short courses: every required activity that is still listed is
 * done (a quiz is done only when passed, an assignment when accepted), and
 * the work was done by the completion deadline. Webinars, series and events
 * complete by attendance (checkLiveCompletion below); the attendance of each
 * session is decided by app/modules/live/attendance.ts.
 */

export type OfferingKind = 'mooc' | 'short_course' | 'webinar' | 'webinar_series' | 'online_event';

export interface CompletionFacts {
  offering: { kind: OfferingKind; endsAt: Date | null; completionDeadline: Date | null };
  /** Every activity of the offering, removed ones included (they are skipped). */
  activities: { id: string; required: boolean; removed: boolean }[];
  /** Activities this participant has done. */
  doneActivityIds: ReadonlySet<string>;
}

export type CompletionCheck =
  | { complete: true }
  | { complete: false; reason: 'not-course' | 'nothing-required' | 'missing' | 'past-deadline'; missing?: string[] };

export function isCourseKind(kind: OfferingKind): boolean {
  return kind === 'mooc' || kind === 'short_course';
}

/**
 * `at` is when the last piece of work counts as handed in: normally now; for
 * an assignment a trainer accepts later, the time it was submitted, so a
 * slow review never costs anyone their completion.
 */
export function checkCourseCompletion(facts: CompletionFacts, at: Date): CompletionCheck {
  if (!isCourseKind(facts.offering.kind)) return { complete: false, reason: 'not-course' };
  const required = facts.activities.filter((a) => a.required && !a.removed);
  // A course with nothing required has no rule to meet; a trainer completes such people by hand.
  if (required.length === 0) return { complete: false, reason: 'nothing-required' };
  const missing = required.filter((a) => !facts.doneActivityIds.has(a.id)).map((a) => a.id);
  if (missing.length > 0) return { complete: false, reason: 'missing', missing };
  const deadline = completionDeadlineOf(facts.offering);
  if (deadline && at > deadline) return { complete: false, reason: 'past-deadline' };
  return { complete: true };
}

export function isCourseComplete(facts: CompletionFacts, at: Date): boolean {
  return checkCourseCompletion(facts, at).complete;
}

/** Required, listed activities done out of all of them, for the progress bar. */
export function requiredProgress(activities: CompletionFacts['activities'], doneActivityIds: ReadonlySet<string>): { done: number; total: number } {
  const required = activities.filter((a) => a.required && !a.removed);
  return { done: required.filter((a) => doneActivityIds.has(a.id)).length, total: required.length };
}

// --- Live kinds --------------------------------------------------------------------

export function isLiveCompletionKind(kind: OfferingKind): boolean {
  return kind === 'webinar' || kind === 'webinar_series' || kind === 'online_event';
}

export interface LiveCompletionFacts {
  offering: { kind: OfferingKind; requiredSessions: number };
  /** Every session of the offering with this participant's attendance as resolved now. */
  sessions: { id: string; cancelled: boolean; attended: boolean }[];
  /** The offering's activities outside any module (a series' linking activity), removed ones included. */
  looseActivities: { id: string; required: boolean; removed: boolean }[];
  doneActivityIds: ReadonlySet<string>;
}

export type LiveCompletionCheck =
  | { complete: true }
  | { complete: false; reason: 'not-live' | 'no-sessions' | 'sessions' | 'activity'; attended: number; needed: number; missing?: string[] };

/**
 * DESIGN.md §2 for the live kinds. A webinar: its session attended. A
 * series: every session attended and every required activity outside the
 * modules (the linking activity) done. An event: at least the organiser's
 * number of sessions attended. Cancelled sessions neither count nor are
 * required: a series with a cancelled webinar completes with the other one
 * and the linking activity; an event asks for at most as many sessions as
 * are left. An offering whose sessions are all cancelled completes nobody.
 * No deadline: attendance happened when the session ran, whenever a report
 * about it is imported, and the linking activity's own writes stop at the
 * completion deadline.
 */
export function checkLiveCompletion(facts: LiveCompletionFacts): LiveCompletionCheck {
  if (!isLiveCompletionKind(facts.offering.kind)) return { complete: false, reason: 'not-live', attended: 0, needed: 0 };
  const held = facts.sessions.filter((s) => !s.cancelled);
  const attended = held.filter((s) => s.attended).length;
  if (held.length === 0) return { complete: false, reason: 'no-sessions', attended: 0, needed: 0 };
  const needed = facts.offering.kind === 'online_event' ? Math.min(Math.max(1, facts.offering.requiredSessions), held.length) : held.length;
  if (attended < needed) return { complete: false, reason: 'sessions', attended, needed };
  if (facts.offering.kind === 'webinar_series') {
    const missing = facts.looseActivities.filter((a) => a.required && !a.removed && !facts.doneActivityIds.has(a.id)).map((a) => a.id);
    if (missing.length > 0) return { complete: false, reason: 'activity', attended, needed, missing };
  }
  return { complete: true };
}
