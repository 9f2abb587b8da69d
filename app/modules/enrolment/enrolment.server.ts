import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Executor, Transaction } from '#db/client';
import { renderEmail } from '#emails/index';
import { enrolments, invitations, offerings, users } from '#db/schema';
import { recordAudit } from '../audit/audit.server';
import { calendarSite, invitationAttachments, invitationFromSessions, upcomingSessions } from '../calendar/calendar.server';
import type { CalendarSite } from '../calendar/ics';
import { sendLeavingCalendarNotice } from '../calendar/session-notices.server';
import { catalogueChanged, changingCatalogue } from '../catalogue/result-cache.server';
import { formatRunDates } from '../catalogue/datetime';
import type { AppContext } from '../context.server';
import { dispatchEmails, messageIdFor, withMailer, type Mailer } from '../email/outbox.server';
import {
  checkEnrolment,
  checkUnenrol,
  hasFreeSeat,
  promotionsAllowed,
  type EnrolmentOffering,
  type EnrolmentStatus,
  type ExistingEnrolment,
  type Refusal,
  type StaffStatus,
  type UnenrolRefusal,
} from './eligibility';

/** Audit entries about enrolments name this subject type. */
export const ENROLMENT_SUBJECT = 'enrolment';

export type EmailLocale = 'en' | 'nb' | 'sv' | 'fi';

/** The person enrolling, as the signed-in viewer knows them. */
export interface EnrollingPerson {
  id: string;
  email: string;
  fullName: string;
  locale: EmailLocale;
  timeZone: string;
  emailVerified: boolean;
  staffStatus: StaffStatus;
}

export type OfferingRef = { slug: string } | { offeringId: string };

export interface EnrolmentFacts {
  offering: EnrolmentOffering & {
    id: string;
    slug: string;
    title: string;
    startsAt: Date | null;
    trainerIds: string[];
    /** Whether any session of the offering is still scheduled (not cancelled): only then can a confirmation carry a calendar invitation. */
    hasLiveSessions: boolean;
  };
  enrolment: (ExistingEnrolment & { id: string }) | null;
  /** The person's own invitation to this offering (by address), unless revoked. */
  invitation: { id: string; accepted: boolean } | null;
}

/** No account has this id (account ids are random version-4 UUIDs): an anonymous viewer's joins match nothing. */
const NOBODY = '00000000-0000-0000-0000-000000000000';

/**
 * The facts query, prepared once per database handle: the offering page
 * and the enrolment action run it on every request, and planning it cost
 * several times more than running it.
 */
function factsQuery(db: Executor, by: 'slug' | 'id') {
  return db
    .select({
      id: offerings.id,
      slug: offerings.slug,
      title: offerings.title,
      status: offerings.status,
      eligibility: offerings.eligibility,
      enrolmentOpensAt: offerings.enrolmentOpensAt,
      enrolmentClosesAt: offerings.enrolmentClosesAt,
      startsAt: offerings.startsAt,
      endsAt: offerings.endsAt,
      capacity: offerings.capacity,
      seatsTaken: offerings.seatsTaken,
      waitlistEnabled: offerings.waitlistEnabled,
      trainerIds: sql<string[]>`coalesce((select array_agg(ot.user_id::text) from offering_trainers ot where ot.offering_id = "offerings"."id"), '{}'::text[])`,
      hasLiveSessions: sql<boolean>`exists (select 1 from live_sessions ls where ls.offering_id = "offerings"."id" and ls.cancelled_at is null)`,
      enrolmentId: enrolments.id,
      enrolmentStatus: enrolments.status,
      removedBy: enrolments.removedBy,
      waitlistPosition: sql<number | null>`case when "enrolments"."status" = 'waitlisted' then (
        select count(*)::int from enrolments w
        where w.offering_id = "offerings"."id" and w.status = 'waitlisted' and w.waitlist_seq <= "enrolments"."waitlist_seq"
      ) end`,
      invitationId: invitations.id,
      invitationAcceptedAt: invitations.acceptedAt,
    })
    .from(offerings)
    .leftJoin(enrolments, and(eq(enrolments.offeringId, offerings.id), eq(enrolments.userId, sql.placeholder('userId'))))
    .leftJoin(
      invitations,
      and(eq(invitations.offeringId, offerings.id), eq(invitations.email, sql.placeholder('email')), isNull(invitations.revokedAt)),
    )
    .where(by === 'slug' ? eq(offerings.slug, sql.placeholder('key')) : eq(offerings.id, sql.placeholder('key')))
    .limit(1)
    .prepare(`enrolment_facts_by_${by}`);
}

