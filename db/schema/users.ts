import { sql } from 'drizzle-orm';
import { boolean, check, index, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const localeEnum = pgEnum('locale', ['en', 'nb', 'sv', 'fi']);
export const schoolRoleEnum = pgEnum('school_role', [
  'teacher',
  'head_teacher',
  'librarian',
  'other_staff',
  'student_teacher',
]);
export const staffStatusEnum = pgEnum('staff_status', ['none', 'pending', 'validated', 'rejected']);
export const roleEnum = pgEnum('role', ['trainer', 'nso', 'admin']);

export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Stored lower-cased; the unique index makes a second sign-up with the same address fail. */
    email: text().notNull(),
    emailVerifiedAt: timestamp({ withTimezone: true }),
    passwordHash: text().notNull(),
    fullName: text().notNull(),
    certificateName: text().notNull(),
    /** ISO 3166-1 alpha-2 */
    country: text().notNull(),
    school: text().notNull(),
    schoolRole: schoolRoleEnum().notNull(),
    locale: localeEnum().notNull().default('en'),
    timeZone: text().notNull().default('UTC'),
    staffStatus: staffStatusEnum().notNull().default('none'),
    notifyOnReplies: boolean().notNull().default(true),
    /**
     * Set when the person deleted their account: the row stays (anonymised) so that
     * discussion posts, withdrawn certificates and audit entries keep a valid reference.
     */
    deletedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_email_unique').on(t.email),
    index('users_country_staff_status_idx').on(t.country, t.staffStatus),
    // The retention job looks for accounts never verified, oldest first.
    index('users_unverified_created_idx').on(t.createdAt).where(sql`${t.emailVerifiedAt} is null`),
    check('users_email_lowercase', sql`${t.email} = lower(${t.email})`),
  ],
);

/** Everyone is a participant; these rows add trainer, NSO officer (for one country) and admin. */
export const userRoles = pgTable(
  'user_roles',
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: roleEnum().notNull(),
    /** Only for NSO officers: the country whose staff they validate; '' otherwise. */
    country: text().notNull().default(''),
    grantedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    grantedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.role, t.country] }),
    // Who-did-it columns: deleting a user (the retention job) sets them to null, one lookup per column (decision 0014).
    index('user_roles_granted_by_idx').on(t.grantedBy).where(sql`${t.grantedBy} is not null`),
  ],
);
