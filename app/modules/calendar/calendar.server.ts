import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '#db/client';
import type { EmailAttachment } from '#db/schema';
import { liveSessions, offerings } from '#db/schema';
import type { Config } from '../config/config.server';
import { serverT } from '../i18n/i18n';
import type { Locale } from '../i18n/locales';
import type { OfferingAccess } from '../policy/policy';
import { buildCalendar, calendarFileName, type CalendarMethod, type CalendarSession, type CalendarSite, type CalendarTexts } from './ics';

/** Every calendar file is sent and served as this. */
export const CALENDAR_CONTENT_TYPE = 'text/calendar; charset=utf-8';

export function calendarSite(config: Pick<Config, 'appUrl' | 'organisationName' | 'mailFrom'>): CalendarSite {
  return { appUrl: config.appUrl, organisationName: config.organisationName, mailFrom: config.mailFrom };
}

export function calendarTexts(locale: Locale): CalendarTexts {
  const t = serverT(locale);
  return { joinPage: t('calendar.ics.joinPage'), alarm: t('calendar.ics.alarm'), deadlineAlarm: t('calendar.ics.deadlineAlarm') };
}

type SessionRow = Pick<typeof liveSessions.$inferSelect, 'id' | 'title' | 'startsAt' | 'organiserTimeZone' | 'durationMinutes' | 'sequence' | 'cancelledAt'>;

export function toCalendarSession(row: SessionRow, offeringTitle: string): CalendarSession {
  return {
    id: row.id,
    title: row.title,
    offeringTitle,
    startsAt: row.startsAt,
    durationMinutes: row.durationMinutes,
    sequence: row.sequence,
    cancelled: row.cancelledAt !== null,
  };
}

const sessionColumns = {
  id: liveSessions.id,
  title: liveSessions.title,
  startsAt: liveSessions.startsAt,
  organiserTimeZone: liveSessions.organiserTimeZone,
  durationMinutes: liveSessions.durationMinutes,
  sequence: liveSessions.sequence,
  cancelledAt: liveSessions.cancelledAt,
};

/** An offering's trainers as the policy wants them, inside the same statement. */
const trainerIdsOf = sql<string[]>`coalesce((select array_agg(ot.user_id::text) from offering_trainers ot where ot.offering_id = ${offerings.id}), '{}'::text[])`;

/** A session that has not ended yet: one in progress still belongs in an invitation (and in a cancellation). */
const notEnded = (now: Date) => sql`${liveSessions.startsAt} + make_interval(mins => ${liveSessions.durationMinutes}) > ${now.toISOString()}::timestamptz`;

/** The sessions of an offering still to come (or running), not cancelled: what an invitation or a leaving participant's CANCEL carries. */
export async function upcomingSessions(db: Executor, offeringId: string, now: Date): Promise<(SessionRow & { offeringTitle: string })[]> {
  return db
    .select({ ...sessionColumns, offeringTitle: offerings.title })
    .from(liveSessions)
    .innerJoin(offerings, eq(offerings.id, liveSessions.offeringId))
    .where(and(eq(liveSessions.offeringId, offeringId), isNull(liveSessions.cancelledAt), notEnded(now)))
    .orderBy(asc(liveSessions.startsAt), asc(liveSessions.id));
}

/** One session with what the policy decides by (the offering's status and trainers), in one query; null when there is none. */
export async function findSessionForCalendar(db: Executor, sessionId: string) {
  const [row] = await db
    .select({
      session: sessionColumns,
      offering: { id: offerings.id, slug: offerings.slug, title: offerings.title, status: offerings.status },
      trainerIds: trainerIdsOf,
    })
    .from(liveSessions)
    .innerJoin(offerings, eq(offerings.id, liveSessions.offeringId))
    .where(eq(liveSessions.id, sessionId))
    .limit(1);
  if (!row) return null;
  const access: OfferingAccess = { status: row.offering.status, trainerIds: row.trainerIds };
  return { access, offering: row.offering, session: toCalendarSession(row.session, row.offering.title) };
}

/** An offering by slug with its access facts; its sessions are read only once the caller may see them. */
export async function findOfferingForCalendar(db: Executor, slug: string) {
  const [row] = await db
    .select({ id: offerings.id, slug: offerings.slug, title: offerings.title, status: offerings.status, trainerIds: trainerIdsOf })
    .from(offerings)
    .where(eq(offerings.slug, slug))
    .limit(1);
  if (!row) return null;
  const access: OfferingAccess = { status: row.status, trainerIds: row.trainerIds };
  return { access, offering: { id: row.id, slug: row.slug, title: row.title } };
}

/** Every session of an offering, cancelled ones included (they go out marked STATUS:CANCELLED). */
export async function allSessionsOf(db: Executor, offering: { id: string; title: string }): Promise<CalendarSession[]> {
  const rows = await db
    .select(sessionColumns)
    .from(liveSessions)
    .where(eq(liveSessions.offeringId, offering.id))
    .orderBy(asc(liveSessions.startsAt), asc(liveSessions.id));
  return rows.map((row) => toCalendarSession(row, offering.title));
}

/** A download: METHOD:PUBLISH, in the reader's language. */
export function publishedCalendar(sessions: CalendarSession[], options: { name?: string; locale: Locale; config: Config; now: Date }): string {
  return buildCalendar({
    method: 'PUBLISH',
    sessions,
    name: options.name,
    texts: calendarTexts(options.locale),
    site: calendarSite(options.config),
    now: options.now,
  });
}

/** The HTTP answer for a calendar download: a file with a readable name. */
export function calendarDownload(body: string, fileParts: string[]): Response {
  return new Response(body, {
    headers: {
      'Content-Type': CALENDAR_CONTENT_TYPE,
      'Content-Disposition': `attachment; filename="${calendarFileName(...fileParts)}"`,
      // Sessions move; a calendar file fetched again should say where they are now.
      'Cache-Control': 'no-cache',
    },
  });
}

/** A participant's personal calendar message (an invitation, an update or a cancellation) as an email attachment. */
export function calendarAttachment(
  method: Exclude<CalendarMethod, 'PUBLISH'>,
  sessions: CalendarSession[],
  person: { email: string; fullName: string; locale: Locale },
  site: CalendarSite,
  now: Date,
): EmailAttachment {
  const content = buildCalendar({ method, sessions, attendee: { email: person.email, name: person.fullName }, texts: calendarTexts(person.locale), site, now });
  return { filename: method === 'CANCEL' ? 'cancel.ics' : 'invite.ics', contentType: CALENDAR_CONTENT_TYPE, content, method };
}

/**
 * The invitation (METHOD:REQUEST) to every upcoming session of an offering,
 * for the enrolment confirmation and the waitlist promotion; none when the
 * offering has no sessions ahead.
 */
export async function invitationAttachments(
  db: Executor,
  offeringId: string,
  person: { email: string; fullName: string; locale: Locale },
  site: CalendarSite,
  now: Date,
): Promise<EmailAttachment[]> {
  const rows = await upcomingSessions(db, offeringId, now);
  return invitationFromSessions(rows, person, site, now);
}

export function invitationFromSessions(
  rows: (SessionRow & { offeringTitle: string })[],
  person: { email: string; fullName: string; locale: Locale },
  site: CalendarSite,
  now: Date,
): EmailAttachment[] {
  if (rows.length === 0) return [];
  return [calendarAttachment('REQUEST', rows.map((row) => toCalendarSession(row, row.offeringTitle)), person, site, now)];
}