const factsQueries = new WeakMap<Executor, Record<'slug' | 'id', ReturnType<typeof factsQuery>>>();

/**
 * Everything the rules need, in one round trip: the offering with its
 * trainers, and for a signed-in person their row (with waitlist rank) and
 * their invitation. Null when there is no such offering.
 */
export async function loadEnrolmentFacts(db: Executor, ref: OfferingRef, person: { id: string; email: string } | null): Promise<EnrolmentFacts | null> {
  let queries = factsQueries.get(db);
  if (!queries) {
    queries = { slug: factsQuery(db, 'slug'), id: factsQuery(db, 'id') };
    factsQueries.set(db, queries);
  }
  const [row] = await ('slug' in ref ? queries.slug : queries.id).execute({
    key: 'slug' in ref ? ref.slug : ref.offeringId,
    userId: person?.id ?? NOBODY,
    email: person?.email.toLowerCase() ?? '',
  });
  if (!row) return null;
  return {
    offering: {
      id: row.id,
      slug: row.slug,
      title: row.title,
      status: row.status,
      eligibility: row.eligibility,
      enrolmentOpensAt: row.enrolmentOpensAt,
      enrolmentClosesAt: row.enrolmentClosesAt,
      startsAt: row.startsAt,
      endsAt: row.endsAt,
      capacity: row.capacity,
      seatsTaken: row.seatsTaken,
      waitlistEnabled: row.waitlistEnabled,
      trainerIds: row.trainerIds,
      hasLiveSessions: row.hasLiveSessions,
    },
    enrolment:
      row.enrolmentId && row.enrolmentStatus
        ? { id: row.enrolmentId, status: row.enrolmentStatus, removed: row.removedBy !== null, waitlistPosition: row.waitlistPosition }
        : null,
    invitation: row.invitationId ? { id: row.invitationId, accepted: row.invitationAcceptedAt !== null } : null,
  };
}

export type EnrolRefusal = Refusal | { reason: 'not-found' } | { reason: 'invitation-used' };

export type EnrolResult =
  | {
      ok: true;
      status: 'enrolled' | 'waitlisted';
      enrolmentId: string;
      /** Rank on the waitlist, when waitlisted. */
      position: number | null;
      offering: { id: string; slug: string; title: string };
    }
  | { ok: false; refusal: EnrolRefusal; offering: { id: string; slug: string; title: string } | null };

export interface EnrolInput {
  offering: OfferingRef;
  /** The facts the caller already read (the route reads them to ask the policy), saving a round trip. */
  facts?: EnrolmentFacts | null;
  person: EnrollingPerson;
  /** Enrolling through this invitation's link: it must still be unused, and is used up. */
  invitationId?: string;
}

/** Raised inside the statement to undo all of it (see placeStatement). */
const UNDO = 'enrolment-undone:';

/**
 * Places a person in one statement, so nothing else runs while the seat row
 * is locked and no transaction round trips are needed:
 *
 * - `seat` takes a seat with the conditional UPDATE (concurrent takers queue
 *   on the row lock and re-check `seats_taken < capacity`, so the counter
 *   never passes the capacity, and the check constraint stands behind it);
 * - `placed` writes the person's one row for the offering (new, or reused
 *   after a withdrawal) as enrolled when a seat was taken, else waitlisted
 *   with the next waitlist number when the offering has a waitlist, else
 *   nothing (full); a row the person already holds stays as it is;
 * - `mail` queues the confirmation in the outbox when enrolled, with its
 *   calendar invitation attached;
 * - `accepted` uses up the invitation the person came with.
 *
 * Two outcomes must not be kept, and the statement fails on purpose (a cast
 * error carrying UNDO) so PostgreSQL rolls all of it back: a duplicate
 * submission that raced past the check and took a second seat, and an
 * invitation link that another tab used first.
 */
