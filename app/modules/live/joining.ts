import { dayInZone, formatInstant } from '../catalogue/datetime';
import { sessionEndOf, type SessionTiming } from './attendance';

/**
 * When and for whom a live session's join link is there (DESIGN.md §5).
 * Pure: the session page, the tracked join route and their tests share it.
 */

/** The join link opens this long before the start. */
export const JOIN_OPENS_BEFORE_MS = 15 * 60 * 1000;

export function joinOpensAt(session: Pick<SessionTiming, 'startsAt'>): Date {
  return new Date(session.startsAt.getTime() - JOIN_OPENS_BEFORE_MS);
}

/**
 * Where a session stands for joining: cancelled; not open yet (the link
 * opens 15 minutes before the start); open (until the end); ended.
 */
export type JoinWindow = { state: 'cancelled' } | { state: 'not-yet'; opensAt: Date } | { state: 'open'; closesAt: Date } | { state: 'ended' };

export function joinWindow(session: SessionTiming, now: Date): JoinWindow {
  if (session.cancelledAt) return { state: 'cancelled' };
  const opensAt = joinOpensAt(session);
  const end = sessionEndOf(session);
  if (now < opensAt) return { state: 'not-yet', opensAt };
  if (now < end) return { state: 'open', closesAt: end };
  return { state: 'ended' };
}

/** What a session page calls the session's status. */
export type SessionStatus = 'upcoming' | 'open' | 'ended' | 'cancelled';

export function sessionStatus(session: SessionTiming, now: Date): SessionStatus {
  const window = joinWindow(session, now);
  return window.state === 'not-yet' ? 'upcoming' : window.state;
}

/** What someone may do with a session's link, as the policy decided (`session.join`) and their enrolment says. */
export interface JoinStanding {
  canJoin: boolean;
  signedIn: boolean;
  enrolmentStatus: 'enrolled' | 'waitlisted' | 'completed' | 'withdrawn' | null;
}

/**
 * The join area of a session page: the link, or why there is none. A
 * cancelled session says so to everyone; those who may not join learn why
 * (sign in, on the waitlist, only participants) before any timing.
 */
export type JoinArea =
  | { kind: 'open' }
  | { kind: 'cancelled' }
  | { kind: 'sign-in' }
  | { kind: 'waitlisted' }
  | { kind: 'participants-only' }
  | { kind: 'not-yet'; opensAt: Date }
  | { kind: 'ended' }
  | { kind: 'no-link' };

export function joinArea(session: SessionTiming & { joinUrl: string }, standing: JoinStanding, now: Date): JoinArea {
  const window = joinWindow(session, now);
  if (window.state === 'cancelled') return { kind: 'cancelled' };
  if (!standing.canJoin) {
    if (!standing.signedIn) return { kind: 'sign-in' };
    return standing.enrolmentStatus === 'waitlisted' ? { kind: 'waitlisted' } : { kind: 'participants-only' };
  }
  if (window.state === 'not-yet') return { kind: 'not-yet', opensAt: window.opensAt };
  if (window.state === 'ended') return { kind: 'ended' };
  return session.joinUrl ? { kind: 'open' } : { kind: 'no-link' };
}

/** When the link opens, in the viewer's zone: "16:45" when that is today there, else "Tue 1 Dec, 16:45". */
export function opensText(opensAt: Date, now: Date, timeZone: string, locale: string): string {
  return formatInstant(opensAt, dayInZone(opensAt, timeZone) === dayInZone(now, timeZone) ? 'time' : 'shortDateTime', timeZone, locale);
}
