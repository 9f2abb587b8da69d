import { createHash } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor, Transaction } from '#db/client';
import { certificates, completionEvents, enrolments, liveSessions, offeringTrainers, offerings, users, type CertificateSnapshot } from '#db/schema';
import { recordAudit } from '../audit/audit.server';
import type { AppContext } from '../context.server';
import { withMailer, type Mailer } from '../email/outbox.server';
import { participantAttendance } from '../live/attendance-facts.server';
import { formatCode, generateCode } from './code';
import { renderCertificatePdf, verificationUrl } from './pdf.server';
import { PLATFORM_NAME } from './platform';

/**
 * Issuing certificates (DESIGN.md §6): automatically from completion events,
 * by a trainer for a named participant, and again after a name correction.
 * The unique index `certificates_current_per_enrolment` (one certificate not
 * superseded per enrolment) is what makes issuing exactly-once: two workers,
 * a retry after a crash or a trainer at the same moment insert with
 * ON CONFLICT DO NOTHING on it, and only one row lands.
 */

/** The issue reason of a certificate re-issued because its holder corrected their name. */
export const NAME_CORRECTION_REASON = 'Name correction by the holder';
const LIVE_KINDS = new Set<CertificateSnapshot['offeringKind']>(['webinar', 'webinar_series', 'online_event']);

export type CertificateRow = typeof certificates.$inferSelect;

/** Minutes attended over the held sessions that counted: the evidence's minutes, or the whole session when a trainer marked it without minutes. */
async function attendedMinutes(tx: Executor, offeringId: string, userId: string): Promise<number> {
  const [attendance, sessions] = await Promise.all([
    participantAttendance(tx, offeringId, userId),
    tx.select({ id: liveSessions.id, durationMinutes: liveSessions.durationMinutes }).from(liveSessions).where(eq(liveSessions.offeringId, offeringId)),
  ]);
  const length = new Map(sessions.map((s) => [s.id, s.durationMinutes]));
  return attendance
    .filter((s) => !s.cancelled && s.attendance.attended)
    .reduce((sum, s) => sum + Math.min(s.attendance.minutes ?? length.get(s.id) ?? 0, length.get(s.id) ?? Infinity), 0);
}

interface EnrolmentForCertificate {
  enrolmentId: string;
  offeringId: string;
  userId: string;
  status: 'enrolled' | 'waitlisted' | 'completed' | 'withdrawn';
  completedAt: Date | null;
  certificateEnabled: boolean;
  email: string;
  fullName: string;
  locale: CertificateSnapshot['language'];
}

async function loadEnrolment(tx: Executor, enrolmentId: string): Promise<EnrolmentForCertificate | null> {
  const [row] = await tx
    .select({
      enrolmentId: enrolments.id,
      offeringId: enrolments.offeringId,
      userId: enrolments.userId,
      status: enrolments.status,
      completedAt: enrolments.completedAt,
      certificateEnabled: offerings.certificateEnabled,
      email: users.email,
      fullName: users.fullName,
      locale: users.locale,
    })
    .from(enrolments)
    .innerJoin(offerings, eq(offerings.id, enrolments.offeringId))
    .innerJoin(users, eq(users.id, enrolments.userId))
    .where(eq(enrolments.id, enrolmentId))
    .limit(1);
  return row ?? null;
}

/** What the certificate will say, read as this transaction sees the offering and the person now. */
export async function buildSnapshot(tx: Executor, context: Pick<AppContext, 'config'>, enrolmentId: string, now: Date): Promise<CertificateSnapshot | null> {
  const [row] = await tx
    .select({
      userId: enrolments.userId,
      completedAt: enrolments.completedAt,
      holderName: users.certificateName,
      language: users.locale,
      timeZone: users.timeZone,
      offering: {
        id: offerings.id,
        title: offerings.title,
        kind: offerings.kind,
        slug: offerings.slug,
        expectedMinutes: offerings.expectedMinutes,
        startsAt: offerings.startsAt,
        endsAt: offerings.endsAt,
      },
    })
    .from(enrolments)
    .innerJoin(offerings, eq(offerings.id, enrolments.offeringId))
    .innerJoin(users, eq(users.id, enrolments.userId))
    .where(eq(enrolments.id, enrolmentId))
    .limit(1);
  if (!row) return null;
  const trainers = await tx
    .select({ name: users.fullName })
    .from(offeringTrainers)
    .innerJoin(users, eq(users.id, offeringTrainers.userId))
    .where(eq(offeringTrainers.offeringId, row.offering.id))
    .orderBy(asc(users.fullName));
  const live = LIVE_KINDS.has(row.offering.kind);
  return {
    holderName: row.holderName.normalize('NFC'),
    offeringTitle: row.offering.title,
    offeringKind: row.offering.kind,
    offeringSlug: row.offering.slug,
    expectedMinutes: live ? null : row.offering.expectedMinutes || null,
    attendedMinutes: live ? await attendedMinutes(tx, row.offering.id, row.userId) : null,
    startsAt: row.offering.startsAt?.toISOString() ?? null,
    endsAt: row.offering.endsAt?.toISOString() ?? null,
    completedAt: (row.completedAt ?? now).toISOString(),
    issuer: { platformName: PLATFORM_NAME, organisationName: context.config.organisationName, url: context.config.appUrl },
    trainers: trainers.map((t) => t.name),
    language: row.language,
    timeZone: row.timeZone,
  };
}