function placeStatement(db: Executor) {
  const p = {
    offering: sql.placeholder('offeringId'),
    user: sql.placeholder('userId'),
    source: sql.placeholder('source'),
    at: sql.placeholder('at'),
    invitation: sql.placeholder('invitationId'),
    mustAccept: sql.placeholder('mustAccept'),
    mailKey: sql.placeholder('mailKey'),
    messageId: sql.placeholder('messageId'),
    locale: sql.placeholder('locale'),
    to: sql.placeholder('to'),
    subject: sql.placeholder('subject'),
    html: sql.placeholder('html'),
    text: sql.placeholder('text'),
    attachments: sql.placeholder('attachments'),
  };
  const seat = db.$with('seat', { id: sql<string>`id` }).as(sql`
    update offerings set seats_taken = seats_taken + 1
    where id = ${p.offering}::uuid and (capacity is null or seats_taken < capacity)
    returning id`);
  const placed = db.$with('placed', { id: sql<string>`id` }).as(sql`
    insert into enrolments as e (offering_id, user_id, status, source, enrolled_at, waitlist_seq, waitlisted_at, created_at, updated_at)
    select ${p.offering}::uuid, ${p.user}::uuid, d.status, ${p.source}::enrolment_source,
      case when d.status = 'enrolled' then ${p.at}::timestamptz end,
      case when d.status = 'waitlisted' then nextval('waitlist_seq') end,
      case when d.status = 'waitlisted' then ${p.at}::timestamptz end,
      ${p.at}::timestamptz, ${p.at}::timestamptz
    from (
      select case
        when exists (select 1 from seat) then 'enrolled'::enrolment_status
        when (select waitlist_enabled from offerings where id = ${p.offering}::uuid) then 'waitlisted'::enrolment_status
      end as status
    ) d
    where d.status is not null
    on conflict (offering_id, user_id) do update set
      status = excluded.status, source = excluded.source, enrolled_at = excluded.enrolled_at,
      waitlist_seq = excluded.waitlist_seq, waitlisted_at = excluded.waitlisted_at,
      withdrawn_at = null, removed_by = null, updated_at = excluded.updated_at
    where e.status = 'withdrawn'
    returning e.id, e.status, e.waitlist_seq`);
  const mail = db.$with('mail', { id: sql<string>`id` }).as(sql`
    insert into outbox_emails (idempotency_key, message_id, template, locale, to_address, subject, html, text, attachments)
    select ${p.mailKey}::text, ${p.messageId}::text, 'enrolment-confirmed', ${p.locale}::text, ${p.to}::text, ${p.subject}::text, ${p.html}::text, ${p.text}::text,
      ${p.attachments}::text::jsonb
    from placed where placed.status = 'enrolled'
    on conflict (idempotency_key) do nothing
    returning id`);
  const accepted = db.$with('accepted', { id: sql<string>`id` }).as(sql`
    update invitations set accepted_at = ${p.at}::timestamptz, accepted_by = ${p.user}::uuid
    where id = ${p.invitation}::uuid and accepted_at is null and revoked_at is null and exists (select 1 from placed)
    returning id`);
  return db
    .with(seat, placed, mail, accepted)
    .select({
      id: sql<string | null>`placed.id`,
      status: sql<EnrolmentStatus | null>`placed.status`,
      position: sql<number | null>`case when placed.status = 'waitlisted' then (
        select count(*)::int from enrolments w
        where w.offering_id = ${p.offering}::uuid and w.status = 'waitlisted' and w.waitlist_seq < placed.waitlist_seq
      ) + 1 end`,
      mailId: sql<string | null>`(select id from mail)`,
      guard: sql<number | null>`case
        when placed.id is null and exists (select 1 from seat)
          then (${sql.raw(`'${UNDO}duplicate:'`)} || (select count(*) from seat))::int
        when ${p.mustAccept}::boolean and placed.id is not null and not exists (select 1 from accepted)
          then (${sql.raw(`'${UNDO}invitation-used:'`)} || (select count(*) from accepted))::int
      end`,
    })
    .from(sql`(select 1) as one`)
    .leftJoin(placed, sql`true`)
    .prepare('enrolment_place');
}

