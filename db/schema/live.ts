import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { liveSessions, offerings } from './offerings';
import { users } from './users';

/**
 * Live sessions around the session itself (DESIGN.md §5, issue 5): tracked
 * joins, attendance from reports and trainers, calendar feeds and messages
 * from trainers to participants.
 */

/** Every pass through /sessions/<id>/join by a participant; a join counts until the session's end unless a report says otherwise. */
export const sessionJoins = pgTable(
  'session_joins',
  {
    id: uuid().primaryKey().defaultRandom(),
    sessionId: uuid()
      .notNull()
      .references(() => liveSessions.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    joinedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('session_joins_session_user_idx').on(t.sessionId, t.userId, t.joinedAt), index('session_joins_user_idx').on(t.userId)],
);

export type AttendanceImportSummary = {
  matched: number;
  attended: number;
  belowThreshold: number;
  unmatched: number;
};

/** One imported attendance report. The file's hash is unique per session, so importing the same file again changes nothing. */
export const attendanceImports = pgTable(
  'attendance_imports',
  {
    id: uuid().primaryKey().defaultRandom(),
    sessionId: uuid()
      .notNull()
      .references(() => liveSessions.id, { onDelete: 'cascade' }),
    /** SHA-256 of the file's bytes, hex. */
    fileSha256: text().notNull(),
    fileName: text().notNull().default(''),
    /** 'zoom' | 'teams' | 'generic' */
    format: text().notNull(),
    /** The zone the trainer said the report's times are in (null when the file carries offsets). */
    timeZone: text(),
    importedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    importedAt: timestamp({ withTimezone: true }).notNull(),
    summary: jsonb().$type<AttendanceImportSummary>().notNull(),
  },
  (t) => [
    uniqueIndex('attendance_imports_session_file_unique').on(t.sessionId, t.fileSha256),
    // Who-did-it columns: deleting a user (the retention job) sets them to null, one lookup per column (decision 0014).
    index('attendance_imports_imported_by_idx').on(t.importedBy).where(sql`${t.importedBy} is not null`),
  ],
);

/**
 * What is known of one participant's attendance of one session besides
 * tracked joins: minutes from an imported report, and a trainer's marking
 * (which wins over everything, and is audited). One row per (session, user).
 */
export const sessionAttendance = pgTable(
  'session_attendance',
  {
    sessionId: uuid()
      .notNull()
      .references(() => liveSessions.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Minutes present according to the latest imported report that named this person (segments added up). */
    reportMinutes: integer(),
    reportImportId: uuid().references(() => attendanceImports.id, { onDelete: 'set null' }),
    /** A trainer's decision: attended or not, whatever joins and reports say. */
    manualAttended: boolean(),
    manualReason: text().notNull().default(''),
    manualBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    manualAt: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.sessionId, t.userId] }),
    index('session_attendance_user_idx').on(t.userId),
    // Deleting a session deletes its imports, which sets this to null first.
    index('session_attendance_report_import_idx').on(t.reportImportId).where(sql`${t.reportImportId} is not null`),
    // Who-did-it columns: deleting a user (the retention job) sets them to null, one lookup per column (decision 0014).
    index('session_attendance_manual_by_idx').on(t.manualBy).where(sql`${t.manualBy} is not null`),
    check('session_attendance_minutes', sql`${t.reportMinutes} is null or ${t.reportMinutes} >= 0`),
  ],
);

/** A person's calendar subscription: the secret in the feed URL. Resetting replaces the token, so the old URL answers 404. */
export const calendarFeeds = pgTable('calendar_feeds', {
  userId: uuid()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  token: text().notNull().unique(),
  createdAt: timestamp({ withTimezone: true }).notNull(),
});

/** A message a trainer sent to the participants of an offering or of one of its sessions; its emails carry group_key `offering-message:<id>`. */
export const offeringMessages = pgTable(
  'offering_messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    offeringId: uuid()
      .notNull()
      .references(() => offerings.id, { onDelete: 'cascade' }),
    sessionId: uuid().references(() => liveSessions.id, { onDelete: 'set null' }),
    senderId: uuid().references(() => users.id, { onDelete: 'set null' }),
    subject: text().notNull(),
    body: text().notNull(),
    recipientCount: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index('offering_messages_offering_idx').on(t.offeringId, t.createdAt),
    // Deleting a session sets this to null.
    index('offering_messages_session_idx').on(t.sessionId).where(sql`${t.sessionId} is not null`),
    // Who-did-it columns: deleting a user (the retention job) sets them to null, one lookup per column (decision 0014).
    index('offering_messages_sender_idx').on(t.senderId).where(sql`${t.senderId} is not null`),
  ],
);
