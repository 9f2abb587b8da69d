import { describe, expect, it } from 'vitest';
import { joinMinutes, meetsThreshold, resolveAttendance, sessionEndOf, thresholdMinutes } from '~/modules/live/attendance';
import { joinArea, joinWindow, opensText, sessionStatus, type JoinStanding } from '~/modules/live/joining';

const MIN = 60_000;
const start = new Date('2026-12-01T16:00:00Z');
const at = (minutes: number) => new Date(start.getTime() + minutes * MIN);
const session = { startsAt: start, durationMinutes: 60, thresholdPercent: 75 };
const none = { manualAttended: null, reportMinutes: null, firstJoinAt: null };

describe('thresholds', () => {
  it('needs 75 % of the length by default, rounded up to whole minutes', () => {
    expect(thresholdMinutes(session)).toBe(45);
    expect(thresholdMinutes({ durationMinutes: 50, thresholdPercent: 75 })).toBe(38);
    expect(thresholdMinutes({ durationMinutes: 90, thresholdPercent: 100 })).toBe(90);
    expect(meetsThreshold(45, session)).toBe(true);
    expect(meetsThreshold(44, session)).toBe(false);
  });
});

describe('joinMinutes', () => {
  it('counts from the first join until the end, capped at the length', () => {
    expect(joinMinutes(session, at(0))).toBe(60);
    expect(joinMinutes(session, at(10))).toBe(50);
    expect(joinMinutes(session, at(30))).toBe(30);
  });

  it('counts an early join from the start', () => {
    expect(joinMinutes(session, at(-15))).toBe(60);
    expect(joinMinutes(session, at(-1))).toBe(60);
  });

  it('counts until the end already while the session runs (a join counts until the end unless a report says otherwise)', () => {
    expect(joinMinutes(session, at(5))).toBe(55);
    expect(joinMinutes(session, at(15))).toBe(45);
    expect(joinMinutes(session, new Date(at(15).getTime() + 1))).toBe(44);
  });

  it('never goes below zero', () => {
    expect(joinMinutes(session, at(70))).toBe(0);
  });
});

describe('resolveAttendance', () => {
  it('has nothing to go by without marking, report or join', () => {
    expect(resolveAttendance(session, none)).toEqual({ source: 'none', minutes: null, attended: false, threshold: 45 });
  });

  it('counts a tracked join until the end: attended when joined early enough', () => {
    expect(resolveAttendance(session, { ...none, firstJoinAt: at(-5) })).toMatchObject({ source: 'joins', minutes: 60, attended: true });
    expect(resolveAttendance(session, { ...none, firstJoinAt: at(15) })).toMatchObject({ source: 'joins', minutes: 45, attended: true });
    expect(resolveAttendance(session, { ...none, firstJoinAt: at(16) })).toMatchObject({ source: 'joins', minutes: 44, attended: false });
  });

  it('counts a join during the session until the end already (a report can say otherwise later)', () => {
    expect(resolveAttendance(session, { ...none, firstJoinAt: at(0) })).toMatchObject({ source: 'joins', minutes: 60, attended: true });
    expect(resolveAttendance(session, { ...none, firstJoinAt: at(40) })).toMatchObject({ source: 'joins', minutes: 20, attended: false });
  });

  it('lets a report say otherwise than the joins', () => {
    expect(resolveAttendance(session, { ...none, firstJoinAt: at(0), reportMinutes: 20 })).toMatchObject({ source: 'report', minutes: 20, attended: false });
    expect(resolveAttendance(session, { ...none, firstJoinAt: null, reportMinutes: 50 })).toMatchObject({ source: 'report', minutes: 50, attended: true });
    expect(resolveAttendance(session, { ...none, reportMinutes: 0 })).toMatchObject({ source: 'report', minutes: 0, attended: false });
  });

  it('caps report minutes beyond the length at the length', () => {
    expect(resolveAttendance(session, { ...none, reportMinutes: 67 })).toMatchObject({ minutes: 60, attended: true });
  });

  it('lets a trainer’s marking win over everything, keeping the minutes for reference', () => {
    expect(resolveAttendance(session, { manualAttended: false, reportMinutes: 60, firstJoinAt: at(0) })).toEqual({
      source: 'manual',
      minutes: 60,
      attended: false,
      threshold: 45,
    });
    expect(resolveAttendance(session, { manualAttended: true, reportMinutes: 5, firstJoinAt: null })).toMatchObject({ source: 'manual', minutes: 5, attended: true });
    expect(resolveAttendance(session, { manualAttended: true, reportMinutes: null, firstJoinAt: null })).toMatchObject({ source: 'manual', minutes: null, attended: true });
  });

  it('follows the session’s own threshold', () => {
    const strict = { ...session, thresholdPercent: 90 };
    expect(resolveAttendance(strict, { ...none, reportMinutes: 53 }).attended).toBe(false);
    expect(resolveAttendance(strict, { ...none, reportMinutes: 54 }).attended).toBe(true);
  });
});

