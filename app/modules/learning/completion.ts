import { completionDeadlineOf } from './pacing';

/**
 * When a course counts as completed (DESIGN.md §2). Pure: the server feeds
 * it the facts inside the transaction that changed them.
 *
 * MOOCs and short courses: every required activity that is still listed is
 * done (a quiz is done only when passed, an assignment when accepted), and
 * the work was done by the completion deadline. Webinars, series and events
 * complete by attendance, which the live-session work decides; they are
 * never complete here.
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