/** Renders the PDF of a new certificate and inserts it, unless the enrolment already has a current one. Returns the row, or null. */
async function insertCertificate(
  tx: Executor,
  values: { enrolmentId: string; userId: string; offeringId: string; snapshot: CertificateSnapshot; issuedAt: Date; issuedBy: string | null; issueReason: string },
): Promise<CertificateRow | null> {
  const code = generateCode();
  const pdf = await renderCertificatePdf({ code, issuedAt: values.issuedAt, snapshot: values.snapshot });
  const [row] = await tx
    .insert(certificates)
    .values({ ...values, code, pdfSha256: sha256(pdf) })
    .onConflictDoNothing({ target: certificates.enrolmentId, where: isNull(certificates.supersededAt) })
    .returning();
  return row ?? null;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function sendIssuedEmail(mailer: Mailer, context: Pick<AppContext, 'config'>, certificate: CertificateRow, to: { email: string; locale: CertificateSnapshot['language'] }, reissued: boolean) {
  await mailer.send({
    template: 'certificate-issued',
    to: to.email,
    locale: to.locale,
    idempotencyKey: `certificate-issued:${certificate.id}`,
    data: {
      name: certificate.snapshot.holderName,
      offeringTitle: certificate.snapshot.offeringTitle,
      code: formatCode(certificate.code),
      downloadUrl: `${context.config.appUrl}/dashboard`,
      verifyUrl: verificationUrl(context.config.appUrl, certificate.code),
      reissued,
    },
  });
}

/** The enrolment's current certificate (not superseded), locked for the rest of the transaction. */
async function currentCertificate(tx: Executor, enrolmentId: string): Promise<CertificateRow | null> {
  const [row] = await tx
    .select()
    .from(certificates)
    .where(and(eq(certificates.enrolmentId, enrolmentId), isNull(certificates.supersededAt)))
    .for('update')
    .limit(1);
  return row ?? null;
}

/**
 * Issues the certificate of a completed enrolment, if its offering gives
 * certificates and it has none yet. Returns the new certificate or null.
 */
export async function issueOnCompletion(tx: Transaction, mailer: Mailer, context: Pick<AppContext, 'config'>, enrolmentId: string, now: Date): Promise<CertificateRow | null> {
  const enrolment = await loadEnrolment(tx, enrolmentId);
  if (!enrolment || enrolment.status !== 'completed' || !enrolment.certificateEnabled) return null;
  if (await currentCertificate(tx, enrolmentId)) return null;
  const snapshot = await buildSnapshot(tx, context, enrolmentId, now);
  if (!snapshot) return null;
  const issued = await insertCertificate(tx, {
    enrolmentId,
    userId: enrolment.userId,
    offeringId: enrolment.offeringId,
    snapshot,
    issuedAt: now,
    issuedBy: null,
    issueReason: '',
  });
  if (issued) await sendIssuedEmail(mailer, context, issued, enrolment, false);
  return issued;
}

/**
 * Takes one unprocessed completion event (skipping those another worker
 * holds), issues its certificate and marks it processed, in one
 * transaction; repeats until none are left or `limit` are done. Any number
 * of workers may run this at once. Returns how many events it handled.
 */
export async function processCompletionEvents(context: AppContext, now: () => Date = () => new Date(), limit = 100): Promise<number> {
  let handled = 0;
  while (handled < limit) {
    const took = await withMailer(context, async (tx, mailer) => {
      const [event] = await tx
        .select({ id: completionEvents.id, enrolmentId: completionEvents.enrolmentId })
        .from(completionEvents)
        .where(isNull(completionEvents.processedAt))
        .orderBy(asc(completionEvents.occurredAt))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!event) return false;
      const at = now();
      await issueOnCompletion(tx, mailer, context, event.enrolmentId, at);
      await tx.update(completionEvents).set({ processedAt: at }).where(eq(completionEvents.id, event.id));
      return true;
    });
    if (!took) break;
    handled += 1;
  }
  return handled;
}

/**
 * Replaces a current certificate with a new one for the same enrolment
 * (name correction, or a trainer issuing after a revocation): the old one is
 * marked superseded first, since the index allows one current certificate,
 * then points at the new one. Never deletes.
 */
async function replaceCertificate(tx: Executor, old: CertificateRow, snapshot: CertificateSnapshot, issued: { at: Date; by: string | null; reason: string }) {
  await tx.update(certificates).set({ supersededAt: issued.at }).where(eq(certificates.id, old.id));
  const replacement = await insertCertificate(tx, {
    enrolmentId: old.enrolmentId,
    userId: old.userId!,
    offeringId: old.offeringId,
    snapshot,
    issuedAt: issued.at,
    issuedBy: issued.by,
    issueReason: issued.reason,
  });
  if (!replacement) throw new Error(`certificate ${old.id} could not be replaced`);
  await tx.update(certificates).set({ supersededById: replacement.id }).where(eq(certificates.id, old.id));
  return replacement;
}