describe('join window', () => {
  const timing = { startsAt: start, durationMinutes: 60, cancelledAt: null };

  it('opens 15 minutes before the start and closes at the end', () => {
    expect(joinWindow(timing, at(-16))).toEqual({ state: 'not-yet', opensAt: at(-15) });
    expect(joinWindow(timing, new Date(at(-15).getTime() - 1)).state).toBe('not-yet');
    expect(joinWindow(timing, at(-15)).state).toBe('open');
    expect(joinWindow(timing, at(30))).toEqual({ state: 'open', closesAt: at(60) });
    expect(joinWindow(timing, new Date(at(60).getTime() - 1)).state).toBe('open');
    expect(joinWindow(timing, at(60)).state).toBe('ended');
    expect(sessionEndOf(timing)).toEqual(at(60));
  });

  it('is closed for good when cancelled', () => {
    expect(joinWindow({ ...timing, cancelledAt: at(-100) }, at(10))).toEqual({ state: 'cancelled' });
    expect(sessionStatus({ ...timing, cancelledAt: at(-100) }, at(-60))).toBe('cancelled');
  });

  it('names the status', () => {
    expect(sessionStatus(timing, at(-60))).toBe('upcoming');
    expect(sessionStatus(timing, at(-10))).toBe('open');
    expect(sessionStatus(timing, at(61))).toBe('ended');
  });
});

describe('joinArea', () => {
  const s = { startsAt: start, durationMinutes: 60, cancelledAt: null, joinUrl: 'https://meet.example.org/abc' };
  const participant: JoinStanding = { canJoin: true, signedIn: true, enrolmentStatus: 'enrolled' };

  it('shows the link to participants inside the window', () => {
    expect(joinArea(s, participant, at(-15))).toEqual({ kind: 'open' });
    expect(joinArea(s, participant, at(59))).toEqual({ kind: 'open' });
  });

  it('says when it opens, that it ended, or that there is no link yet', () => {
    expect(joinArea(s, participant, at(-16))).toEqual({ kind: 'not-yet', opensAt: at(-15) });
    expect(joinArea(s, participant, at(60))).toEqual({ kind: 'ended' });
    expect(joinArea({ ...s, joinUrl: '' }, participant, at(0))).toEqual({ kind: 'no-link' });
  });

  it('explains to everyone else why there is no link, before any timing', () => {
    expect(joinArea(s, { canJoin: false, signedIn: false, enrolmentStatus: null }, at(0))).toEqual({ kind: 'sign-in' });
    expect(joinArea(s, { canJoin: false, signedIn: true, enrolmentStatus: 'waitlisted' }, at(0))).toEqual({ kind: 'waitlisted' });
    expect(joinArea(s, { canJoin: false, signedIn: true, enrolmentStatus: null }, at(0))).toEqual({ kind: 'participants-only' });
    expect(joinArea(s, { canJoin: false, signedIn: true, enrolmentStatus: 'withdrawn' }, at(-100))).toEqual({ kind: 'participants-only' });
  });

  it('tells everyone a session is cancelled', () => {
    const cancelled = { ...s, cancelledAt: at(-1000) };
    expect(joinArea(cancelled, participant, at(0))).toEqual({ kind: 'cancelled' });
    expect(joinArea(cancelled, { canJoin: false, signedIn: false, enrolmentStatus: null }, at(0))).toEqual({ kind: 'cancelled' });
  });
});

describe('opensText', () => {
  it('gives the time alone on the same day in the viewer’s zone, else the day too', () => {
    const opens = at(-15); // 15:45 UTC, 16:45 in Brussels, 10:45 in New York
    expect(opensText(opens, at(-120), 'Europe/Brussels', 'en')).toBe('16:45');
    expect(opensText(opens, at(-120), 'America/New_York', 'en')).toBe('10:45');
    expect(opensText(opens, new Date('2026-11-29T12:00:00Z'), 'Europe/Helsinki', 'en')).toMatch(/Tue.*1 Dec.*17:45/);
  });
});