const placeStatements = new WeakMap<Executor, ReturnType<typeof placeStatement>>();

/** Which undo, if this error is one of placeStatement's; drivers wrap errors, so the causes are searched too. */
function undoneBecause(error: unknown): 'duplicate' | 'invitation-used' | null {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const text = String((e as { message?: unknown }).message ?? '');
    if (text.includes(`${UNDO}duplicate`)) return 'duplicate';
    if (text.includes(`${UNDO}invitation-used`)) return 'invitation-used';
  }
  return null;
}

/**
 * Enrols a person, or puts them on the waitlist (DESIGN.md §4): the rules
 * are checked on a fresh read, then one statement takes the seat, writes the
 * row and queues the confirmation email, atomically (see placeStatement). A
 * second submission finds the row and is told "already enrolled".
 */
export async function enrol(context: AppContext, input: EnrolInput, now: Date): Promise<EnrolResult> {
  const { person } = input;
  const facts = input.facts !== undefined ? input.facts : await loadEnrolmentFacts(context.db, input.offering, person);
  if (!facts) return { ok: false, refusal: { reason: 'not-found' }, offering: null };
  const offering = { id: facts.offering.id, slug: facts.offering.slug, title: facts.offering.title };
  const viaInvitation = input.invitationId !== undefined;
  const check = checkEnrolment({
    offering: facts.offering,
    person: { emailVerified: person.emailVerified, staffStatus: person.staffStatus, invited: facts.invitation !== null },
    enrolment: facts.enrolment,
    now,
    viaInvitation,
  });
  if (!check.ok) return { ok: false, refusal: check.refusal, offering };

  // Rendered up front (cheap) so the statement can queue it; unused when the person ends up waiting.
  const mailKey = `enrolment-confirmed:${offering.id}:${person.id}:${now.getTime()}`;
  const email = renderEmail(
    'enrolment-confirmed',
    person.locale,
    {
      name: person.fullName,
      offeringTitle: facts.offering.title,
      dates: formatRunDates(facts.offering.startsAt, facts.offering.endsAt, person.timeZone, person.locale),
      ...offeringLinks(context.config.appUrl, offering.slug),
    },
    { appUrl: context.config.appUrl, organisationName: context.config.organisationName },
  );
  // The calendar invitation to the sessions ahead (METHOD:REQUEST), attached to the confirmation.
  // Courses without live sessions (most MOOCs) skip the query for them: one round trip fewer per enrolment.
  const attachments = facts.offering.hasLiveSessions
    ? await invitationAttachments(
        context.db,
        offering.id,
        { email: person.email, fullName: person.fullName, locale: person.locale },
        calendarSite(context.config),
        now,
      )
    : [];
  // The invitation to use up: the link's (which must still be unused), else a pending one for the person's address.
  const invitationId = input.invitationId ?? (facts.invitation && !facts.invitation.accepted ? facts.invitation.id : null);

  let statement = placeStatements.get(context.db);
  if (!statement) {
    statement = placeStatement(context.db);
    placeStatements.set(context.db, statement);
  }
  let placed;
  try {
    [placed] = await statement.execute({
      offeringId: offering.id,
      userId: person.id,
      source: viaInvitation || facts.invitation ? 'invitation' : 'self',
      at: now.toISOString(),
      invitationId,
      mustAccept: viaInvitation,
      mailKey,
      messageId: messageIdFor(mailKey, context.config.appUrl),
      locale: person.locale,
      to: person.email,
      subject: email.subject,
      html: email.html,
      text: email.text,
      attachments: JSON.stringify(attachments),
    });
  } catch (error) {
    const undone = undoneBecause(error);
    if (undone === 'invitation-used') return { ok: false, refusal: { reason: 'invitation-used' }, offering };
    if (undone !== 'duplicate') throw error;
  }
  if (!placed?.id || !placed.status) {
    // Nothing kept: the person already has a row (a second submission that raced past the
    // check), or the offering is full and has no waitlist.
    const [existing] = await context.db
      .select({ status: enrolments.status })
      .from(enrolments)
      .where(and(eq(enrolments.offeringId, offering.id), eq(enrolments.userId, person.id)));
    const refusal: EnrolRefusal =
      existing?.status === 'enrolled'
        ? { reason: 'already-enrolled' }
        : existing?.status === 'completed'
          ? { reason: 'already-completed' }
          : existing?.status === 'waitlisted'
            ? { reason: 'already-waitlisted', position: null }
            : { reason: 'full' };
    return { ok: false, refusal, offering };
  }
  // Committed: a seat fewer on the catalogue's card.
  catalogueChanged();
  if (placed.mailId) await dispatchEmails(context.jobs, [placed.mailId]);
  const status = placed.status as 'enrolled' | 'waitlisted';
  return { ok: true, status, enrolmentId: placed.id, position: status === 'waitlisted' ? placed.position : null, offering };
}

