import { describe, expect, it } from 'vitest';
import { buildCalendar, calendarFileName, senderAddress, sessionUid, type CalendarInput, type CalendarSession } from '~/modules/calendar/ics';
import { parseCalendar } from '../support/calendar';

const SITE = { appUrl: 'https://kollega.example.org', organisationName: 'Kollega', mailFrom: 'Kollega <no-reply@kollega.example.org>' };
const TEXTS = { joinPage: 'Join page', alarm: 'Starts in 15 minutes', deadlineAlarm: 'Due in 24 hours' };
const NOW = new Date('2026-03-01T09:00:00Z');

function session(overrides: Partial<CalendarSession> = {}): CalendarSession {
  return {
    id: '3f0b5f7e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
    title: 'Opening webinar',
    offeringTitle: 'Assessment for learning',
    // 00:30 UTC on the day Europe springs forward: 01:30 in Lisbon, 03:30 in Helsinki.
    startsAt: new Date('2026-03-29T00:30:00Z'),
    durationMinutes: 90,
    sequence: 0,
    cancelled: false,
    ...overrides,
  };
}

function build(overrides: Partial<CalendarInput> = {}) {
  return buildCalendar({ method: 'PUBLISH', sessions: [session()], texts: TEXTS, site: SITE, now: NOW, ...overrides });
}

