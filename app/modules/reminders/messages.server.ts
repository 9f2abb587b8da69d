import { randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { enrolments, liveSessions, offeringMessages, offerings, outboxEmails, users } from '#db/schema';
import type { EmailLocale } from '#emails/index';
import { dispatchEmails, enqueueEmails } from '../email/outbox.server';
import { recordAudit } from '../audit/audit.server';
import type { AppContext } from '../context.server';
import { OFFERING_SUBJECT } from '../offerings/authoring.server';
import { describeSessionTime } from '../time/session-time';
import { MESSAGES_LISTED, type OfferingMessageInput } from './message-schema';
import { activeParticipants, usableTimeZone } from './reminders.server';

/** Drawn for each form shown; the message sent with it takes it as its id. */
export function newMessageToken(): string {
  return randomUUID();
}

/** Ties a message's emails together in the outbox, so their delivery can be counted. */
export function messageGroupKey(messageId: string): string {
  return `offering-message:${messageId}`;
}

export type SendMessageResult =
  | { ok: true; messageId: string; recipients: number; alreadySent: boolean }
  | { ok: false; reason: 'no-recipients' | 'unknown-session' | 'offering-not-found' };

/**
 * Sends a trainer's message to every active participant of the offering (the
 * same people whether it is about the whole offering or one of its
 * sessions): the message row and one outbox email per recipient in one
 * transaction, the emails in a few multi-row inserts; delivery happens in
 * the background after commit. The form's token is the message id, so
 * sending the same form twice sends once.
 */
export async function sendOfferingMessage(
  context: AppContext,
  input: { offeringId: string; sender: { id: string; fullName: string }; message: OfferingMessageInput },
  now: Date,
): Promise<SendMessageResult> {
  const { offeringId, sender, message } = input;
  const result = await context.db.transaction(async (tx) => {
    const [offering] = await tx
      .select({ id: offerings.id, title: offerings.title, slug: offerings.slug })
      .from(offerings)
      .where(eq(offerings.id, offeringId))
      .limit(1);
    if (!offering) return { ok: false, reason: 'offering-not-found' } as const;

    const [existing] = await tx
      .select({ id: offeringMessages.id, offeringId: offeringMessages.offeringId, recipientCount: offeringMessages.recipientCount })
      .from(offeringMessages)
      .where(eq(offeringMessages.id, message.token))
      .limit(1);
    if (existing) {
      if (existing.offeringId !== offeringId) return { ok: false, reason: 'offering-not-found' } as const;
      return { ok: true, messageId: existing.id, recipients: existing.recipientCount, alreadySent: true, queued: [] as string[] } as const;
    }

    let session: { title: string; startsAt: Date; organiserTimeZone: string } | null = null;
    if (message.sessionId) {
      const [row] = await tx
        .select({ title: liveSessions.title, startsAt: liveSessions.startsAt, organiserTimeZone: liveSessions.organiserTimeZone })
        .from(liveSessions)
        .where(and(eq(liveSessions.id, message.sessionId), eq(liveSessions.offeringId, offeringId)))
        .limit(1);
      if (!row) return { ok: false, reason: 'unknown-session' } as const;
      session = row;
    }

    const participants = await activeParticipants(tx, offeringId);
    if (participants.length === 0) return { ok: false, reason: 'no-recipients' } as const;

    // A concurrent second send of the same form stops here: the primary key lets one insert through.
    const [created] = await tx
      .insert(offeringMessages)
      .values({
        id: message.token,
        offeringId,
        sessionId: message.sessionId,
        senderId: sender.id,
        subject: message.subject,
        body: message.body,
        recipientCount: participants.length,
        createdAt: now,
      })
      .onConflictDoNothing({ target: offeringMessages.id })
      .returning({ id: offeringMessages.id });
    if (!created) return { ok: true, messageId: message.token, recipients: participants.length, alreadySent: true, queued: [] as string[] } as const;

    const courseUrl = `${context.config.appUrl}/learn/${encodeURIComponent(offering.slug)}`;
    const groupKey = messageGroupKey(created.id);
    const queued = await enqueueEmails(
      tx,
      context,
      participants.map((person) => ({
        template: 'offering-message' as const,
        to: person.email,
        locale: person.locale as EmailLocale,
        data: {
          name: person.fullName,
          senderName: sender.fullName,
          offeringTitle: offering.title,
          subject: message.subject,
          body: message.body,
          session: session
            ? { title: session.title, time: describeSessionTime(session.startsAt, session.organiserTimeZone, usableTimeZone(person.timeZone, session.organiserTimeZone), person.locale).viewer }
            : null,
          courseUrl,
        },
        idempotencyKey: `${groupKey}:${person.id}`,
        groupKey,
      })),
    );
    await recordAudit(tx, {
      actorId: sender.id,
      action: 'offering.message_sent',
      subjectType: OFFERING_SUBJECT,
      subjectId: offeringId,
      details: { messageId: created.id, sessionId: message.sessionId, recipients: participants.length },
      at: now,
    });
    return { ok: true, messageId: created.id, recipients: participants.length, alreadySent: false, queued } as const;
  });
  if (!result.ok) return result;
  await dispatchEmails(context.jobs, result.queued);
  return { ok: true, messageId: result.messageId, recipients: result.recipients, alreadySent: result.alreadySent };
}

export interface SentMessage {
  id: string;
  subject: string;
  body: string;
  createdAt: Date;
  senderName: string | null;
  session: { title: string; startsAt: Date; organiserTimeZone: string } | null;
  recipients: number;
  delivered: number;
  failed: number;
  pending: number;
}

/** The offering's sent messages, newest first, with how their emails fared (counted per status from the outbox group). */
export async function listOfferingMessages(db: Executor, offeringId: string): Promise<SentMessage[]> {
  const rows = await db
    .select({
      id: offeringMessages.id,
      subject: offeringMessages.subject,
      body: offeringMessages.body,
      createdAt: offeringMessages.createdAt,
      recipients: offeringMessages.recipientCount,
      senderName: users.fullName,
      sessionTitle: liveSessions.title,
      sessionStartsAt: liveSessions.startsAt,
      sessionZone: liveSessions.organiserTimeZone,
    })
    .from(offeringMessages)
    .leftJoin(users, eq(users.id, offeringMessages.senderId))
    .leftJoin(liveSessions, eq(liveSessions.id, offeringMessages.sessionId))
    .where(eq(offeringMessages.offeringId, offeringId))
    .orderBy(desc(offeringMessages.createdAt), asc(offeringMessages.id))
    .limit(MESSAGES_LISTED);
  if (rows.length === 0) return [];

  const counts = await db
    .select({ groupKey: outboxEmails.groupKey, status: outboxEmails.status, n: count() })
    .from(outboxEmails)
    .where(
      inArray(
        outboxEmails.groupKey,
        rows.map((row) => messageGroupKey(row.id)),
      ),
    )
    .groupBy(outboxEmails.groupKey, outboxEmails.status);
  const byGroup = new Map<string, Record<string, number>>();
  for (const { groupKey, status, n } of counts) {
    const entry = byGroup.get(groupKey!) ?? {};
    entry[status] = n;
    byGroup.set(groupKey!, entry);
  }

  return rows.map((row) => {
    const tally = byGroup.get(messageGroupKey(row.id)) ?? {};
    return {
      id: row.id,
      subject: row.subject,
      body: row.body,
      createdAt: row.createdAt,
      senderName: row.senderName,
      session: row.sessionTitle && row.sessionStartsAt && row.sessionZone ? { title: row.sessionTitle, startsAt: row.sessionStartsAt, organiserTimeZone: row.sessionZone } : null,
      recipients: row.recipients,
      delivered: tally.sent ?? 0,
      failed: tally.failed ?? 0,
      pending: (tally.queued ?? 0) + (tally.sending ?? 0),
    };
  });
}

/** How many people a message would reach now (shown beside the form). */
export async function countActiveParticipants(db: Executor, offeringId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(enrolments)
    .where(and(eq(enrolments.offeringId, offeringId), inArray(enrolments.status, ['enrolled', 'completed'])));
  return row?.n ?? 0;
}
