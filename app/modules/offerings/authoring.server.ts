import { and, asc, count, desc, eq, inArray, like, max, notExists, or, sql } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { offeringTrainers, offerings, userRoles, users } from '#db/schema';
import { recordAudit } from '../audit/audit.server';
import { changingCatalogue } from '../catalogue/result-cache.server';
import type { AppContext } from '../context.server';
import { withMailer } from '../email/outbox.server';
import { calendarSite } from '../calendar/calendar.server';
import { promoteIntoFreeSeats } from '../enrolment/enrolment.server';
import { message } from '../forms/messages';
import { offsetFor, pageCount, PAGE_SIZE, type Page } from '../ui/pagination';
import { hasModules, isLiveKind, KIND_DEFAULTS, type OfferingKind } from './kinds';
import { lockOffering, publishCandidate } from './publishing.server';
import { publishProblems, type PublishProblem } from './rules';
import { toZonedLocal } from '../time/zoned';
import { hoursToMinutes, minutesToHours, parseTopics, readZonedField, type DetailsInput, type NewOfferingInput, type OfferingDateField } from './schemas';
import { foldForSearch, offeringSearchText } from './search-text';

/** Audit entries about offerings name this subject type. */
export const OFFERING_SUBJECT = 'offering';

export type OfferingRow = typeof offerings.$inferSelect;

const SLUG_MAX = 80;

/** "Matematikk i Østfold 2026!" → "matematikk-i-ostfold-2026". */
export function slugBase(title: string): string {
  const base = foldForSearch(title)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/, '');
  return base || 'offering';
}

/** The base itself, or the base with the first free -2, -3… Taken under the caller's transaction; the unique index is the last word. */
export async function uniqueSlug(db: Executor, title: string): Promise<string> {
  const base = slugBase(title);
  const escaped = base.replace(/[\\%_]/g, (c) => `\\${c}`);
  const taken = new Set(
    (
      await db
        .select({ slug: offerings.slug })
        .from(offerings)
        .where(or(eq(offerings.slug, base), like(offerings.slug, `${escaped}-%`)))
    ).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/** Runs work again when a concurrent save took the slug it picked (the unique index refused it). */
export async function retryOnSlugClash<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= attempts) throw error;
    }
  }
}

/**
 * Starts a draft of the given kind with the kind's defaults, the creator as
 * its only trainer, and an audit entry, in one transaction. Dates stay empty
 * until the trainer sets them (or, for live kinds, adds sessions).
 */
export async function createOffering(
  context: Pick<AppContext, 'db'>,
  input: NewOfferingInput & { creatorId: string },
  now: Date,
): Promise<{ id: string; slug: string }> {
  return retryOnSlugClash(() =>
    context.db.transaction(async (tx) => {
      const slug = await uniqueSlug(tx, input.title);
      const [created] = await tx
        .insert(offerings)
        .values({
          slug,
          kind: input.kind,
          title: input.title,
          language: input.language,
          organiserTimeZone: input.organiserTimeZone,
          expectedMinutes: KIND_DEFAULTS[input.kind].expectedMinutes,
          certificateEnabled: true,
          pacingMode: 'cohort',
          requiredSessions: 1,
          createdBy: input.creatorId,
          createdAt: now,
          updatedAt: now,
          searchText: offeringSearchText({ title: input.title, summary: '', topics: [] }),
        })
        .returning({ id: offerings.id, slug: offerings.slug });
      await tx.insert(offeringTrainers).values({ offeringId: created!.id, userId: input.creatorId, position: 0 });
      await recordAudit(tx, {
        actorId: input.creatorId,
        action: 'offering.created',
        subjectType: OFFERING_SUBJECT,
        subjectId: created!.id,
        details: { kind: input.kind, slug },
        at: now,
      });
      return created!;
    }),
  );
}

const listColumns = {
  id: offerings.id,
  slug: offerings.slug,
  title: offerings.title,
  kind: offerings.kind,
  status: offerings.status,
  startsAt: offerings.startsAt,
  organiserTimeZone: offerings.organiserTimeZone,
};
// Upcoming and undated drafts first, then the rest newest first.
const listOrder = [sql`${offerings.startsAt} desc nulls first`, desc(offerings.createdAt), asc(offerings.id)];

export type AuthoringListRow = {
  id: string;
  slug: string;
  title: string;
  kind: OfferingKind;
  status: OfferingRow['status'];
  startsAt: Date | null;
  organiserTimeZone: string;
};

