import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgEnum, pgSequence, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { activities, offerings } from './offerings';
import { users } from './users';

export const enrolmentStatusEnum = pgEnum('enrolment_status', ['enrolled', 'waitlisted', 'completed', 'withdrawn']);
export const enrolmentSourceEnum = pgEnum('enrolment_source', ['self', 'invitation', 'trainer']);

/** Waitlist order: a number drawn once when someone joins; positions are ranks by it, so two people never share one. */
export const waitlistSequence = pgSequence('waitlist_seq');

/**
 * One row per (offering, participant), whatever happens to it: enrolling
 * again after withdrawing updates the same row. Seats are counted on
 * offerings.seats_taken with a conditional UPDATE (DESIGN.md §4).
 */
export const enrolments = pgTable(
  'enrolments',
  {
    id: uuid().primaryKey().defaultRandom(),
    offeringId: uuid()
      .notNull()
      .references(() => offerings.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: enrolmentStatusEnum().notNull(),
    source: enrolmentSourceEnum().notNull().default('self'),
    /** When the seat was taken (the start of a self-paced schedule counts from max(this, course start)). */
    enrolledAt: timestamp({ withTimezone: true }),
    waitlistSeq: bigint({ mode: 'number' }),
    waitlistedAt: timestamp({ withTimezone: true }),
    /** Self-paced: how often the participant pushed their deadlines, and by how many days in total. */
    deadlineShiftsUsed: integer().notNull().default(0),
    deadlineShiftDays: integer().notNull().default(0),
    completedAt: timestamp({ withTimezone: true }),
    withdrawnAt: timestamp({ withTimezone: true }),
    /** Set when a trainer removed the participant (rather than the participant leaving). */
    removedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('enrolments_offering_user_unique').on(t.offeringId, t.userId),
    uniqueIndex('enrolments_waitlist_seq_unique').on(t.waitlistSeq),
    index('enrolments_user_idx').on(t.userId, t.status),
    index('enrolments_offering_status_idx').on(t.offeringId, t.status, t.waitlistSeq),
    // Who-did-it columns: deleting a user (the retention job) sets them to null, one lookup per column (decision 0014).
    index('enrolments_removed_by_idx').on(t.removedBy).where(sql`${t.removedBy} is not null`),
    check('enrolments_waitlist_has_seq', sql`${t.status} <> 'waitlisted' or ${t.waitlistSeq} is not null`),
  ],
);

/** Invitations to invite-only offerings, by email (the account may not exist yet). Only the token's hash is kept. */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid().primaryKey().defaultRandom(),
    offeringId: uuid()
      .notNull()
      .references(() => offerings.id, { onDelete: 'cascade' }),
    email: text().notNull(),
    tokenHash: text().notNull().unique(),
    invitedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    acceptedAt: timestamp({ withTimezone: true }),
    acceptedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('invitations_offering_email_unique').on(t.offeringId, t.email),
    // A person's invitations by address: the data export and account deletion.
    index('invitations_email_idx').on(t.email),
    // Who-did-it columns: deleting a user (the retention job) sets them to null, one lookup per column (decision 0014).
    index('invitations_invited_by_idx').on(t.invitedBy).where(sql`${t.invitedBy} is not null`),
    index('invitations_accepted_by_idx').on(t.acceptedBy).where(sql`${t.acceptedBy} is not null`),
  ],
);

export const quizAttempts = pgTable(
  'quiz_attempts',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    activityId: uuid()
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    /** Question id → chosen choice ids. */
    answers: jsonb().$type<Record<string, string[]>>().notNull(),
    scorePercent: integer().notNull(),
    passed: boolean().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('quiz_attempts_user_activity_idx').on(t.userId, t.activityId, t.createdAt),
    // Removing an activity deletes its attempts (cascade).
    index('quiz_attempts_activity_idx').on(t.activityId),
  ],
);

export const submissionStatusEnum = pgEnum('submission_status', ['submitted', 'accepted', 'returned']);

/** Assignment submissions; a returned one may be followed by a new one, so the newest row is the current state. */
export const submissions = pgTable(
  'submissions',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    activityId: uuid()
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    body: text().notNull().default(''),
    link: text().notNull().default(''),
    status: submissionStatusEnum().notNull().default('submitted'),
    feedback: text().notNull().default(''),
    reviewedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    reviewedAt: timestamp({ withTimezone: true }),
    submittedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('submissions_activity_status_idx').on(t.activityId, t.status, t.submittedAt),
    index('submissions_user_idx').on(t.userId, t.activityId),
    // Who-did-it columns: deleting a user (the retention job) sets them to null, one lookup per column (decision 0014).
    index('submissions_reviewed_by_idx').on(t.reviewedBy).where(sql`${t.reviewedBy} is not null`),
  ],
);

/** A thread per discussion activity; replies point at their parent. Hidden posts stay, for the record. */
export const discussionPosts = pgTable(
  'discussion_posts',
  {
    id: uuid().primaryKey().defaultRandom(),
    activityId: uuid()
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    authorId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    parentId: uuid(),
    body: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    editedAt: timestamp({ withTimezone: true }),
    hiddenAt: timestamp({ withTimezone: true }),
    hiddenBy: uuid().references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('discussion_posts_activity_idx').on(t.activityId, t.createdAt),
    index('discussion_posts_parent_idx').on(t.parentId),
    // A person's posts: the data export, account deletion (posts kept as "deleted user") and the cascade when an account is removed.
    index('discussion_posts_author_idx').on(t.authorId),
    // Who-did-it columns: deleting a user (the retention job) sets them to null, one lookup per column (decision 0014).
    index('discussion_posts_hidden_by_idx').on(t.hiddenBy).where(sql`${t.hiddenBy} is not null`),
  ],
);

/**
 * Completion events, written in the same transaction that records a
 * completion; the certificate issue consumes them (processed_at set once handled).
 */
export const completionEvents = pgTable(
  'completion_events',
  {
    id: uuid().primaryKey().defaultRandom(),
    enrolmentId: uuid()
      .notNull()
      .references(() => enrolments.id, { onDelete: 'cascade' }),
    occurredAt: timestamp({ withTimezone: true }).notNull(),
    processedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('completion_events_enrolment_unique').on(t.enrolmentId),
    // The issue job takes the oldest unprocessed event; processed ones pile up and stay out of this index.
    index('completion_events_unprocessed_idx').on(t.occurredAt).where(sql`${t.processedAt} is null`),
  ],
);
