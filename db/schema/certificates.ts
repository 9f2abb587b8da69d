import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { enrolments } from './enrolment';
import { offerings } from './offerings';
import { users } from './users';

/**
 * What a certificate says, frozen when it is issued (DESIGN.md §6): later
 * edits of the offering or the person's profile never change an issued
 * certificate; a name correction issues a new one.
 */
export type CertificateSnapshot = {
  holderName: string;
  offeringTitle: string;
  offeringKind: 'mooc' | 'short_course' | 'webinar' | 'webinar_series' | 'online_event';
  offeringSlug: string;
  /** Courses: the offering's expected learning time. */
  expectedMinutes: number | null;
  /** Live kinds: minutes attended, added up over the sessions that counted. */
  attendedMinutes: number | null;
  /** ISO instants. */
  startsAt: string | null;
  endsAt: string | null;
  completedAt: string;
  issuer: { platformName: string; organisationName: string; url: string };
  trainers: string[];
  /** The holder's UI language at issue: the PDF is printed in it. */
  language: 'en' | 'nb' | 'sv' | 'fi';
  /** The zone dates are printed in (the holder's, at issue). */
  timeZone: string;
};

/**
 * Certificates are never deleted: revoked ones stay with their reason,
 * superseded ones point at the certificate that replaced them.
 */
export const certificates = pgTable(
  'certificates',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Short human code from an unambiguous alphabet with a check character, stored without separators. */
    code: text().notNull(),
    enrolmentId: uuid()
      .notNull()
      .references(() => enrolments.id, { onDelete: 'restrict' }),
    userId: uuid().references(() => users.id, { onDelete: 'set null' }),
    offeringId: uuid()
      .notNull()
      .references(() => offerings.id, { onDelete: 'restrict' }),
    snapshot: jsonb().$type<CertificateSnapshot>().notNull(),
    issuedAt: timestamp({ withTimezone: true }).notNull(),
    /** Null when issued automatically on completion; else the trainer or admin who issued it (with a reason). */
    issuedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    issueReason: text().notNull().default(''),
    /** SHA-256 (hex) of the PDF; rendering is deterministic, so it always matches. */
    pdfSha256: text().notNull(),
    revokedAt: timestamp({ withTimezone: true }),
    revokedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    revocationReason: text(),
    supersededAt: timestamp({ withTimezone: true }),
    supersededById: uuid().references((): AnyPgColumn => certificates.id, { onDelete: 'restrict' }),
    /** Set when the holder deleted their account: the certificate then verifies as withdrawn at their request. */
    withdrawnAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('certificates_code_unique').on(t.code),
    /** Exactly one current certificate per enrolment: a second issue (another worker, a retry) fails on this. */
    uniqueIndex('certificates_current_per_enrolment').on(t.enrolmentId).where(sql`${t.supersededAt} is null`),
    uniqueIndex('certificates_pdf_sha256_unique').on(t.pdfSha256),
    index('certificates_offering_idx').on(t.offeringId, t.issuedAt),
    index('certificates_user_idx').on(t.userId),
    // Who-did-it columns: deleting a user (the retention job) sets them to null, one lookup per column (decision 0014).
    index('certificates_issued_by_idx').on(t.issuedBy).where(sql`${t.issuedBy} is not null`),
    index('certificates_revoked_by_idx').on(t.revokedBy).where(sql`${t.revokedBy} is not null`),
    check('certificates_revocation_has_reason', sql`${t.revokedAt} is null or ${t.revocationReason} is not null`),
  ],
);

/**
 * Signing keys for Open Badges 3.0 credentials (Ed25519). The private key is
 * stored encrypted with a configured secret; retired keys stay published in
 * the JWKS so credentials signed with them still verify.
 */
export const signingKeys = pgTable('signing_keys', {
  /** The JWK thumbprint, used as `kid`. */
  kid: text().primaryKey(),
  algorithm: text().notNull().default('EdDSA'),
  publicJwk: jsonb().$type<Record<string, string>>().notNull(),
  /** AES-256-GCM ciphertext of the private JWK (JSON), base64url: iv.tag.data. */
  privateKeyEncrypted: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull(),
  retiredAt: timestamp({ withTimezone: true }),
});