/** The offerings the viewer trains (all of them), and one page of every other offering. */
export async function listAuthoringOfferings(db: Executor, viewerId: string, page: number) {
  const mine: AuthoringListRow[] = await db
    .select(listColumns)
    .from(offerings)
    .innerJoin(offeringTrainers, and(eq(offeringTrainers.offeringId, offerings.id), eq(offeringTrainers.userId, viewerId)))
    .orderBy(...listOrder);
  const notMine = notExists(
    db
      .select({ one: sql`1` })
      .from(offeringTrainers)
      .where(and(eq(offeringTrainers.offeringId, offerings.id), eq(offeringTrainers.userId, viewerId))),
  );
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(offerings).where(notMine);
  const rows: AuthoringListRow[] = await db
    .select(listColumns)
    .from(offerings)
    .where(notMine)
    .orderBy(...listOrder)
    .limit(PAGE_SIZE)
    .offset(offsetFor(page));
  const others: Page<AuthoringListRow> = { rows, total, page, pages: pageCount(total) };
  return { mine, others };
}

/** What the authoring layout shows above its tabs. */
export async function offeringHeader(db: Executor, offeringId: string) {
  const [row] = await db
    .select({ id: offerings.id, slug: offerings.slug, title: offerings.title, kind: offerings.kind, status: offerings.status })
    .from(offerings)
    .where(eq(offerings.id, offeringId))
    .limit(1);
  return row ?? null;
}

export async function listOfferingTrainers(db: Executor, offeringId: string) {
  return db
    .select({ id: users.id, fullName: users.fullName, email: users.email })
    .from(offeringTrainers)
    .innerJoin(users, eq(users.id, offeringTrainers.userId))
    .where(eq(offeringTrainers.offeringId, offeringId))
    .orderBy(asc(offeringTrainers.position), asc(users.fullName));
}

export async function findOffering(db: Executor, offeringId: string): Promise<OfferingRow | null> {
  const [row] = await db.select().from(offerings).where(eq(offerings.id, offeringId)).limit(1);
  return row ?? null;
}

/** Everything the details page needs: the offering, its trainers, and what still stands between it and publishing. */
export async function offeringForAuthoring(db: Executor, offeringId: string) {
  const row = await findOffering(db, offeringId);
  if (!row) return null;
  const [trainers, candidate] = await Promise.all([listOfferingTrainers(db, offeringId), publishCandidate(db, row)]);
  return { offering: row, trainers, problems: publishProblems(candidate), sessionCount: candidate.sessions.length, moduleCount: candidate.moduleCount };
}

export type SaveDetailsResult =
  | { ok: true; published: boolean }
  | { ok: false; reason: 'not-found' }
  /** `saved`: a draft keeps the edits even when it cannot be published yet; a published offering refuses them. */
  | { ok: false; reason: 'rules'; problems: PublishProblem[]; saved: boolean };

/** The columns a details form sets, read from the validated input; what the kind derives or does not use keeps its stored value. */
export function detailsToColumns(current: OfferingRow, input: DetailsInput) {
  const zone = input.organiserTimeZone;
  const instant = (field: OfferingDateField): Date | null => {
    const read = readZonedField(input[field], zone);
    return read.ok ? read.instant : null;
  };
  const live = isLiveKind(current.kind);
  const topics = parseTopics(input.topics);
  const summary = input.summary ?? '';
  return {
    title: input.title,
    summary,
    description: input.description ?? '',
    language: input.language,
    topics,
    targetAudiences: [...new Set(input.targetAudiences)],
    eligibility: input.eligibility,
    expectedMinutes: hoursToMinutes(input.expectedHours),
    organiserTimeZone: zone,
    enrolmentOpensAt: instant('enrolmentOpensAt'),
    enrolmentClosesAt: instant('enrolmentClosesAt'),
    // Live kinds take their window from their sessions (sessions.server.ts keeps it).
    startsAt: live ? current.startsAt : instant('startsAt'),
    endsAt: live ? current.endsAt : instant('endsAt'),
    completionDeadline: instant('completionDeadline'),
    capacity: input.capacity ?? null,
    waitlistEnabled: input.waitlistEnabled,
    certificateEnabled: input.certificateEnabled,
    pacingMode: hasModules(current.kind) ? input.pacingMode : current.pacingMode,
    maxDeadlineShifts: hasModules(current.kind) ? input.maxDeadlineShifts : current.maxDeadlineShifts,
    requiredSessions: current.kind === 'online_event' ? input.requiredSessions : current.requiredSessions,
    searchText: offeringSearchText({ title: input.title, summary, topics }),
  };
}

