import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '#db/client';
import { enrolments, invitations, offerings, users } from '#db/schema';
import { recordAudit } from '../audit/audit.server';
import { hashToken, newToken } from '../auth/tokens.server';
import { formatRunDates } from '../catalogue/datetime';
import type { AppContext } from '../context.server';
import { withMailer } from '../email/outbox.server';
import { isLocale } from '../i18n/locales';
import { checkEnrolment, type EnrolmentCheck } from './eligibility';
import { enrol, loadEnrolmentFacts, type EmailLocale, type EnrolResult, type EnrollingPerson } from './enrolment.server';

export const INVITATION_SUBJECT = 'invitation';

export type InvitationStatus = 'pending' | 'accepted' | 'revoked';

export interface InviteResult {
  /** Addresses that were sent a (new) link. */
  sent: string[];
  /** Addresses whose person already has a place (or finished), so nothing was sent. */
  alreadyParticipating: string[];
}

/**
 * Invites addresses to an offering, whether or not they have an account
 * yet: each gets a fresh single-use link by email. Inviting an address
 * again sends a new link (the old one stops working) and lifts a revocation;
 * people who already have a place are left alone. One transaction; audited.
 */
export async function inviteByEmail(
  context: AppContext,
  input: { offeringId: string; actor: { id: string; fullName: string; locale: EmailLocale }; emails: string[] },
  now: Date,
): Promise<InviteResult | null> {
  const emails = [...new Set(input.emails.map((email) => email.toLowerCase()))];
  return withMailer(context, async (tx, mailer) => {
    const [offering] = await tx
      .select({
        id: offerings.id,
        title: offerings.title,
        language: offerings.language,
        organiserTimeZone: offerings.organiserTimeZone,
        startsAt: offerings.startsAt,
        endsAt: offerings.endsAt,
      })
      .from(offerings)
      .where(eq(offerings.id, input.offeringId));
    if (!offering || emails.length === 0) return offering ? { sent: [], alreadyParticipating: [] } : null;

    const accounts = await tx
      .select({ email: users.email, locale: users.locale, timeZone: users.timeZone })
      .from(users)
      .where(inArray(users.email, emails));
    const participating = new Set(
      (
        await tx
          .select({ email: users.email })
          .from(enrolments)
          .innerJoin(users, eq(users.id, enrolments.userId))
          .where(and(eq(enrolments.offeringId, offering.id), inArray(enrolments.status, ['enrolled', 'waitlisted', 'completed']), inArray(users.email, emails)))
      ).map((row) => row.email),
    );
    const toInvite = emails.filter((email) => !participating.has(email));
    if (toInvite.length > 0) {
      const tokens = new Map(toInvite.map((email) => [email, newToken()]));
      const rows = await tx
        .insert(invitations)
        .values(toInvite.map((email) => ({ offeringId: offering.id, email, tokenHash: tokens.get(email)!.hash, invitedBy: input.actor.id, createdAt: now })))
        .onConflictDoUpdate({
          target: [invitations.offeringId, invitations.email],
          set: {
            tokenHash: sql`excluded.token_hash`,
            invitedBy: sql`excluded.invited_by`,
            createdAt: sql`excluded.created_at`,
            acceptedAt: null,
            acceptedBy: null,
            revokedAt: null,
          },
        })
        .returning({ id: invitations.id, email: invitations.email });
      const byEmail = new Map(accounts.map((account) => [account.email, account]));
      // Without an account, the offering's language when the platform speaks it, else the inviting trainer's.
      const fallbackLocale: EmailLocale = isLocale(offering.language) ? offering.language : input.actor.locale;
      for (const row of rows) {
        const account = byEmail.get(row.email);
        const locale = account?.locale ?? fallbackLocale;
        const token = tokens.get(row.email)!;
        await mailer.send({
          template: 'invitation',
          to: row.email,
          locale,
          data: {
            inviterName: input.actor.fullName,
            offeringTitle: offering.title,
            dates: formatRunDates(offering.startsAt, offering.endsAt, account?.timeZone ?? offering.organiserTimeZone, locale),
            url: `${context.config.appUrl}/invitations/${token.token}`,
          },
          idempotencyKey: `invitation:${row.id}:${token.hash}`,
        });
      }
      await recordAudit(tx, {
        actorId: input.actor.id,
        action: 'invitation.sent',
        subjectType: 'offering',
        subjectId: offering.id,
        details: { emails: toInvite },
        at: now,
      });
    }
    return { sent: toInvite, alreadyParticipating: emails.filter((email) => participating.has(email)) };
  });
}

export function invitationStatus(row: { acceptedAt: Date | null; revokedAt: Date | null }): InvitationStatus {
  return row.revokedAt ? 'revoked' : row.acceptedAt ? 'accepted' : 'pending';
}

/** An offering's invitations, newest first, with who accepted them. */
export async function listInvitations(db: Executor, offeringId: string) {
  const acceptor = alias(users, 'acceptor');
  const rows = await db
    .select({
      id: invitations.id,
      email: invitations.email,
      createdAt: invitations.createdAt,
      acceptedAt: invitations.acceptedAt,
      revokedAt: invitations.revokedAt,
      acceptedByName: acceptor.fullName,
    })
    .from(invitations)
    .leftJoin(acceptor, eq(acceptor.id, invitations.acceptedBy))
    .where(eq(invitations.offeringId, offeringId))
    .orderBy(desc(invitations.createdAt), invitations.email);
  return rows.map((row) => ({ ...row, status: invitationStatus(row) }));
}

