import ical, { ICalAlarmType, ICalAttendeeRole, ICalCalendarMethod, ICalEventStatus, type ICalEventData } from 'ical-generator';

/**
 * iCalendar (RFC 5545) files for live sessions and personal deadlines
 * (DESIGN.md §5, issue 5). Pure: the caller passes the data, the texts in
 * the reader's language and `now` (DTSTAMP).
 *
 * - Times are UTC instants (`...Z`), so no VTIMEZONE is needed and every
 *   calendar program shows them in its own zone.
 * - One VEVENT per session; its UID is stable for the life of the session
 *   (`session-<id>@<host>`) and SEQUENCE is live_sessions.sequence, so an
 *   update replaces what a calendar already holds.
 * - The join PAGE (`/sessions/<id>`) is the event's URL and is in its
 *   description, never the provider's join link: only enrolled people may
 *   have that, through the tracked route behind the page.
 * - METHOD: PUBLISH for downloads and the feed; REQUEST for invitations and
 *   updates, CANCEL for cancellations (both name the participant as
 *   ATTENDEE, which calendar programs want before they accept either).
 */

export type CalendarMethod = 'PUBLISH' | 'REQUEST' | 'CANCEL';

export interface CalendarSession {
  id: string;
  title: string;
  offeringTitle: string;
  startsAt: Date;
  durationMinutes: number;
  /** RFC 5545 SEQUENCE: raised by every change of the session. */
  sequence: number;
  cancelled: boolean;
}

/** A personal due date (an activity's, or the offering's completion deadline): a moment, not a span. */
export interface CalendarDeadline {
  /** Unique and stable within the feed, e.g. `activity-<id>`; the UID becomes `deadline-<key>@<host>`. */
  key: string;
  summary: string;
  dueAt: Date;
  url: string;
}

export interface CalendarSite {
  appUrl: string;
  organisationName: string;
  /** The platform's sender, e.g. `Kollega <no-reply@kollega.example>`: the organiser of every event. */
  mailFrom: string;
}

/** What the files say, in the reader's language. */
export interface CalendarTexts {
  /** Label before the join page's address in the description, e.g. "Join page". */
  joinPage: string;
  /** The alarm's text before the event's summary, e.g. "Starts in 15 minutes". */
  alarm: string;
  /** The alarm's text for a due date, e.g. "Due tomorrow". */
  deadlineAlarm: string;
}

export interface CalendarInput {
  method: CalendarMethod;
  sessions: CalendarSession[];
  deadlines?: CalendarDeadline[];
  /** The participant an invitation or cancellation is for (REQUEST and CANCEL). */
  attendee?: { email: string; name: string };
  /** X-WR-CALNAME, the name a subscribed calendar gets. */
  name?: string;
  /** How often a subscribing program should fetch again (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
  refreshMinutes?: number;
  texts: CalendarTexts;
  site: CalendarSite;
  now: Date;
}

/** Minutes before a session its alarm rings. */
export const ALARM_MINUTES_BEFORE = 15;
/** Hours before a due date its alarm rings. */
export const DEADLINE_ALARM_HOURS_BEFORE = 24;

const METHODS: Record<CalendarMethod, ICalCalendarMethod> = {
  PUBLISH: ICalCalendarMethod.PUBLISH,
  REQUEST: ICalCalendarMethod.REQUEST,
  CANCEL: ICalCalendarMethod.CANCEL,
};

export function calendarHost(appUrl: string): string {
  return new URL(appUrl).hostname;
}

export function sessionUid(sessionId: string, appUrl: string): string {
  return `session-${sessionId}@${calendarHost(appUrl)}`;
}

export function sessionPageUrl(appUrl: string, sessionId: string): string {
  return `${appUrl}/sessions/${sessionId}`;
}

/** The address inside `Name <address>` (or the whole value when it is a bare address). */
export function senderAddress(mailFrom: string): string {
  const match = /<([^<>\s]+@[^<>\s]+)>/.exec(mailFrom);
  return (match?.[1] ?? mailFrom).trim();
}

export function sessionSummary(session: Pick<CalendarSession, 'title' | 'offeringTitle'>): string {
  return session.title === session.offeringTitle ? session.title : `${session.offeringTitle} — ${session.title}`;
}

/** The calendar as text (CRLF line ends, folded at 75 octets by the library). */
export function buildCalendar(input: CalendarInput): string {
  const { site, texts, method } = input;
  const calendar = ical({
    prodId: { company: site.organisationName || 'Kollega', product: 'Kollega', language: 'EN' },
    method: METHODS[method],
    ...(input.name ? { name: input.name } : {}),
    ...(input.refreshMinutes ? { ttl: input.refreshMinutes * 60 } : {}),
  });
  const organizer = { name: site.organisationName, email: senderAddress(site.mailFrom) };
  const host = calendarHost(site.appUrl);

  for (const session of input.sessions) {
    // A CANCEL cancels every event it carries, whatever their state.
    const cancelled = method === 'CANCEL' || session.cancelled;
    const url = sessionPageUrl(site.appUrl, session.id);
    const summary = sessionSummary(session);
    const event: ICalEventData = {
      id: sessionUid(session.id, site.appUrl),
      sequence: session.sequence,
      stamp: input.now,
      start: session.startsAt,
      end: new Date(session.startsAt.getTime() + session.durationMinutes * 60_000),
      summary,
      description: `${summary}\n${texts.joinPage}: ${url}`,
      url,
      organizer,
      status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      ...(input.attendee && method !== 'PUBLISH'
        ? { attendees: [{ email: input.attendee.email, name: input.attendee.name, role: ICalAttendeeRole.REQ, rsvp: false }] }
        : {}),
      // Nothing to ring for when the session is off.
      ...(cancelled ? {} : { alarms: [{ type: ICalAlarmType.display, triggerBefore: ALARM_MINUTES_BEFORE * 60, description: `${texts.alarm}: ${summary}` }] }),
    };
    calendar.createEvent(event);
  }

  for (const deadline of input.deadlines ?? []) {
    calendar.createEvent({
      id: `deadline-${deadline.key}@${host}`,
      stamp: input.now,
      // A moment: DTSTART and DTEND alike.
      start: deadline.dueAt,
      end: deadline.dueAt,
      summary: deadline.summary,
      description: deadline.url,
      url: deadline.url,
      organizer,
      alarms: [{ type: ICalAlarmType.display, triggerBefore: DEADLINE_ALARM_HOURS_BEFORE * 3600, description: `${texts.deadlineAlarm}: ${deadline.summary}` }],
    });
  }
  // RFC 5545 ends every content line, the last one too, with CRLF; the library leaves the last one open.
  const text = calendar.toString();
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}

/** A file name that survives every mail program and browser: ASCII letters, digits and dashes. */
export function calendarFileName(...parts: string[]): string {
  const slug = parts
    .join('-')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[øØ]/g, 'o')
    .replace(/[æÆ]/g, 'ae')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return `${slug || 'calendar'}.ics`;
}