export type ManualIssueRefusal = 'not-found' | 'disabled' | 'not-eligible' | 'already-has';

/**
 * A trainer or admin issues a certificate to a named participant of the
 * offering (enrolled or completed), with a reason that goes to the audit
 * log. A revoked current certificate is superseded by the new one; a valid
 * one means there is nothing to issue.
 */
export async function issueByTrainer(
  context: AppContext,
  input: { offeringId: string; enrolmentId: string; actorId: string; reason: string },
  now: Date,
): Promise<{ ok: true; certificate: CertificateRow } | { ok: false; reason: ManualIssueRefusal; name?: string }> {
  return withMailer(context, async (tx, mailer) => {
    // The enrolment lock orders this after a completion being recorded for the same person.
    const [locked] = await tx.select({ id: enrolments.id }).from(enrolments).where(and(eq(enrolments.id, input.enrolmentId), eq(enrolments.offeringId, input.offeringId))).for('update');
    if (!locked) return { ok: false, reason: 'not-found' } as const;
    const enrolment = (await loadEnrolment(tx, input.enrolmentId))!;
    if (!enrolment.certificateEnabled) return { ok: false, reason: 'disabled' } as const;
    if (enrolment.status !== 'enrolled' && enrolment.status !== 'completed') return { ok: false, reason: 'not-eligible' } as const;
    const current = await currentCertificate(tx, input.enrolmentId);
    if (current && !current.revokedAt) return { ok: false, reason: 'already-has', name: current.snapshot.holderName } as const;
    const snapshot = (await buildSnapshot(tx, context, input.enrolmentId, now))!;
    const issued = { at: now, by: input.actorId, reason: input.reason };
    const certificate = current
      ? await replaceCertificate(tx, current, snapshot, issued)
      : await insertCertificate(tx, { enrolmentId: input.enrolmentId, userId: enrolment.userId, offeringId: input.offeringId, snapshot, issuedAt: now, issuedBy: input.actorId, issueReason: input.reason });
    if (!certificate) return { ok: false, reason: 'already-has', name: snapshot.holderName } as const;
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'certificate.issued',
      subjectType: 'certificate',
      subjectId: certificate.id,
      reason: input.reason,
      details: { code: certificate.code, enrolmentId: input.enrolmentId, offeringId: input.offeringId, replaced: current?.id ?? null },
      at: now,
    });
    await sendIssuedEmail(mailer, context, certificate, enrolment, false);
    return { ok: true, certificate } as const;
  });
}

/** Revokes a valid certificate of the offering with a reason (shown publicly), audited. The row stays. */
export async function revokeCertificate(
  context: AppContext,
  input: { offeringId: string; certificateId: string; actorId: string; reason: string },
  now: Date,
): Promise<{ ok: true; code: string } | { ok: false; reason: 'not-found' | 'already-revoked' }> {
  return context.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: certificates.id, code: certificates.code, revokedAt: certificates.revokedAt })
      .from(certificates)
      .where(and(eq(certificates.id, input.certificateId), eq(certificates.offeringId, input.offeringId)))
      .for('update');
    if (!row) return { ok: false, reason: 'not-found' } as const;
    if (row.revokedAt) return { ok: false, reason: 'already-revoked' } as const;
    await tx.update(certificates).set({ revokedAt: now, revokedBy: input.actorId, revocationReason: input.reason }).where(eq(certificates.id, row.id));
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'certificate.revoked',
      subjectType: 'certificate',
      subjectId: row.id,
      reason: input.reason,
      details: { code: row.code, offeringId: input.offeringId },
      at: now,
    });
    return { ok: true, code: row.code } as const;
  });
}

/**
 * After the holder changed their name on certificates: each current, valid
 * certificate that shows another name is issued again with the new one
 * (everything else in the snapshot stays as it was), the old one superseded,
 * and the holder emailed. Safe to call after any profile save: with nothing
 * to correct it changes nothing. Returns how many were re-issued.
 */
export async function reissueForNameChange(context: AppContext, userId: string, now: Date): Promise<number> {
  return withMailer(context, async (tx, mailer) => {
    const [person] = await tx.select({ name: users.certificateName, email: users.email, locale: users.locale }).from(users).where(eq(users.id, userId)).for('update');
    if (!person) return 0;
    const name = person.name.normalize('NFC');
    const stale = await tx
      .select()
      .from(certificates)
      .where(
        and(
          eq(certificates.userId, userId),
          isNull(certificates.supersededAt),
          isNull(certificates.revokedAt),
          isNull(certificates.withdrawnAt),
          sql`${certificates.snapshot}->>'holderName' <> ${name}`,
        ),
      )
      .for('update');
    for (const old of stale) {
      const replacement = await replaceCertificate(tx, old, { ...old.snapshot, holderName: name }, { at: now, by: null, reason: NAME_CORRECTION_REASON });
      await sendIssuedEmail(mailer, context, replacement, person, true);
    }
    return stale.length;
  });
}