/**
 * Saves the details form. A draft is saved whatever it holds; with
 * `publish` it is then published if the rules allow, else kept as a draft
 * and the problems returned. A published offering must always satisfy the
 * rules, so a save that would break one changes nothing.
 */
export async function saveOfferingDetails(
  context: AppContext,
  input: { offeringId: string; actorId: string; details: DetailsInput },
  now: Date,
): Promise<SaveDetailsResult> {
  return changingCatalogue(withMailer(context, async (tx, mailer) => {
    const current = await lockOffering(tx, input.offeringId);
    if (!current) return { ok: false, reason: 'not-found' } as const;
    const columns = { ...detailsToColumns(current, input.details), updatedAt: now };
    const next = { ...current, ...columns };
    if (next.capacity !== null && next.capacity < current.seatsTaken) {
      const problem: PublishProblem = { field: 'capacity', key: 'authoring.errors.capacityBelowSeats', params: { seats: current.seatsTaken } };
      return { ok: false, reason: 'rules', problems: [problem], saved: false } as const;
    }
    const problems = publishProblems(await publishCandidate(tx, next));
    if (current.status === 'published' && problems.length > 0) return { ok: false, reason: 'rules', problems, saved: false } as const;
    const publishing = input.details.intent === 'publish' && current.status === 'draft';
    const publishNow = publishing && problems.length === 0;
    await tx
      .update(offerings)
      .set({ ...columns, ...(publishNow ? { status: 'published' as const, publishedAt: now } : {}) })
      .where(eq(offerings.id, current.id));
    if (publishNow) {
      await recordAudit(tx, { actorId: input.actorId, action: 'offering.published', subjectType: OFFERING_SUBJECT, subjectId: current.id, at: now });
    }
    // Places freed by a raised (or removed) capacity go to the waitlist at once, in this transaction.
    await promoteIntoFreeSeats(tx, current.id, { mailer, appUrl: context.config.appUrl, now, calendar: calendarSite(context.config) });
    if (publishing && problems.length > 0) return { ok: false, reason: 'rules', problems, saved: true } as const;
    return { ok: true, published: publishNow } as const;
  }));
}

export type StatusIntent = 'unpublish' | 'archive' | 'restore';
const STATUS_MOVES: Record<StatusIntent, { from: OfferingRow['status'][]; to: OfferingRow['status']; action: string }> = {
  unpublish: { from: ['published'], to: 'draft', action: 'offering.unpublished' },
  archive: { from: ['draft', 'published'], to: 'archived', action: 'offering.archived' },
  restore: { from: ['archived'], to: 'draft', action: 'offering.restored' },
};

export type StatusChangeResult = { ok: true } | { ok: false; reason: 'not-found' | 'wrong-status' };

/** Unpublish (back to draft), archive, or bring an archived offering back as a draft; audited. */
export async function changeOfferingStatus(
  context: Pick<AppContext, 'db'>,
  input: { offeringId: string; actorId: string; intent: StatusIntent },
  now: Date,
): Promise<StatusChangeResult> {
  const move = STATUS_MOVES[input.intent];
  return changingCatalogue(context.db.transaction(async (tx) => {
    const current = await lockOffering(tx, input.offeringId);
    if (!current) return { ok: false, reason: 'not-found' } as const;
    if (!move.from.includes(current.status)) return { ok: false, reason: 'wrong-status' } as const;
    await tx.update(offerings).set({ status: move.to, updatedAt: now }).where(eq(offerings.id, current.id));
    await recordAudit(tx, {
      actorId: input.actorId,
      action: move.action,
      subjectType: OFFERING_SUBJECT,
      subjectId: current.id,
      details: { from: current.status, to: move.to },
      at: now,
    });
    return { ok: true } as const;
  }));
}

export type AddTrainerResult = { ok: true; fullName: string } | { ok: false; reason: 'not-found' | 'no-such-trainer' | 'already-trainer' };