describe('buildCalendar', () => {
  it('writes one event per session with the stored instants in UTC, the join page and an alarm', () => {
    const text = build();
    const parsed = parseCalendar(text);
    expect(parsed.method).toBe('PUBLISH');
    expect(parsed.prodId).toContain('Kollega');
    expect(parsed.events).toHaveLength(1);
    const [event] = parsed.events;
    expect(event!.uid).toBe('session-3f0b5f7e-1c2d-4e5f-8a9b-0c1d2e3f4a5b@kollega.example.org');
    expect(event!.start.toISOString()).toBe('2026-03-29T00:30:00.000Z');
    expect(event!.end!.toISOString()).toBe('2026-03-29T02:00:00.000Z');
    // UTC ("Z"), so no VTIMEZONE is needed.
    expect(text).toContain('DTSTART:20260329T003000Z');
    expect(text).not.toContain('VTIMEZONE');
    expect(event!.summary).toBe('Assessment for learning — Opening webinar');
    expect(event!.url).toBe('https://kollega.example.org/sessions/3f0b5f7e-1c2d-4e5f-8a9b-0c1d2e3f4a5b');
    expect(event!.description).toContain('Join page: https://kollega.example.org/sessions/3f0b5f7e-1c2d-4e5f-8a9b-0c1d2e3f4a5b');
    expect(event!.status).toBe('CONFIRMED');
    expect(event!.organizer).toBe('mailto:no-reply@kollega.example.org');
    expect(event!.alarms).toEqual([{ action: 'DISPLAY', trigger: '-PT15M', description: 'Starts in 15 minutes: Assessment for learning — Opening webinar' }]);
    expect(event!.attendees).toEqual([]);
  });

  it('keeps the UID across a reschedule and carries the raised SEQUENCE', () => {
    const before = parseCalendar(build({ method: 'REQUEST', attendee: { email: 'ada@example.test', name: 'Ada' } })).events[0]!;
    const moved = session({ startsAt: new Date('2026-10-25T00:30:00Z'), sequence: 1 });
    const after = parseCalendar(build({ method: 'REQUEST', sessions: [moved], attendee: { email: 'ada@example.test', name: 'Ada' } })).events[0]!;
    expect(after.uid).toBe(before.uid);
    expect(after.sequence).toBeGreaterThan(before.sequence);
    expect(after.start.toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('names the participant in invitations and cancellations, never in downloads', () => {
    const attendee = { email: 'Ada.Lovelace@example.test', name: 'Ada Lovelace' };
    const request = parseCalendar(build({ method: 'REQUEST', attendee }));
    expect(request.method).toBe('REQUEST');
    expect(request.events[0]!.attendees).toEqual(['mailto:ada.lovelace@example.test']);
    const cancel = parseCalendar(build({ method: 'CANCEL', attendee }));
    expect(cancel.method).toBe('CANCEL');
    expect(cancel.events[0]!.attendees).toEqual(['mailto:ada.lovelace@example.test']);
    expect(parseCalendar(build({ attendee })).events[0]!.attendees).toEqual([]);
  });

  it('marks every event of a CANCEL cancelled, without alarms', () => {
    const parsed = parseCalendar(build({ method: 'CANCEL', sessions: [session({ sequence: 2 }), session({ id: 'a0b5f7e3-1c2d-4e5f-8a9b-0c1d2e3f4a5b', sequence: 0 })] }));
    expect(parsed.events.map((e) => [e.status, e.sequence, e.alarms.length])).toEqual([
      ['CANCELLED', 2, 0],
      ['CANCELLED', 0, 0],
    ]);
  });

  it('shows a cancelled session in a download as STATUS:CANCELLED beside the others', () => {
    const parsed = parseCalendar(build({ sessions: [session(), session({ id: '11111111-1c2d-4e5f-8a9b-0c1d2e3f4a5b', cancelled: true, sequence: 1 })] }));
    expect(parsed.events.map((e) => e.status)).toEqual(['CONFIRMED', 'CANCELLED']);
    expect(parsed.events[1]!.alarms).toEqual([]);
  });

  it('gives a feed its name, a refresh hint and deadlines as moments', () => {
    const parsed = parseCalendar(
      build({
        name: 'Kollega: my sessions and deadlines',
        refreshMinutes: 60,
        deadlines: [{ key: 'activity-1', summary: 'Due: Reflection (Assessment for learning)', dueAt: new Date('2026-04-10T21:59:00Z'), url: 'https://kollega.example.org/learn/x' }],
      }),
    );
    expect(parsed.name).toBe('Kollega: my sessions and deadlines');
    expect(parsed.refreshInterval).toBe('PT1H');
    const deadline = parsed.events.find((e) => e.uid === 'deadline-activity-1@kollega.example.org')!;
    expect(deadline.start.toISOString()).toBe('2026-04-10T21:59:00.000Z');
    expect(deadline.end!.toISOString()).toBe('2026-04-10T21:59:00.000Z');
    expect(deadline.alarms[0]).toMatchObject({ action: 'DISPLAY', trigger: '-P1D' });
  });

  it('escapes text and folds long lines so a strict parser reads them back whole', () => {
    const title = 'Vurdering for læring; del 1, «Æ, Ø og Å» — en ganske lang tittel som må brettes over flere linjer i filen';
    const parsed = parseCalendar(build({ sessions: [session({ title, offeringTitle: 'Ελληνικά, русский; suomi' })] }));
    expect(parsed.events[0]!.summary).toBe(`Ελληνικά, русский; suomi — ${title}`);
  });

  it('uses the session title alone when it repeats the offering title', () => {
    const parsed = parseCalendar(build({ sessions: [session({ title: 'Assessment for learning' })] }));
    expect(parsed.events[0]!.summary).toBe('Assessment for learning');
  });
});

describe('calendar helpers', () => {
  it('takes the address out of the sender', () => {
    expect(senderAddress('Kollega <no-reply@kollega.local>')).toBe('no-reply@kollega.local');
    expect(senderAddress('no-reply@kollega.local')).toBe('no-reply@kollega.local');
  });

  it('makes UIDs from the session id and the app host', () => {
    expect(sessionUid('abc', 'http://localhost:3000')).toBe('session-abc@localhost');
  });

  it('makes readable ASCII file names', () => {
    expect(calendarFileName('vurdering-for-laering', 'Økt 1: Åpning & «velkommen»')).toBe('vurdering-for-laering-okt-1-apning-velkommen.ics');
    expect(calendarFileName('', '———')).toBe('calendar.ics');
    expect(calendarFileName('x'.repeat(200))).toBe(`${'x'.repeat(80)}.ics`);
  });
});
