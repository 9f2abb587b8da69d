import { and, asc, desc, eq, gt, inArray, isNull, notExists, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '#db/client';
import { certificates, enrolments, users, type CertificateSnapshot } from '#db/schema';

/** What a certificate's status is, for the verification page, the register and the dashboard. */
export type CertificateStatus =
  | { kind: 'valid' }
  | { kind: 'revoked'; at: Date; reason: string }
  | { kind: 'superseded'; at: Date; byCode: string | null }
  | { kind: 'withdrawn'; at: Date };

interface StatusFacts {
  revokedAt: Date | null;
  revocationReason: string | null;
  supersededAt: Date | null;
  withdrawnAt: Date | null;
}

/** Withdrawn and revoked say more about the claim than being replaced, so they come first. */
export function statusOf(row: StatusFacts, supersededByCode: string | null = null): CertificateStatus {
  if (row.withdrawnAt) return { kind: 'withdrawn', at: row.withdrawnAt };
  if (row.revokedAt) return { kind: 'revoked', at: row.revokedAt, reason: row.revocationReason ?? '' };
  if (row.supersededAt) return { kind: 'superseded', at: row.supersededAt, byCode: supersededByCode };
  return { kind: 'valid' };
}

export interface VerifiedCertificate {
  code: string;
  issuedAt: Date;
  snapshot: CertificateSnapshot;
  status: CertificateStatus;
}

const newer = alias(certificates, 'newer');

/** The public claim behind a (normalised, checked) code, or null when no certificate has it. */
export async function findCertificateByCode(db: Executor, code: string): Promise<VerifiedCertificate | null> {
  const [row] = await db
    .select({
      code: certificates.code,
      issuedAt: certificates.issuedAt,
      snapshot: certificates.snapshot,
      revokedAt: certificates.revokedAt,
      revocationReason: certificates.revocationReason,
      supersededAt: certificates.supersededAt,
      withdrawnAt: certificates.withdrawnAt,
      newerCode: newer.code,
    })
    .from(certificates)
    .leftJoin(newer, eq(newer.id, certificates.supersededById))
    .where(eq(certificates.code, code))
    .limit(1);
  if (!row) return null;
  return { code: row.code, issuedAt: row.issuedAt, snapshot: row.snapshot, status: statusOf(row, row.newerCode) };
}

/** The code of the certificate whose PDF has exactly this SHA-256, or null. */
export async function findCodeByPdfHash(db: Executor, sha256: string): Promise<string | null> {
  const [row] = await db.select({ code: certificates.code }).from(certificates).where(eq(certificates.pdfSha256, sha256)).limit(1);
  return row?.code ?? null;
}

/** What a download needs, and what the permission is decided by (holder, offering). */
export async function findCertificateForDownload(db: Executor, id: string) {
  const [row] = await db
    .select({
      id: certificates.id,
      code: certificates.code,
      issuedAt: certificates.issuedAt,
      snapshot: certificates.snapshot,
      userId: certificates.userId,
      offeringId: certificates.offeringId,
      pdfSha256: certificates.pdfSha256,
    })
    .from(certificates)
    .where(eq(certificates.id, id))
    .limit(1);
  return row ?? null;
}

export interface RegisterRow {
  id: string;
  code: string;
  holderName: string;
  email: string | null;
  issuedAt: Date;
  issueReason: string;
  status: CertificateStatus;
}

const registerColumns = {
  id: certificates.id,
  code: certificates.code,
  snapshot: certificates.snapshot,
  email: users.email,
  issuedAt: certificates.issuedAt,
  issueReason: certificates.issueReason,
  revokedAt: certificates.revokedAt,
  revocationReason: certificates.revocationReason,
  supersededAt: certificates.supersededAt,
  withdrawnAt: certificates.withdrawnAt,
  newerCode: newer.code,
};

type RegisterSelect = { [K in keyof typeof registerColumns]: unknown } & {
  id: string;
  code: string;
  snapshot: CertificateSnapshot;
  email: string | null;
  issuedAt: Date;
  issueReason: string;
  newerCode: string | null;
} & StatusFacts;

function toRegisterRow(row: RegisterSelect): RegisterRow {
  return {
    id: row.id,
    code: row.code,
    holderName: row.snapshot.holderName,
    email: row.email,
    issuedAt: row.issuedAt,
    issueReason: row.issueReason,
    status: statusOf(row, row.newerCode),
  };
}

/** Every certificate of an offering, superseded and revoked ones included, in issue order. */
export async function listOfferingCertificates(db: Executor, offeringId: string): Promise<RegisterRow[]> {
  const rows = await db
    .select(registerColumns)
    .from(certificates)
    .leftJoin(users, eq(users.id, certificates.userId))
    .leftJoin(newer, eq(newer.id, certificates.supersededById))
    .where(eq(certificates.offeringId, offeringId))
    .orderBy(asc(certificates.issuedAt), asc(certificates.id));
  return rows.map((row) => toRegisterRow(row as RegisterSelect));
}

/**
 * The valid certificates of an offering (current, not revoked or withdrawn) one page at a time, in (issued_at, id)
 * order after `after`: the bulk ZIP reads them this way so it never holds
 * the whole list, let alone the PDFs.
 */
export async function offeringCertificatesPage(db: Executor, offeringId: string, after: { issuedAt: Date; id: string } | null, size: number) {
  return db
    .select({ id: certificates.id, code: certificates.code, issuedAt: certificates.issuedAt, snapshot: certificates.snapshot })
    .from(certificates)
    .where(
      and(
        eq(certificates.offeringId, offeringId),
        isNull(certificates.supersededAt),
        isNull(certificates.revokedAt),
        isNull(certificates.withdrawnAt),
        after ? or(gt(certificates.issuedAt, after.issuedAt), and(eq(certificates.issuedAt, after.issuedAt), gt(certificates.id, after.id))) : undefined,
      ),
    )
    .orderBy(asc(certificates.issuedAt), asc(certificates.id))
    .limit(size);
}

/** Participants of the offering (enrolled or completed) without a current valid certificate: whom a trainer may issue one to. */
export async function issuableParticipants(db: Executor, offeringId: string) {
  return db
    .select({ enrolmentId: enrolments.id, fullName: users.fullName, email: users.email, status: enrolments.status })
    .from(enrolments)
    .innerJoin(users, eq(users.id, enrolments.userId))
    .where(
      and(
        eq(enrolments.offeringId, offeringId),
        inArray(enrolments.status, ['enrolled', 'completed']),
        notExists(
          db
            .select({ one: sql`1` })
            .from(certificates)
            .where(and(eq(certificates.enrolmentId, enrolments.id), isNull(certificates.supersededAt), isNull(certificates.revokedAt))),
        ),
      ),
    )
    .orderBy(asc(users.fullName));
}

/**
 * The holder's current certificate per offering (valid or revoked), for the
 * dashboard: of completed offerings, and of any a trainer issued one for
 * before the rule was met.
 */
export async function holderCertificatesByOffering(db: Executor, userId: string) {
  const rows = await db
    .select({ id: certificates.id, code: certificates.code, offeringId: certificates.offeringId, revokedAt: certificates.revokedAt })
    .from(certificates)
    .where(and(eq(certificates.userId, userId), isNull(certificates.supersededAt), isNull(certificates.withdrawnAt)))
    .orderBy(desc(certificates.issuedAt));
  return new Map(rows.map((row) => [row.offeringId, { id: row.id, code: row.code, revoked: row.revokedAt !== null }]));
}

/** How many current valid certificates the person holds (the profile tells them a name change re-issues these). */
export async function countCurrentCertificates(db: Executor, userId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(certificates)
    .where(and(eq(certificates.userId, userId), isNull(certificates.supersededAt), isNull(certificates.revokedAt), isNull(certificates.withdrawnAt)));
  return Number(row?.count ?? 0);
}