/** Adds a person with the trainer role, found by email, as a trainer of the offering; audited. */
export async function addOfferingTrainer(
  context: Pick<AppContext, 'db'>,
  input: { offeringId: string; actorId: string; email: string },
  now: Date,
): Promise<AddTrainerResult> {
  return changingCatalogue(context.db.transaction(async (tx) => {
    const current = await lockOffering(tx, input.offeringId);
    if (!current) return { ok: false, reason: 'not-found' } as const;
    const [person] = await tx
      .select({ id: users.id, fullName: users.fullName })
      .from(users)
      .innerJoin(userRoles, and(eq(userRoles.userId, users.id), eq(userRoles.role, 'trainer')))
      .where(eq(users.email, input.email.toLowerCase()))
      .limit(1);
    if (!person) return { ok: false, reason: 'no-such-trainer' } as const;
    const [{ last } = { last: null }] = await tx
      .select({ last: max(offeringTrainers.position) })
      .from(offeringTrainers)
      .where(eq(offeringTrainers.offeringId, current.id));
    const inserted = await tx
      .insert(offeringTrainers)
      .values({ offeringId: current.id, userId: person.id, position: (last ?? -1) + 1 })
      .onConflictDoNothing()
      .returning({ userId: offeringTrainers.userId });
    if (inserted.length === 0) return { ok: false, reason: 'already-trainer' } as const;
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'offering.trainer_added',
      subjectType: OFFERING_SUBJECT,
      subjectId: current.id,
      details: { userId: person.id },
      at: now,
    });
    return { ok: true, fullName: person.fullName } as const;
  }));
}

export type RemoveTrainerResult = { ok: true; fullName: string } | { ok: false; reason: 'not-found' | 'not-a-trainer' | 'last-trainer' };

/** Removes a trainer, never the last one (the row lock keeps two removals from both passing the check); audited. */
export async function removeOfferingTrainer(
  context: Pick<AppContext, 'db'>,
  input: { offeringId: string; actorId: string; userId: string },
  now: Date,
): Promise<RemoveTrainerResult> {
  return changingCatalogue(context.db.transaction(async (tx) => {
    const current = await lockOffering(tx, input.offeringId);
    if (!current) return { ok: false, reason: 'not-found' } as const;
    const trainers = await listOfferingTrainers(tx, current.id);
    const person = trainers.find((t) => t.id === input.userId);
    if (!person) return { ok: false, reason: 'not-a-trainer' } as const;
    if (trainers.length <= 1) return { ok: false, reason: 'last-trainer' } as const;
    await tx.delete(offeringTrainers).where(and(eq(offeringTrainers.offeringId, current.id), inArray(offeringTrainers.userId, [person.id])));
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'offering.trainer_removed',
      subjectType: OFFERING_SUBJECT,
      subjectId: current.id,
      details: { userId: person.id },
      at: now,
    });
    return { ok: true, fullName: person.fullName } as const;
  }));
}

/** The details form filled in from the stored offering: wall times in the organiser's zone, hours, topics as one line. */
export function detailsFormValues(row: OfferingRow) {
  const zone = row.organiserTimeZone;
  return {
    title: row.title,
    summary: row.summary,
    description: row.description,
    language: row.language,
    topics: row.topics.join(', '),
    targetAudiences: row.targetAudiences,
    eligibility: row.eligibility,
    expectedHours: minutesToHours(row.expectedMinutes),
    organiserTimeZone: zone,
    enrolmentOpensAt: toZonedLocal(row.enrolmentOpensAt, zone),
    enrolmentClosesAt: toZonedLocal(row.enrolmentClosesAt, zone),
    startsAt: toZonedLocal(row.startsAt, zone),
    endsAt: toZonedLocal(row.endsAt, zone),
    completionDeadline: toZonedLocal(row.completionDeadline, zone),
    capacity: row.capacity === null ? '' : String(row.capacity),
    waitlistEnabled: row.waitlistEnabled ? 'on' : '',
    certificateEnabled: row.certificateEnabled ? 'on' : '',
    pacingMode: row.pacingMode,
    maxDeadlineShifts: String(row.maxDeadlineShifts),
    requiredSessions: String(row.requiredSessions),
  };
}

/** Publish problems as conform errors: each next to its field, and all of them at the top of the form. */
export function problemErrors(problems: PublishProblem[]): { formErrors: string[]; fieldErrors: Record<string, string[]> } {
  const fieldErrors: Record<string, string[]> = {};
  const formErrors: string[] = [];
  for (const p of problems) {
    const text = message(p.key, p.params);
    (fieldErrors[p.field] ??= []).push(text);
    formErrors.push(text);
  }
  return { formErrors, fieldErrors };
}
