import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { Transaction } from '#db/client';
import {
  activityProgress,
  auditLog,
  calendarFeeds,
  certificates,
  emailTokens,
  enrolments,
  invitations,
  mailboxMessages,
  offeringTrainers,
  offerings,
  outboxEmails,
  quizAttempts,
  rateLimits,
  sessionAttendance,
  sessionJoins,
  sessions,
  staffValidationRequests,
  submissions,
  userRoles,
  users,
} from '#db/schema';
import { recordAudit } from '../audit/audit.server';
import { LIMITS } from '../auth/rate-limit.server';
import { catalogueChanged } from '../catalogue/result-cache.server';
import type { AppContext } from '../context.server';
import { withMailer } from '../email/outbox.server';
import { withdrawInTransaction } from '../enrolment/enrolment.server';
import { ownAddresses } from './addresses.server';

/** Audit entries about deleted accounts name this subject type (the id is the anonymised row's). */
export const ACCOUNT_SUBJECT = 'user';

/** Stored instead of a password hash: verifyPassword only accepts `scrypt$…`, so nothing ever matches it. */
export const UNUSABLE_PASSWORD_HASH = '!account-deleted';

/** Queued messages to a deleted account are marked failed with this, so admins see why they never went. */
export const CANCELLED_FOR_DELETION = 'Cancelled: the recipient deleted their account.';

/**
 * A unique address that can never receive mail (RFC 2606 reserves .invalid),
 * so the unique index on users.email stays satisfied and the real address
 * is free to register again.
 */
export function anonymousAddress(): string {
  return `deleted-${randomUUID()}@deleted.invalid`;
}

export type DeleteAccountResult =
  | { ok: true; leftOfferings: number; withdrawnCertificates: number }
  | { ok: false; reason: 'not-found' }
  /** The person runs published offerings nobody else trains: participants would be left without a trainer. */
  | { ok: false; reason: 'sole-trainer'; offeringTitles: string[] }
  /** The last administrator: nobody could grant roles any more. */
  | { ok: false; reason: 'last-admin' };

/**
 * Deletes a person's account (GDPR art. 17) in one transaction: all of it
 * happens or none of it does.
 *
 * - Active enrolments and waitlist places end the way leaving does (seats
 *   freed, the next in line promoted and emailed); completed ones are marked
 *   withdrawn as well (keeping their completion date).
 * - The user row stays, anonymised, because discussion posts, withdrawn
 *   certificates, enrolment counts and audit entries point at it; pages show
 *   it as "deleted user".
 * - Certificates are withdrawn (they then verify as withdrawn at the holder's
 *   request) and the name in their frozen snapshot is erased.
 * - Sessions, email tokens, the calendar feed, roles, validation requests,
 *   joins, attendance, progress, quiz attempts and submissions are deleted.
 * - Messages to the person's addresses: queued ones are cancelled; every
 *   one keeps its delivery record but loses address and body. Dev-mailbox
 *   copies are deleted; audit entries naming the address get the placeholder.
 * - One audit entry, holding ids and counts only.
 */
export async function deleteAccount(context: AppContext, userId: string, now: Date): Promise<DeleteAccountResult> {
  const result = await withMailer(context, async (tx, mailer): Promise<DeleteAccountResult> => {
    const [user] = await tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(and(eq(users.id, userId), isNull(users.deletedAt)))
      .for('update');
    if (!user) return { ok: false, reason: 'not-found' };

    const refusal = await refusalToDelete(tx, userId, now);
    if (refusal) return refusal;

    // Leaving takes the offering's lock first, as enrolling does; going through offerings in id order keeps two deletions from deadlocking.
    const active = await tx
      .select({ offeringId: enrolments.offeringId })
      .from(enrolments)
      .where(and(eq(enrolments.userId, userId), inArray(enrolments.status, ['enrolled', 'waitlisted'])))
      .orderBy(asc(enrolments.offeringId));
    for (const { offeringId } of active) {
      const left = await withdrawInTransaction(tx, mailer, context, { offeringId, match: eq(enrolments.userId, userId), removedBy: null, now });
      if (!left.ok) throw new Error(`Could not end enrolment in ${offeringId} while deleting account ${userId}: ${left.refusal.reason}`);
    }

    // Completed courses end too: the person is no participant any more, so no trainer message, reminder or
    // calendar notice goes to the placeholder address and attendance lists skip them. completed_at stays.
    await tx
      .update(enrolments)
      .set({ status: 'withdrawn', withdrawnAt: now, updatedAt: now })
      .where(and(eq(enrolments.userId, userId), eq(enrolments.status, 'completed')));

    const addresses = await ownAddresses(tx, userId, user.email);
    const replacement = anonymousAddress();
    await forgetMail(tx, addresses, replacement);

    const withdrawn = await tx
      .update(certificates)
      .set({
        withdrawnAt: sql`coalesce(${certificates.withdrawnAt}, ${now.toISOString()}::timestamptz)`,
        snapshot: sql`jsonb_set(${certificates.snapshot}, '{holderName}', '""'::jsonb)`,
      })
      .where(eq(certificates.userId, userId))
      .returning({ id: certificates.id });

    for (const table of [sessions, emailTokens, calendarFeeds, userRoles, staffValidationRequests, sessionJoins, sessionAttendance, activityProgress, quizAttempts, submissions, offeringTrainers]) {
      await tx.delete(table).where(eq(table.userId, userId));
    }
    await tx.delete(rateLimits).where(inArray(rateLimits.key, Object.keys(LIMITS).map((name) => `${name}:${user.email}`)));

    await tx
      .update(users)
      .set({
        email: replacement,
        emailVerifiedAt: null,
        passwordHash: UNUSABLE_PASSWORD_HASH,
        fullName: '',
        certificateName: '',
        country: '',
        school: '',
        schoolRole: 'other_staff',
        locale: 'en',
        timeZone: 'UTC',
        staffStatus: 'none',
        notifyOnReplies: false,
        deletedAt: now,
        updatedAt: now,
      })
      .where(eq(users.id, userId));

    await recordAudit(tx, {
      actorId: userId,
      action: 'account.deleted',
      subjectType: ACCOUNT_SUBJECT,
      subjectId: userId,
      details: { leftOfferings: active.length, withdrawnCertificates: withdrawn.length },
      at: now,
    });
    return { ok: true, leftOfferings: active.length, withdrawnCertificates: withdrawn.length };
  });
  // Seats were given back: cached catalogue counts are stale.
  if (result.ok && result.leftOfferings > 0) catalogueChanged();
  return result;
}