function offeringLinks(appUrl: string, slug: string) {
  const encoded = encodeURIComponent(slug);
  return { courseUrl: `${appUrl}/learn/${encoded}`, offeringUrl: `${appUrl}/offerings/${encoded}` };
}

/** What promotions need to send their emails from inside the caller's transaction. */
export interface PromotionNotice {
  mailer: Mailer;
  appUrl: string;
  now: Date;
  /** For the calendar invitation to the sessions ahead that the promotion email carries (none without it). */
  calendar?: CalendarSite;
}

export interface Promoted {
  enrolmentId: string;
  userId: string;
  fullName: string;
}

/**
 * Fills free seats from the waitlist, first in line first, in the caller's
 * transaction, and queues each promoted person's email. Call it whenever
 * seats may have freed: someone left or was removed, or the capacity went up
 * or away. The offering row is locked first (the order every enrolment
 * change takes locks in), so the free count cannot change underneath; rows
 * another transaction holds (a person leaving the waitlist right now) are
 * skipped rather than waited for.
 */
export async function promoteIntoFreeSeats(tx: Transaction, offeringId: string, notice: PromotionNotice): Promise<Promoted[]> {
  const [offering] = await tx
    .select({
      id: offerings.id,
      slug: offerings.slug,
      title: offerings.title,
      status: offerings.status,
      capacity: offerings.capacity,
      seatsTaken: offerings.seatsTaken,
      startsAt: offerings.startsAt,
      endsAt: offerings.endsAt,
    })
    .from(offerings)
    .where(eq(offerings.id, offeringId))
    .for('update');
  if (!offering || !promotionsAllowed(offering, notice.now)) return [];
  const free = offering.capacity === null ? null : offering.capacity - offering.seatsTaken;
  if (free !== null && free <= 0) return [];

  const chosen = await tx
    .select({
      enrolmentId: enrolments.id,
      userId: enrolments.userId,
      fullName: users.fullName,
      email: users.email,
      locale: users.locale,
      timeZone: users.timeZone,
    })
    .from(enrolments)
    .innerJoin(users, eq(users.id, enrolments.userId))
    .where(and(eq(enrolments.offeringId, offeringId), eq(enrolments.status, 'waitlisted')))
    .orderBy(asc(enrolments.waitlistSeq))
    // No capacity: everyone waiting comes in.
    .limit(free ?? Number.MAX_SAFE_INTEGER)
    .for('update', { of: enrolments, skipLocked: true });
  if (chosen.length === 0) return [];

  const ids = chosen.map((c) => c.enrolmentId);
  await tx.update(enrolments).set({ status: 'enrolled', enrolledAt: notice.now, updatedAt: notice.now }).where(inArray(enrolments.id, ids));
  await tx
    .update(offerings)
    .set({ seatsTaken: sql`${offerings.seatsTaken} + ${chosen.length}` })
    .where(eq(offerings.id, offeringId));
  const sessions = notice.calendar ? await upcomingSessions(tx, offeringId, notice.now) : [];
  for (const person of chosen) await sendPromotionEmail(notice, offering, person, sessions);
  return chosen.map(({ enrolmentId, userId, fullName }) => ({ enrolmentId, userId, fullName }));
}

