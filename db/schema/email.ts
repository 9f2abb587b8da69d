import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** A file sent with a message. A text/calendar part with a method (REQUEST, CANCEL) goes out as the message's calendar event. */
export type EmailAttachment = { filename: string; contentType: string; content: string; method?: 'REQUEST' | 'CANCEL' | 'PUBLISH' };

export const outboxStatusEnum = pgEnum('outbox_status', ['queued', 'sending', 'sent', 'failed']);

/**
 * Transactional outbox: a message is written here in the same transaction as
 * the change that causes it; a background job delivers it. The idempotency
 * key makes a second enqueue of the same message a no-op.
 */
export const outboxEmails = pgTable(
  'outbox_emails',
  {
    id: uuid().primaryKey().defaultRandom(),
    idempotencyKey: text().notNull().unique(),
    messageId: text().notNull(),
    template: text().notNull(),
    locale: text().notNull(),
    toAddress: text().notNull(),
    subject: text().notNull(),
    html: text().notNull(),
    text: text().notNull(),
    status: outboxStatusEnum().notNull().default('queued'),
    attempts: integer().notNull().default(0),
    lastError: text(),
    /** While a worker delivers the message, others leave it alone until this passes. */
    leaseUntil: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
    attachments: jsonb().$type<EmailAttachment[]>().notNull().default(sql`'[]'::jsonb`),
    /** Messages sent together (a trainer's message to all participants), counted by delivery status. */
    groupKey: text(),
  },
  (t) => [index('outbox_emails_status_idx').on(t.status, t.createdAt), index('outbox_emails_group_idx').on(t.groupKey, t.status)],
);

/** The built-in mailbox: where mail goes when no SMTP_URL is set. */
export const mailboxMessages = pgTable(
  'mailbox_messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    messageId: text().notNull(),
    fromAddress: text().notNull(),
    toAddress: text().notNull(),
    subject: text().notNull(),
    text: text().notNull(),
    html: text().notNull(),
    raw: text().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('mailbox_messages_to_idx').on(t.toAddress, t.receivedAt), index('mailbox_messages_received_idx').on(t.receivedAt)],
);
