import { sql, type SQL } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './users';

export const offeringKindEnum = pgEnum('offering_kind', ['mooc', 'short_course', 'webinar', 'webinar_series', 'online_event']);
export const eligibilityEnum = pgEnum('eligibility', ['open', 'validated', 'invite']);
export const offeringStatusEnum = pgEnum('offering_status', ['draft', 'published', 'archived']);
export const pacingModeEnum = pgEnum('pacing_mode', ['cohort', 'self_paced']);
export const activityKindEnum = pgEnum('activity_kind', ['page', 'quiz', 'assignment', 'discussion', 'live_session']);

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * One edition of an offering (DESIGN.md §2). Every instant is UTC; the
 * organiser's IANA zone says how people enter and read them.
 */
export const offerings = pgTable(
  'offerings',
  {
    id: uuid().primaryKey().defaultRandom(),
    slug: text().notNull(),
    kind: offeringKindEnum().notNull(),
    title: text().notNull(),
    summary: text().notNull().default(''),
    /** Markdown; sanitised when rendered. */
    description: text().notNull().default(''),
    /** BCP 47 tag, e.g. en, nb, sv, fi, pl. */
    language: text().notNull(),
    topics: text().array().notNull().default(sql`'{}'::text[]`),
    /** Values of TARGET_AUDIENCES in app/modules/offerings/kinds.ts. */
    targetAudiences: text().array().notNull().default(sql`'{}'::text[]`),
    eligibility: eligibilityEnum().notNull().default('open'),
    /** Expected learning time in minutes (shown in hours). */
    expectedMinutes: integer().notNull().default(0),
    organiserTimeZone: text().notNull(),
    enrolmentOpensAt: timestamp({ withTimezone: true }),
    enrolmentClosesAt: timestamp({ withTimezone: true }),
    startsAt: timestamp({ withTimezone: true }),
    endsAt: timestamp({ withTimezone: true }),
    completionDeadline: timestamp({ withTimezone: true }),
    capacity: integer(),
    waitlistEnabled: boolean().notNull().default(false),
    certificateEnabled: boolean().notNull().default(true),
    status: offeringStatusEnum().notNull().default('draft'),
    pacingMode: pacingModeEnum().notNull().default('cohort'),
    /** Self-paced: how many times a participant may push their personal deadlines. */
    maxDeadlineShifts: integer().notNull().default(2),
    /** Online events: sessions to attend for completion. */
    requiredSessions: integer().notNull().default(1),
    /** Seats taken, kept by enrolment (issue 4) with a conditional update. */
    seatsTaken: integer().notNull().default(0),
    previousEditionId: uuid(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp({ withTimezone: true }),
    /**
     * Title, summary and topics folded to plain lower-case letters by the app
     * (Östersund → ostersund, Łódź → lodz), so search ignores accents on both drivers.
     */
    searchText: text().notNull().default(''),
    searchVector: tsvector().generatedAlwaysAs((): SQL => sql`to_tsvector('simple', ${offerings.searchText})`),
  },
  (t) => [
    uniqueIndex('offerings_slug_unique').on(t.slug),
    index('offerings_catalogue_idx').on(t.status, t.startsAt),
    /**
     * The catalogue's whole list in its order, published only, with the end date:
     * a page and the count of every listed offering come from the index alone
     * (an index-only scan once VACUUM has marked the table's pages all-visible).
     */
    index('offerings_listed_idx').on(t.startsAt, t.title, t.id, t.endsAt).where(sql`${t.status} = 'published'`),
    index('offerings_search_idx').using('gin', t.searchVector),
    index('offerings_topics_idx').using('gin', t.topics),
    index('offerings_audiences_idx').using('gin', t.targetAudiences),
    // Who-did-it columns: deleting a user (the retention job) sets them to null, one lookup per column (decision 0014).
    index('offerings_created_by_idx').on(t.createdBy).where(sql`${t.createdBy} is not null`),
    check('offerings_capacity_positive', sql`${t.capacity} is null or ${t.capacity} > 0`),
    check('offerings_seats_within_capacity', sql`${t.seatsTaken} >= 0 and (${t.capacity} is null or ${t.seatsTaken} <= ${t.capacity})`),
  ],
);

export const offeringTrainers = pgTable(
  'offering_trainers',
  {
    offeringId: uuid()
      .notNull()
      .references(() => offerings.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    position: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.offeringId, t.userId] }), index('offering_trainers_user_idx').on(t.userId)],
);

