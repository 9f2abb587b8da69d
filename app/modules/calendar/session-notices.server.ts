import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Transaction } from '#db/client';
import { auditLog, enrolments, users } from '#db/schema';
import type { SessionWhen } from '#emails/templates/session-when';
import type { AppContext } from '../context.server';
import type { Mailer } from '../email/outbox.server';
import type { LiveSessionRow, SessionChange } from '../live/session-changes.server';
import { describeSessionTime } from '../time/session-time';
import { calendarAttachment, calendarSite, toCalendarSession, upcomingSessions } from './calendar.server';
import { sessionPageUrl, type CalendarSession } from './ics';

/** Who hears of a session change: the offering's active participants (enrolled, or completed and still following it). */
const ACTIVE_STATUSES = ['enrolled', 'completed'] as const;

type Recipient = { id: string; email: string; fullName: string; locale: 'en' | 'nb' | 'sv' | 'fi'; timeZone: string };

async function activeParticipants(tx: Transaction, offeringId: string): Promise<Recipient[]> {
  return tx
    .select({ id: users.id, email: users.email, fullName: users.fullName, locale: users.locale, timeZone: users.timeZone })
    .from(enrolments)
    .innerJoin(users, eq(users.id, enrolments.userId))
    .where(and(eq(enrolments.offeringId, offeringId), inArray(enrolments.status, [...ACTIVE_STATUSES])))
    .orderBy(users.id);
}

function whenFor(session: Pick<LiveSessionRow, 'startsAt' | 'organiserTimeZone'>, person: Recipient): SessionWhen {
  return describeSessionTime(session.startsAt, session.organiserTimeZone, person.timeZone, person.locale);
}

const endOf = (session: Pick<LiveSessionRow, 'startsAt' | 'durationMinutes'>) => session.startsAt.getTime() + session.durationMinutes * 60_000;

/**
 * What the trainer wrote when cancelling: cancelLiveSession keeps it only in
 * the audit entry it writes in this same transaction, so it is read back
 * from there rather than widening the change every listener receives.
 */
async function cancellationNote(tx: Transaction, change: SessionChange): Promise<string> {
  const [entry] = await tx
    .select({ reason: auditLog.reason })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.subjectType, 'offering'),
        eq(auditLog.subjectId, change.offering.id),
        eq(auditLog.action, 'offering.session_cancelled'),
        sql`${auditLog.details}->>'sessionId' = ${change.session.id}`,
      ),
    )
    .orderBy(desc(auditLog.createdAt))
    .limit(1);
  return entry?.reason ?? '';
}

/**
 * Calendar emails to the participants of a changed session, inside the
 * change's transaction (DESIGN.md §5):
 *
 * - added, rescheduled, edited: "session-updated" with METHOD:REQUEST for
 *   that session (same UID, the new SEQUENCE);
 * - cancelled: "session-cancelled" with METHOD:CANCEL (the row's SEQUENCE,
 *   which cancelling raised);
 * - removed: the same CANCEL, one SEQUENCE above the deleted row's.
 *
 * Nothing for drafts (nobody takes part in them) or for a session already
 * over both before and after the change (nothing left to put in or take out
 * of a calendar). One message per (session, participant, SEQUENCE, kind):
 * the idempotency key makes a replay a no-op.
 */
export async function sendSessionCalendarNotices(tx: Transaction, mailer: Mailer, context: AppContext, change: SessionChange, now: Date): Promise<void> {
  const { offering, session, previous } = change;
  if (offering.status === 'draft') return;
  const stillAhead = endOf(session) > now.getTime() || (previous !== undefined && endOf(previous) > now.getTime());
  if (!stillAhead) return;
  const participants = await activeParticipants(tx, offering.id);
  if (participants.length === 0) return;

  const site = calendarSite(context.config);
  const offeringUrl = `${context.config.appUrl}/offerings/${encodeURIComponent(offering.slug)}`;
  const calendarSession: CalendarSession = toCalendarSession(session, offering.title);

  if (change.kind === 'cancelled' || change.kind === 'removed') {
    // A deleted row's SEQUENCE was never raised: the CANCEL must outrank what calendars hold.
    const sequence = change.kind === 'removed' ? session.sequence + 1 : session.sequence;
    const cancelled = { ...calendarSession, sequence, cancelled: true };
    const note = change.kind === 'cancelled' ? await cancellationNote(tx, change) : '';
    for (const person of participants) {
      await mailer.send({
        template: 'session-cancelled',
        to: person.email,
        locale: person.locale,
        data: {
          name: person.fullName,
          offeringTitle: offering.title,
          cause: 'cancelled',
          sessions: [{ title: session.title, when: whenFor(session, person) }],
          note,
          offeringUrl,
        },
        idempotencyKey: `session-calendar:${change.kind}:${session.id}:${person.id}:${sequence}`,
        attachments: [calendarAttachment('CANCEL', [cancelled], person, site, now)],
      });
    }
    return;
  }

  const rescheduled = change.kind === 'rescheduled' && previous !== undefined;
  for (const person of participants) {
    await mailer.send({
      template: 'session-updated',
      to: person.email,
      locale: person.locale,
      data: {
        name: person.fullName,
        offeringTitle: offering.title,
        sessionTitle: session.title,
        change: change.kind,
        when: whenFor(session, person),
        previousWhen: rescheduled ? whenFor(previous, person) : null,
        durationMinutes: session.durationMinutes,
        sessionUrl: sessionPageUrl(context.config.appUrl, session.id),
      },
      idempotencyKey: `session-calendar:${change.kind}:${session.id}:${person.id}:${session.sequence}`,
      attachments: [calendarAttachment('REQUEST', [calendarSession], person, site, now)],
    });
  }
}

/**
 * A participant is leaving (or being removed from) an offering: one email
 * whose METHOD:CANCEL takes every upcoming session of it out of their
 * calendar. Runs in the withdrawal's transaction, through the outbox.
 *
 * The CANCEL keeps each session's current SEQUENCE: should the person enrol
 * again, the new invitation carries the same SEQUENCE with a later DTSTAMP,
 * which calendar programs take as newer (RFC 5546 §2.1.5).
 */
export async function sendLeavingCalendarNotice(
  tx: Transaction,
  mailer: Mailer,
  context: AppContext,
  input: { offering: { id: string; slug: string; title: string }; userId: string; enrolmentId: string },
  now: Date,
): Promise<void> {
  const rows = await upcomingSessions(tx, input.offering.id, now);
  if (rows.length === 0) return;
  const [person] = await tx
    .select({ id: users.id, email: users.email, fullName: users.fullName, locale: users.locale, timeZone: users.timeZone })
    .from(users)
    .where(eq(users.id, input.userId))
    .limit(1);
  if (!person) return;
  const sessions = rows.map((row) => toCalendarSession(row, row.offeringTitle));
  await mailer.send({
    template: 'session-cancelled',
    to: person.email,
    locale: person.locale,
    data: {
      name: person.fullName,
      offeringTitle: input.offering.title,
      cause: 'left',
      sessions: rows.map((row) => ({ title: row.title, when: whenFor(row, person) })),
      note: '',
      offeringUrl: `${context.config.appUrl}/offerings/${encodeURIComponent(input.offering.slug)}`,
    },
    idempotencyKey: `session-calendar:left:${input.enrolmentId}:${now.getTime()}`,
    attachments: [calendarAttachment('CANCEL', sessions, person, calendarSite(context.config), now)],
  });
}