async function sendPromotionEmail(
  notice: PromotionNotice,
  offering: { slug: string; title: string; startsAt: Date | null; endsAt: Date | null },
  person: { enrolmentId: string; email: string; fullName: string; locale: EmailLocale; timeZone: string },
  sessions: Awaited<ReturnType<typeof upcomingSessions>>,
) {
  await notice.mailer.send({
    template: 'waitlist-promoted',
    to: person.email,
    locale: person.locale,
    data: {
      name: person.fullName,
      offeringTitle: offering.title,
      dates: formatRunDates(offering.startsAt, offering.endsAt, person.timeZone, person.locale),
      ...offeringLinks(notice.appUrl, offering.slug),
    },
    idempotencyKey: `waitlist-promoted:${person.enrolmentId}:${notice.now.getTime()}`,
    attachments: notice.calendar ? invitationFromSessions(sessions, person, notice.calendar, notice.now) : [],
  });
}

export type WithdrawResult =
  | { ok: true; previous: 'enrolled' | 'waitlisted'; fullName: string; promoted: Promoted[]; offering: { id: string; slug: string; title: string } }
  | { ok: false; refusal: UnenrolRefusal | { reason: 'not-found' } };

/**
 * Ends an enrolment or a waitlist place (the person leaving, or a trainer
 * removing them) and, when a seat was given back, promotes the first in
 * line into it, all in one transaction. Completed enrolments stay.
 */
async function withdraw(
  context: AppContext,
  input: { offeringId: string; match: SQL; removedBy: string | null; now: Date; audit?: { actorId: string; reason?: string } },
): Promise<WithdrawResult> {
  return changingCatalogue(withMailer(context, (tx, mailer) => withdrawInTransaction(tx, mailer, context, input)));
}

/**
 * withdraw's work in the caller's transaction, for a larger use case that
 * must succeed or fail as a whole (deleting an account leaves every offering
 * this way). The caller marks the catalogue changed after commit.
 */
export async function withdrawInTransaction(
  tx: Transaction,
  mailer: Mailer,
  context: AppContext,
  input: { offeringId: string; match: SQL; removedBy: string | null; now: Date; audit?: { actorId: string; reason?: string } },
): Promise<WithdrawResult> {
  const { now } = input;
  // Offering first, then enrolment rows: the order enrolling takes its locks in.
  const [offering] = await tx
    .select({ id: offerings.id, slug: offerings.slug, title: offerings.title })
    .from(offerings)
    .where(eq(offerings.id, input.offeringId))
    .for('update');
  if (!offering) return { ok: false, refusal: { reason: 'not-found' } } as const;
  const [current] = await tx
    .select({ id: enrolments.id, status: enrolments.status, userId: enrolments.userId, fullName: users.fullName })
    .from(enrolments)
    .innerJoin(users, eq(users.id, enrolments.userId))
    .where(and(eq(enrolments.offeringId, offering.id), input.match))
    .for('update', { of: enrolments });
  const check = checkUnenrol(current ?? null);
  if (!check.ok || !current) return { ok: false, refusal: check.ok ? { reason: 'not-enrolled' } : check.refusal } as const;
  const previous = current.status as 'enrolled' | 'waitlisted';
  await tx
    .update(enrolments)
    .set({ status: 'withdrawn', withdrawnAt: now, removedBy: input.removedBy, waitlistSeq: null, updatedAt: now })
    .where(eq(enrolments.id, current.id));
  let promoted: Promoted[] = [];
  if (previous === 'enrolled') {
    await tx
      .update(offerings)
      .set({ seatsTaken: sql`${offerings.seatsTaken} - 1` })
      .where(eq(offerings.id, offering.id));
    promoted = await promoteIntoFreeSeats(tx, offering.id, { mailer, appUrl: context.config.appUrl, now, calendar: calendarSite(context.config) });
    // Their calendar no longer needs the sessions they were invited to.
    await sendLeavingCalendarNotice(tx, mailer, context, { offering, userId: current.userId, enrolmentId: current.id }, now);
  }
  if (input.audit) {
    await recordAudit(tx, {
      actorId: input.audit.actorId,
      action: 'enrolment.removed',
      subjectType: ENROLMENT_SUBJECT,
      subjectId: current.id,
      reason: input.audit.reason,
      details: { offeringId: offering.id, userId: current.userId, previous, promoted: promoted.map((p) => p.userId) },
      at: now,
    });
  }
  return { ok: true, previous, fullName: current.fullName, promoted, offering } as const;
}