export type RevokeResult = { ok: true; email: string } | { ok: false; reason: 'not-found' | 'accepted' | 'already-revoked' };

/** Makes a pending invitation's link stop working; audited. An accepted one stays (remove the participant instead). */
export async function revokeInvitation(
  context: Pick<AppContext, 'db'>,
  input: { offeringId: string; invitationId: string; actorId: string },
  now: Date,
): Promise<RevokeResult> {
  return context.db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(invitations)
      .set({ revokedAt: now })
      .where(
        and(
          eq(invitations.id, input.invitationId),
          eq(invitations.offeringId, input.offeringId),
          isNull(invitations.revokedAt),
          isNull(invitations.acceptedAt),
        ),
      )
      .returning({ id: invitations.id, email: invitations.email });
    if (!revoked) {
      const [existing] = await tx
        .select({ acceptedAt: invitations.acceptedAt, revokedAt: invitations.revokedAt })
        .from(invitations)
        .where(and(eq(invitations.id, input.invitationId), eq(invitations.offeringId, input.offeringId)));
      if (!existing) return { ok: false, reason: 'not-found' } as const;
      return { ok: false, reason: existing.revokedAt ? 'already-revoked' : 'accepted' } as const;
    }
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'invitation.revoked',
      subjectType: INVITATION_SUBJECT,
      subjectId: revoked.id,
      details: { offeringId: input.offeringId, email: revoked.email },
      at: now,
    });
    return { ok: true, email: revoked.email } as const;
  });
}

/** The invitation behind an emailed link, with its offering; null for a token nobody issued (or one replaced by a newer invitation). */
export async function findInvitationByToken(db: Executor, token: string) {
  if (token.length === 0 || token.length > 200) return null;
  const [row] = await db
    .select({
      id: invitations.id,
      email: invitations.email,
      acceptedAt: invitations.acceptedAt,
      acceptedBy: invitations.acceptedBy,
      revokedAt: invitations.revokedAt,
      offeringId: offerings.id,
      slug: offerings.slug,
      title: offerings.title,
    })
    .from(invitations)
    .innerJoin(offerings, eq(offerings.id, invitations.offeringId))
    .where(eq(invitations.tokenHash, hashToken(token)))
    .limit(1);
  return row ?? null;
}

/** "ł***@szkola.example.pl": enough for the person to recognise their address, not enough to harvest it. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

type Invitation = NonNullable<Awaited<ReturnType<typeof findInvitationByToken>>>;

/** What the link can do for the person who opened it; the page and the action both start here. */
export type InvitationStanding =
  | { state: 'invalid' }
  | { state: 'revoked'; invitation: Invitation }
  | { state: 'used'; invitation: Invitation }
  | { state: 'accepted-by-you'; invitation: Invitation }
  | { state: 'sign-in'; invitation: Invitation; maskedEmail: string }
  | { state: 'wrong-account'; invitation: Invitation; maskedEmail: string }
  | { state: 'ready'; invitation: Invitation; check: EnrolmentCheck };

export async function invitationStanding(db: Executor, token: string, person: EnrollingPerson | null, now: Date): Promise<InvitationStanding> {
  const invitation = await findInvitationByToken(db, token);
  if (!invitation) return { state: 'invalid' };
  if (invitation.revokedAt) return { state: 'revoked', invitation };
  if (invitation.acceptedAt) return { state: person && invitation.acceptedBy === person.id ? 'accepted-by-you' : 'used', invitation };
  if (!person) return { state: 'sign-in', invitation, maskedEmail: maskEmail(invitation.email) };
  if (person.email.toLowerCase() !== invitation.email) return { state: 'wrong-account', invitation, maskedEmail: maskEmail(invitation.email) };
  const facts = await loadEnrolmentFacts(db, { offeringId: invitation.offeringId }, person);
  if (!facts) return { state: 'invalid' };
  const check = checkEnrolment({
    offering: facts.offering,
    person: { emailVerified: person.emailVerified, staffStatus: person.staffStatus, invited: true },
    enrolment: facts.enrolment,
    now,
    viaInvitation: true,
  });
  return { state: 'ready', invitation, check };
}

export type AcceptResult = EnrolResult | { ok: false; standing: Exclude<InvitationStanding, { state: 'ready' }> };

/**
 * Accepting the link enrols the signed-in person it was sent to (or puts them
 * on the waitlist): it stands in for the invitation an invite-only offering
 * asks for, and every other rule still holds. The link is used up in the
 * same transaction.
 */
export async function acceptInvitation(context: AppContext, input: { token: string; person: EnrollingPerson }, now: Date): Promise<AcceptResult> {
  const standing = await invitationStanding(context.db, input.token, input.person, now);
  if (standing.state !== 'ready') return { ok: false, standing };
  return enrol(context, { offering: { offeringId: standing.invitation.offeringId }, person: input.person, invitationId: standing.invitation.id }, now);
}