export const modules = pgTable(
  'modules',
  {
    id: uuid().primaryKey().defaultRandom(),
    offeringId: uuid()
      .notNull()
      .references(() => offerings.id, { onDelete: 'cascade' }),
    position: integer().notNull(),
    title: text().notNull(),
    summary: text().notNull().default(''),
    /** Cohort pacing: when the module opens for everyone. */
    releaseAt: timestamp({ withTimezone: true }),
    /** Self-paced pacing: days after the participant's own start. */
    releaseOffsetDays: integer(),
  },
  (t) => [index('modules_offering_idx').on(t.offeringId, t.position)],
);

export const liveSessions = pgTable(
  'live_sessions',
  {
    id: uuid().primaryKey().defaultRandom(),
    offeringId: uuid()
      .notNull()
      .references(() => offerings.id, { onDelete: 'cascade' }),
    title: text().notNull(),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    /** The zone the organiser entered the time in; shown beside the viewer's time when they differ. */
    organiserTimeZone: text().notNull(),
    durationMinutes: integer().notNull().default(60),
    joinUrl: text().notNull().default(''),
    capacityNote: text().notNull().default(''),
    recordingUrl: text(),
    /** Attended when present for at least this share of the length. */
    attendanceThresholdPercent: integer().notNull().default(75),
    /** RFC 5545 SEQUENCE, raised on every reschedule (issue 5). */
    sequence: integer().notNull().default(0),
    cancelledAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('live_sessions_offering_idx').on(t.offeringId, t.startsAt),
    // The reminder sweep looks for sessions starting in the next hours, across all offerings.
    index('live_sessions_upcoming_idx').on(t.startsAt).where(sql`${t.cancelledAt} is null`),
    check('live_sessions_duration', sql`${t.durationMinutes} between 5 and 1440`),
  ],
);

export type QuizChoice = { id: string; label: string; correct: boolean };
export type QuizQuestion = { id: string; prompt: string; multiple: boolean; choices: QuizChoice[] };

/** What each kind of activity holds besides the common columns. */
export type ActivityContent =
  | { kind: 'page'; body: string; videoUrl: string }
  | { kind: 'quiz'; intro: string; passMarkPercent: number; attemptsAllowed: number; questions: QuizQuestion[] }
  | { kind: 'assignment'; prompt: string; submission: 'text' | 'link' }
  | { kind: 'discussion'; prompt: string }
  | { kind: 'live_session' };

export const activities = pgTable(
  'activities',
  {
    id: uuid().primaryKey().defaultRandom(),
    offeringId: uuid()
      .notNull()
      .references(() => offerings.id, { onDelete: 'cascade' }),
    /** Null for activities that belong to the offering itself (e.g. the task linking a webinar series). */
    moduleId: uuid().references(() => modules.id, { onDelete: 'cascade' }),
    position: integer().notNull(),
    kind: activityKindEnum().notNull(),
    title: text().notNull(),
    required: boolean().notNull().default(true),
    estimatedMinutes: integer().notNull().default(0),
    dueAt: timestamp({ withTimezone: true }),
    liveSessionId: uuid().references(() => liveSessions.id, { onDelete: 'set null' }),
    content: jsonb().$type<ActivityContent>().notNull(),
    /** Removed by a trainer; kept (with its progress rows) when participants had worked on it. */
    removedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('activities_offering_idx').on(t.offeringId, t.moduleId, t.position),
    // A module's activities when it is removed (and the cascade of its deletion).
    index('activities_module_idx').on(t.moduleId).where(sql`${t.moduleId} is not null`),
    // Deleting a session sets this to null.
    index('activities_live_session_idx').on(t.liveSessionId).where(sql`${t.liveSessionId} is not null`),
  ],
);

export const progressStatusEnum = pgEnum('progress_status', ['started', 'submitted', 'returned', 'done']);

/**
 * One row per (participant, activity), written by upsert (DESIGN.md §3).
 * Rows outlive the removal of their activity, so progress survives edits.
 */
export const activityProgress = pgTable(
  'activity_progress',
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    activityId: uuid()
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    status: progressStatusEnum().notNull().default('started'),
    /** Quizzes: best score in percent. */
    score: integer(),
    attempts: integer().notNull().default(0),
    completedAt: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.activityId] }), index('activity_progress_activity_idx').on(t.activityId)],
);
