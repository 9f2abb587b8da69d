import { and, asc, count, desc, eq, inArray, ne, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '#db/client';
import { staffValidationRequests, users } from '#db/schema';
import { recordAudit } from '../audit/audit.server';
import type { AppContext } from '../context.server';
import { withMailer } from '../email/outbox.server';
import { offsetFor, pageCount, PAGE_SIZE, type Page } from '../ui/pagination';
import type { QueueStatus } from './schemas';

const SUBJECT = 'staff_validation_request';

/** What /profile/validation shows a participant about their own standing. */
export async function validationOverview(db: Executor, userId: string) {
  const [user] = await db
    .select({ staffStatus: users.staffStatus, country: users.country, school: users.school, schoolRole: users.schoolRole })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user) return null;
  const [pending] = await db
    .select({ id: staffValidationRequests.id, createdAt: staffValidationRequests.createdAt, country: staffValidationRequests.country })
    .from(staffValidationRequests)
    .where(and(eq(staffValidationRequests.userId, userId), eq(staffValidationRequests.status, 'pending')))
    .limit(1);
  const [lastDecision] = await db
    .select({
      status: staffValidationRequests.status,
      decidedAt: staffValidationRequests.decidedAt,
      reason: staffValidationRequests.reason,
    })
    .from(staffValidationRequests)
    .where(and(eq(staffValidationRequests.userId, userId), inArray(staffValidationRequests.status, ['approved', 'rejected'])))
    .orderBy(desc(staffValidationRequests.decidedAt), desc(staffValidationRequests.createdAt))
    .limit(1);
  return { ...user, pending: pending ?? null, lastDecision: lastDecision ?? null };
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

export type RequestValidationResult =
  | { ok: true; requestId: string; country: string }
  | { ok: false; reason: 'already-pending' | 'already-validated' | 'not-found' };

/**
 * Opens a validation request with a snapshot of what the profile says now,
 * and marks the participant as waiting. The user row lock serialises two
 * submissions of one person; the partial unique index is the last word.
 */
export async function requestValidation(
  context: Pick<AppContext, 'db'>,
  userId: string,
  input: { note?: string },
  now: Date,
): Promise<RequestValidationResult> {
  try {
    return await context.db.transaction(async (tx) => {
      const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update').limit(1);
      if (!user) return { ok: false, reason: 'not-found' } as const;
      if (user.staffStatus === 'validated') return { ok: false, reason: 'already-validated' } as const;
      const [open] = await tx
        .select({ id: staffValidationRequests.id })
        .from(staffValidationRequests)
        .where(and(eq(staffValidationRequests.userId, userId), eq(staffValidationRequests.status, 'pending')))
        .limit(1);
      if (open) return { ok: false, reason: 'already-pending' } as const;
      const [created] = await tx
        .insert(staffValidationRequests)
        .values({
          userId,
          country: user.country,
          school: user.school,
          schoolRole: user.schoolRole,
          note: input.note ?? '',
          createdAt: now,
        })
        .returning({ id: staffValidationRequests.id });
      await tx.update(users).set({ staffStatus: 'pending', updatedAt: now }).where(eq(users.id, userId));
      await recordAudit(tx, {
        actorId: userId,
        action: 'validation.requested',
        subjectType: SUBJECT,
        subjectId: created!.id,
        details: { country: user.country, school: user.school, schoolRole: user.schoolRole },
        at: now,
      });
      return { ok: true, requestId: created!.id, country: user.country } as const;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'already-pending' };
    throw error;
  }
}

export interface QueueFilter {
  /** What the reviewer may see: 'all' for admins, else their NSO countries. */
  scope: 'all' | string[];
  /** Narrows to one country inside the scope. */
  country?: string;
  status: QueueStatus;
  page: number;
}

export type QueueRow = Awaited<ReturnType<typeof listValidationQueue>>['rows'][number];

/** The reviewer's queue, oldest first, one page at a time. */
export async function listValidationQueue(db: Executor, filter: QueueFilter) {
  const decider = alias(users, 'decider');
  const conditions: SQL[] = [eq(staffValidationRequests.status, filter.status)];
  if (filter.scope !== 'all') {
    if (filter.scope.length === 0) return { rows: [], total: 0, page: filter.page, pages: 1 };
    conditions.push(inArray(staffValidationRequests.country, filter.scope));
  }
  if (filter.country) conditions.push(eq(staffValidationRequests.country, filter.country));
  const where = and(...conditions);
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(staffValidationRequests).where(where);
  const rows = await db
    .select({
      id: staffValidationRequests.id,
      userId: staffValidationRequests.userId,
      status: staffValidationRequests.status,
      fullName: users.fullName,
      email: users.email,
      school: staffValidationRequests.school,
      schoolRole: staffValidationRequests.schoolRole,
      country: staffValidationRequests.country,
      note: staffValidationRequests.note,
      createdAt: staffValidationRequests.createdAt,
      decidedAt: staffValidationRequests.decidedAt,
      decidedByName: decider.fullName,
      reason: staffValidationRequests.reason,
    })
    .from(staffValidationRequests)
    .innerJoin(users, eq(users.id, staffValidationRequests.userId))
    .leftJoin(decider, eq(decider.id, staffValidationRequests.decidedBy))
    .where(where)
    .orderBy(asc(staffValidationRequests.createdAt), asc(staffValidationRequests.id))
    .limit(PAGE_SIZE)
    .offset(offsetFor(filter.page));
  return { rows, total, page: filter.page, pages: pageCount(total) } satisfies Page<(typeof rows)[number]>;
}

/** Just enough of a request to ask the policy whether the reviewer may decide it. */
export async function findValidationRequest(db: Executor, requestId: string) {
  const [row] = await db
    .select({
      id: staffValidationRequests.id,
      userId: staffValidationRequests.userId,
      country: staffValidationRequests.country,
      status: staffValidationRequests.status,
    })
    .from(staffValidationRequests)
    .where(eq(staffValidationRequests.id, requestId))
    .limit(1);
  return row ?? null;
}

export type Decision = 'approve' | 'reject';

export type DecideResult = { ok: true; participantName: string } | { ok: false; reason: 'not-found' | 'already-decided' | 'own-request' };

/**
 * Decides a pending request in one transaction: the request, the
 * participant's status, the audit entry and the email to the participant (in
 * their language). The conditional UPDATE lets exactly one of two officers
 * deciding at once win; the other is told it was already decided.
 */
export async function decideValidation(
  context: AppContext,
  input: { requestId: string; deciderId: string; decision: Decision; reason: string },
  now: Date,
): Promise<DecideResult> {
  const approved = input.decision === 'approve';
  return withMailer(context, async (tx, mailer) => {
    const [request] = await tx
      .update(staffValidationRequests)
      .set({ status: approved ? 'approved' : 'rejected', decidedBy: input.deciderId, decidedAt: now, reason: input.reason })
      .where(
        and(
          eq(staffValidationRequests.id, input.requestId),
          eq(staffValidationRequests.status, 'pending'),
          // Nobody validates themselves, whatever roles they hold.
          ne(staffValidationRequests.userId, input.deciderId),
        ),
      )
      .returning();
    if (!request) {
      const existing = await findValidationRequest(tx, input.requestId);
      if (!existing) return { ok: false, reason: 'not-found' } as const;
      return { ok: false, reason: existing.userId === input.deciderId ? 'own-request' : 'already-decided' } as const;
    }
    const [participant] = await tx
      .update(users)
      .set({ staffStatus: approved ? 'validated' : 'rejected', updatedAt: now })
      .where(eq(users.id, request.userId))
      .returning({ email: users.email, fullName: users.fullName, locale: users.locale });
    if (!participant) throw new Error('validation request of a missing user');
    await recordAudit(tx, {
      actorId: input.deciderId,
      action: approved ? 'validation.approved' : 'validation.rejected',
      subjectType: SUBJECT,
      subjectId: request.id,
      reason: input.reason,
      details: { userId: request.userId, country: request.country },
      at: now,
    });
    await mailer.send({
      template: 'validation-decision',
      to: participant.email,
      locale: participant.locale,
      data: { name: participant.fullName, approved, reason: input.reason, url: `${context.config.appUrl}/profile/validation` },
      idempotencyKey: `validation-decision:${request.id}`,
    });
    return { ok: true, participantName: participant.fullName } as const;
  });
}

/** Countries that have requests at all, for the admin's country filter. */
export async function countriesWithRequests(db: Executor): Promise<string[]> {
  const rows = await db
    .selectDistinct({ country: staffValidationRequests.country })
    .from(staffValidationRequests)
    .where(ne(staffValidationRequests.country, ''))
    .orderBy(asc(staffValidationRequests.country));
  return rows.map((r) => r.country);
}