/** The person leaves the offering (or its waitlist) of their own accord. */
export function unenrol(context: AppContext, input: { offeringId: string; userId: string }, now: Date): Promise<WithdrawResult> {
  return withdraw(context, { offeringId: input.offeringId, match: eq(enrolments.userId, input.userId), removedBy: null, now });
}

/** A trainer removes a participant (enrolled or waitlisted); audited, and the freed seat goes to the waitlist. */
export function removeParticipant(
  context: AppContext,
  input: { offeringId: string; enrolmentId: string; actorId: string; reason?: string },
  now: Date,
): Promise<WithdrawResult> {
  return withdraw(context, {
    offeringId: input.offeringId,
    match: eq(enrolments.id, input.enrolmentId),
    removedBy: input.actorId,
    now,
    audit: { actorId: input.actorId, reason: input.reason },
  });
}

export type MoveFromWaitlistResult =
  | { ok: true; fullName: string; capacityRaisedTo: number | null }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'not-waitlisted' }
  | { ok: false; reason: 'no-free-seat'; capacity: number; fullName: string };

/**
 * A trainer lets one waitlisted person in, out of turn. Only into a free
 * seat, unless the trainer also asked to raise the capacity by one for them;
 * never past capacity either way. Audited.
 */
export async function moveFromWaitlist(
  context: AppContext,
  input: { offeringId: string; enrolmentId: string; actorId: string; raiseCapacity: boolean },
  now: Date,
): Promise<MoveFromWaitlistResult> {
  return changingCatalogue(withMailer(context, async (tx, mailer) => {
    const [offering] = await tx.select().from(offerings).where(eq(offerings.id, input.offeringId)).for('update');
    if (!offering) return { ok: false, reason: 'not-found' } as const;
    const [person] = await tx
      .select({
        enrolmentId: enrolments.id,
        status: enrolments.status,
        userId: enrolments.userId,
        fullName: users.fullName,
        email: users.email,
        locale: users.locale,
        timeZone: users.timeZone,
      })
      .from(enrolments)
      .innerJoin(users, eq(users.id, enrolments.userId))
      .where(and(eq(enrolments.id, input.enrolmentId), eq(enrolments.offeringId, offering.id)))
      .for('update', { of: enrolments });
    if (!person) return { ok: false, reason: 'not-found' } as const;
    if (person.status !== 'waitlisted') return { ok: false, reason: 'not-waitlisted' } as const;
    let capacityRaisedTo: number | null = null;
    if (!hasFreeSeat(offering)) {
      if (!input.raiseCapacity || offering.capacity === null) {
        return { ok: false, reason: 'no-free-seat', capacity: offering.capacity ?? 0, fullName: person.fullName } as const;
      }
      capacityRaisedTo = offering.capacity + 1;
      await tx.update(offerings).set({ capacity: capacityRaisedTo, updatedAt: now }).where(eq(offerings.id, offering.id));
      await recordAudit(tx, {
        actorId: input.actorId,
        action: 'offering.capacity_raised',
        subjectType: 'offering',
        subjectId: offering.id,
        details: { from: offering.capacity, to: capacityRaisedTo, for: person.userId },
        at: now,
      });
    }
    await tx.update(enrolments).set({ status: 'enrolled', enrolledAt: now, updatedAt: now }).where(eq(enrolments.id, person.enrolmentId));
    await tx
      .update(offerings)
      .set({ seatsTaken: sql`${offerings.seatsTaken} + 1` })
      .where(eq(offerings.id, offering.id));
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'enrolment.moved_from_waitlist',
      subjectType: ENROLMENT_SUBJECT,
      subjectId: person.enrolmentId,
      details: { offeringId: offering.id, userId: person.userId },
      at: now,
    });
    const sessions = await upcomingSessions(tx, offering.id, now);
    await sendPromotionEmail({ mailer, appUrl: context.config.appUrl, now, calendar: calendarSite(context.config) }, offering, person, sessions);
    return { ok: true, fullName: person.fullName, capacityRaisedTo } as const;
  }));
}
