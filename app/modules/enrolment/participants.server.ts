import { and, asc, count, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { enrolments, users } from '#db/schema';
import type { RequestContext } from '../context.server';
import { requireOfferingPermission } from '../offerings/access.server';
import { likePattern, offsetFor, pageCount, PAGE_SIZE, type Page } from '../ui/pagination';
import type { ParticipantStatus } from './schemas';

/**
 * The participant list and its CSV are for the offering's own trainers and
 * admins. Anyone else signed in gets 404 (another trainer included), so an id
 * in the address reveals nothing; anonymous visitors are sent to sign in.
 */
export function requireParticipantManager(context: RequestContext, request: Request, offeringId: string | undefined) {
  return requireOfferingPermission(context, request, offeringId, 'offering.participants.manage');
}

export interface ParticipantFilter {
  status?: ParticipantStatus;
  q?: string;
}

export interface ParticipantRow {
  enrolmentId: string;
  userId: string;
  fullName: string;
  email: string;
  /** The person deleted their account: name and address are erased, pages say "deleted user". */
  deleted: boolean;
  country: string;
  school: string;
  status: ParticipantStatus;
  source: 'self' | 'invitation' | 'trainer';
  enrolledAt: Date | null;
  completedAt: Date | null;
  withdrawnAt: Date | null;
  removed: boolean;
  /** Rank on the waitlist (1 = next in line), for waitlisted people. */
  waitlistPosition: number | null;
}

function participantQuery(db: Executor, offeringId: string, filter: ParticipantFilter) {
  // Positions are ranks among everyone waiting, whatever the search shows.
  const ranks = db
    .select({ id: enrolments.id, position: sql<number>`(row_number() over (order by ${enrolments.waitlistSeq}))::int`.as('position') })
    .from(enrolments)
    .where(and(eq(enrolments.offeringId, offeringId), eq(enrolments.status, 'waitlisted')))
    .as('ranks');
  const conditions: SQL[] = [eq(enrolments.offeringId, offeringId)];
  if (filter.status) conditions.push(eq(enrolments.status, filter.status));
  if (filter.q) {
    const pattern = likePattern(filter.q);
    conditions.push(or(ilike(users.fullName, pattern), ilike(users.email, pattern))!);
  }
  const where = and(...conditions);
  const rows = db
    .select({
      enrolmentId: enrolments.id,
      userId: users.id,
      fullName: users.fullName,
      email: users.email,
      deleted: sql<boolean>`${users.deletedAt} is not null`,
      country: users.country,
      school: users.school,
      status: enrolments.status,
      source: enrolments.source,
      enrolledAt: enrolments.enrolledAt,
      completedAt: enrolments.completedAt,
      withdrawnAt: enrolments.withdrawnAt,
      removed: sql<boolean>`${enrolments.removedBy} is not null`,
      waitlistPosition: ranks.position,
    })
    .from(enrolments)
    .innerJoin(users, eq(users.id, enrolments.userId))
    .leftJoin(ranks, eq(ranks.id, enrolments.id))
    .where(where)
    // Those with a place first, then the waitlist in its order, then those who left; names alphabetically.
    .orderBy(
      sql`case ${enrolments.status} when 'enrolled' then 0 when 'completed' then 1 when 'waitlisted' then 2 else 3 end`,
      asc(ranks.position),
      sql`lower(${users.fullName})`,
      asc(enrolments.id),
    );
  return { rows, where };
}

/** One page of an offering's participants, with how many there are of each status. */
export async function listParticipants(db: Executor, offeringId: string, filter: ParticipantFilter & { page: number }) {
  const { rows, where } = participantQuery(db, offeringId, filter);
  const [pageRows, [{ total } = { total: 0 }], byStatus] = await Promise.all([
    rows.limit(PAGE_SIZE).offset(offsetFor(filter.page)),
    db.select({ total: count() }).from(enrolments).innerJoin(users, eq(users.id, enrolments.userId)).where(where),
    db.select({ status: enrolments.status, n: count() }).from(enrolments).where(eq(enrolments.offeringId, offeringId)).groupBy(enrolments.status),
  ]);
  const counts: Record<ParticipantStatus, number> = { enrolled: 0, waitlisted: 0, completed: 0, withdrawn: 0 };
  for (const row of byStatus) counts[row.status] = row.n;
  const page: Page<ParticipantRow> = { rows: pageRows, total, page: filter.page, pages: pageCount(total) };
  return { ...page, counts };
}

/** Every participant the filter selects, for the CSV export. */
export async function allParticipants(db: Executor, offeringId: string, filter: ParticipantFilter): Promise<ParticipantRow[]> {
  return participantQuery(db, offeringId, filter).rows;
}

/** One participant row of an offering, or null when the id names none of its rows (another offering's included). */
export async function findParticipant(db: Executor, offeringId: string, enrolmentId: string) {
  const [row] = await db
    .select({ enrolmentId: enrolments.id, fullName: users.fullName, email: users.email, status: enrolments.status })
    .from(enrolments)
    .innerJoin(users, eq(users.id, enrolments.userId))
    .where(and(eq(enrolments.id, enrolmentId), eq(enrolments.offeringId, offeringId)));
  return row ?? null;
}
