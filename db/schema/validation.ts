import { sql } from 'drizzle-orm';
import { index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid, jsonb } from 'drizzle-orm/pg-core';
import { schoolRoleEnum, users } from './users';

export const validationStatusEnum = pgEnum('validation_status', ['pending', 'approved', 'rejected', 'withdrawn']);

/** A participant's request to be recognised as school staff, decided by an NSO officer of their country. */
export const staffValidationRequests = pgTable(
  'staff_validation_requests',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Snapshot of what the participant claimed when asking. */
    country: text().notNull(),
    school: text().notNull(),
    schoolRole: schoolRoleEnum().notNull(),
    note: text().notNull().default(''),
    status: validationStatusEnum().notNull().default('pending'),
    decidedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp({ withTimezone: true }),
    reason: text().notNull().default(''),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('staff_validation_country_status_idx').on(t.country, t.status, t.createdAt),
    index('staff_validation_user_idx').on(t.userId),
    // At most one open request per person, whatever the concurrency.
    uniqueIndex('staff_validation_one_pending_per_user').on(t.userId).where(sql`${t.status} = 'pending'`),
    // Who-did-it columns: deleting a user (the retention job) sets them to null, one lookup per column (decision 0014).
    index('staff_validation_decided_by_idx').on(t.decidedBy).where(sql`${t.decidedBy} is not null`),
  ],
);

/** Who did what, when and why. Rows are only ever added. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid().primaryKey().defaultRandom(),
    actorId: uuid().references(() => users.id, { onDelete: 'set null' }),
    action: text().notNull(),
    subjectType: text().notNull(),
    subjectId: text().notNull(),
    reason: text().notNull().default(''),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_log_subject_idx').on(t.subjectType, t.subjectId),
    index('audit_log_created_idx').on(t.createdAt),
    // Who-did-it columns: deleting a user (the retention job) sets them to null, one lookup per column (decision 0014).
    index('audit_log_actor_idx').on(t.actorId).where(sql`${t.actorId} is not null`),
  ],
);