/**
 * Why the account cannot go now, if it cannot. A trainer who is the only
 * trainer of a published offering that has not ended must first hand it
 * over (or an admin archives it): participants would otherwise lose the
 * person who reviews their work and runs their sessions. Other offerings
 * keep running with their other trainers.
 */
async function refusalToDelete(tx: Transaction, userId: string, now: Date): Promise<DeleteAccountResult | null> {
  const otherTrainer = tx
    .select({ one: sql`1` })
    .from(offeringTrainers)
    .where(and(eq(offeringTrainers.offeringId, offerings.id), ne(offeringTrainers.userId, userId)));
  const soleRuns = await tx
    .select({ title: offerings.title })
    .from(offerings)
    .innerJoin(offeringTrainers, and(eq(offeringTrainers.offeringId, offerings.id), eq(offeringTrainers.userId, userId)))
    .where(and(eq(offerings.status, 'published'), or(isNull(offerings.endsAt), gt(offerings.endsAt, now)), sql`not exists (${otherTrainer})`))
    .orderBy(asc(offerings.title));
  if (soleRuns.length > 0) return { ok: false, reason: 'sole-trainer', offeringTitles: soleRuns.map((row) => row.title) };

  const adminRoles = await tx.select({ userId: userRoles.userId }).from(userRoles).where(eq(userRoles.role, 'admin'));
  if (adminRoles.some((row) => row.userId === userId) && adminRoles.every((row) => row.userId === userId)) return { ok: false, reason: 'last-admin' };
  return null;
}

/**
 * Messages to the person's addresses: the queued ones are cancelled (the
 * delivery worker only claims queued rows), and every one keeps its delivery
 * record (a trainer's message still counts it) without address or body.
 */
async function forgetMail(tx: Transaction, addresses: string[], replacement: string) {
  const toThem = inArray(sql`lower(${outboxEmails.toAddress})`, addresses);
  await tx
    .update(outboxEmails)
    .set({ status: 'failed', lastError: CANCELLED_FOR_DELETION, leaseUntil: null })
    .where(and(toThem, eq(outboxEmails.status, 'queued')));
  await tx.update(outboxEmails).set({ toAddress: replacement, html: '', text: '', attachments: [] }).where(toThem);
  await tx.delete(mailboxMessages).where(inArray(sql`lower(${mailboxMessages.toAddress})`, addresses));
  // Audit entries name invited addresses (one, or a list); the entries stay, the address does not.
  const listed = sql.join(
    addresses.map((address) => sql`${address}`),
    sql`, `,
  );
  await tx
    .update(auditLog)
    .set({ details: sql`jsonb_set(${auditLog.details}, '{email}', to_jsonb(${replacement}::text))` })
    .where(sql`${auditLog.details}->>'email' in (${listed})`);
  await tx
    .update(auditLog)
    .set({
      details: sql`jsonb_set(${auditLog.details}, '{emails}', (
        select jsonb_agg(case when e in (${listed}) then ${replacement} else e end) from jsonb_array_elements_text(${auditLog.details}->'emails') e))`,
    })
    .where(
      sql`jsonb_typeof(${auditLog.details}->'emails') = 'array'
        and exists (select 1 from jsonb_array_elements_text(${auditLog.details}->'emails') e where e in (${listed}))`,
    );
  // Invitations are by address; an accepted one stays for the offering's record under an address of its own.
  await tx.delete(invitations).where(and(inArray(invitations.email, addresses), isNull(invitations.acceptedAt)));
  await tx
    .update(invitations)
    .set({ email: sql`'deleted-' || ${invitations.id}::text || '@deleted.invalid'` })
    .where(inArray(invitations.email, addresses));
}
