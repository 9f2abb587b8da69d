import ICAL from 'ical.js';
import { expect } from 'vitest';

/** One VEVENT as a test reads it back. */
export interface ParsedEvent {
  uid: string;
  sequence: number;
  start: Date;
  end: Date | null;
  status: string | null;
  summary: string;
  description: string;
  url: string | null;
  organizer: string | null;
  attendees: string[];
  alarms: { action: string; trigger: string; description: string }[];
}

export interface ParsedCalendar {
  method: string | null;
  prodId: string;
  name: string | null;
  refreshInterval: string | null;
  events: ParsedEvent[];
}

/**
 * Parses an iCalendar text with ical.js in its strict mode (the default:
 * ICAL.design.strict), after checking what RFC 5545 asks of the text
 * itself: CRLF line ends, lines folded at 75 octets, VERSION 2.0, a PRODID,
 * and UID and DTSTAMP on every event.
 */
export function parseCalendar(text: string): ParsedCalendar {
  expect(ICAL.design.strict).toBe(true);
  expect(text.endsWith('\r\n')).toBe(true);
  const lines = text.slice(0, -2).split('\r\n');
  for (const line of lines) {
    expect(line).not.toContain('\n');
    expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  }
  const calendar = new ICAL.Component(ICAL.parse(text));
  expect(calendar.name).toBe('vcalendar');
  expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
  const prodId = String(calendar.getFirstPropertyValue('prodid') ?? '');
  expect(prodId.length).toBeGreaterThan(0);
  const events = calendar.getAllSubcomponents('vevent').map((vevent): ParsedEvent => {
    expect(vevent.getFirstPropertyValue('dtstamp')).toBeTruthy();
    const event = new ICAL.Event(vevent);
    expect(event.uid).toBeTruthy();
    const endProperty = vevent.getFirstProperty('dtend');
    return {
      uid: event.uid,
      sequence: event.sequence ?? 0,
      start: event.startDate.toJSDate(),
      end: endProperty ? event.endDate.toJSDate() : null,
      status: (vevent.getFirstPropertyValue('status') as string | null) ?? null,
      summary: event.summary,
      description: event.description ?? '',
      url: (vevent.getFirstPropertyValue('url') as string | null) ?? null,
      organizer: (vevent.getFirstPropertyValue('organizer') as string | null) ?? null,
      attendees: vevent.getAllProperties('attendee').map((p) => String(p.getFirstValue()).toLowerCase()),
      alarms: vevent.getAllSubcomponents('valarm').map((alarm) => ({
        action: String(alarm.getFirstPropertyValue('action')),
        trigger: String(alarm.getFirstPropertyValue('trigger')),
        description: String(alarm.getFirstPropertyValue('description') ?? ''),
      })),
    };
  });
  return {
    method: (calendar.getFirstPropertyValue('method') as string | null) ?? null,
    prodId,
    name: (calendar.getFirstPropertyValue('x-wr-calname') as string | null) ?? null,
    refreshInterval: calendar.getFirstProperty('refresh-interval') ? String(calendar.getFirstPropertyValue('refresh-interval')) : null,
    events,
  };
}
