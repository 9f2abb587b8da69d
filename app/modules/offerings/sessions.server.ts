import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Executor, Transaction } from '#db/client';
import { liveSessions, offerings } from '#db/schema';
import { recordAudit } from '../audit/audit.server';
import type { AppContext } from '../context.server';
import { withMailer } from '../email/outbox.server';
import { catalogueChanged } from '../catalogue/result-cache.server';
import { noticeSessionChange, type AfterCommit, type SessionChange } from '../live/session-changes.server';
import { OFFERING_SUBJECT, type OfferingRow } from './authoring.server';
import { isLiveKind } from './kinds';
import { keepPublishable, lockOffering, refuseBrokenRules, type RulesRefusal } from './publishing.server';

export type { LiveSessionRow } from '../live/session-changes.server';

export async function listLiveSessions(db: Executor, offeringId: string) {
  return db.select().from(liveSessions).where(eq(liveSessions.offeringId, offeringId)).orderBy(asc(liveSessions.startsAt), asc(liveSessions.id));
}

/**
 * The sessions as the Sessions tab shows them. Join links only for those who
 * may edit the offering: anyone else could pass them on or walk into a
 * session they do not run.
 */
export async function sessionsForAuthoring(db: Executor, offeringId: string, opts: { canEdit: boolean }) {
  const rows = await listLiveSessions(db, offeringId);
  return rows.map((s) => ({
    id: s.id,
    title: s.title,
    startsAt: s.startsAt,
    organiserTimeZone: s.organiserTimeZone,
    durationMinutes: s.durationMinutes,
    attendanceThresholdPercent: s.attendanceThresholdPercent,
    ...(opts.canEdit ? { joinUrl: s.joinUrl } : {}),
    capacityNote: s.capacityNote,
    cancelled: s.cancelledAt !== null,
  }));
}

/**
 * Live kinds run from their first session's start to their last session's
 * end; courses keep the window the trainer entered. Call after every session
 * change, inside the same transaction.
 */
export async function recomputeLiveWindow(tx: Executor, offering: Pick<OfferingRow, 'id' | 'kind'>, now: Date) {
  if (!isLiveKind(offering.kind)) return null;
  const sessions = await tx
    .select({ startsAt: liveSessions.startsAt, durationMinutes: liveSessions.durationMinutes })
    .from(liveSessions)
    .where(and(eq(liveSessions.offeringId, offering.id), isNull(liveSessions.cancelledAt)));
  let startsAt: Date | null = null;
  let endsAt: Date | null = null;
  for (const s of sessions) {
    const end = new Date(s.startsAt.getTime() + s.durationMinutes * 60_000);
    if (!startsAt || s.startsAt < startsAt) startsAt = s.startsAt;
    if (!endsAt || end > endsAt) endsAt = end;
  }
  await tx.update(offerings).set({ startsAt, endsAt, updatedAt: now }).where(eq(offerings.id, offering.id));
  return { startsAt, endsAt };
}

export interface SessionFields {
  title: string;
  startsAt: Date;
  /** The zone the start was entered in (the offering's organiser zone). */
  organiserTimeZone: string;
  durationMinutes: number;
  /** Attended when present for this share of the length; the column's default (75 %) when left out. */
  attendanceThresholdPercent?: number;
  joinUrl: string;
  capacityNote: string;
}

export type SessionChangeResult = { ok: true } | { ok: false; reason: 'not-found' | 'already-cancelled' } | RulesRefusal;

/**
 * Runs one session change under the offering's row lock, keeps the live
 * window, refuses (rolling back) a change that leaves a published offering
 * breaking the publish rules, and tells participants (calendar emails in the
 * same transaction; reminder jobs after commit).
 */
async function changeSessions(
  context: AppContext,
  offeringId: string,
  now: Date,
  change: (tx: Transaction, offering: OfferingRow) => Promise<Omit<SessionChange, 'offering'> | 'not-found' | 'already-cancelled'>,
): Promise<SessionChangeResult> {
  const afterCommit: AfterCommit[] = [];
  const result = await refuseBrokenRules(() =>
    withMailer(context, async (tx, mailer) => {
      const offering = await lockOffering(tx, offeringId);
      if (!offering) return { ok: false, reason: 'not-found' } as const;
      const changed = await change(tx, offering);
      if (changed === 'not-found' || changed === 'already-cancelled') return { ok: false, reason: changed } as const;
      const window = await recomputeLiveWindow(tx, offering, now);
      await keepPublishable(tx, { ...offering, ...(window ?? {}) });
      afterCommit.push(...(await noticeSessionChange(tx, mailer, context, { ...changed, offering }, now)));
      return { ok: true } as const;
    }),
  );
  // Committed (or rolled back): the catalogue must not keep showing the old dates.
  catalogueChanged();
  if (result.ok) {
    for (const work of afterCommit) {
      try {
        await work(context);
      } catch (error) {
        // The change is committed; what failed here (queueing jobs) is healed by the sweeps.
        console.error('[sessions] after-commit work failed', error);
      }
    }
  }
  return result;
}

export function addLiveSession(context: AppContext, input: { offeringId: string; actorId: string; fields: SessionFields }, now: Date) {
  return changeSessions(context, input.offeringId, now, async (tx, offering) => {
    const [created] = await tx
      .insert(liveSessions)
      .values({ offeringId: offering.id, ...input.fields })
      .returning();
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'offering.session_added',
      subjectType: OFFERING_SUBJECT,
      subjectId: offering.id,
      details: { sessionId: created!.id, startsAt: input.fields.startsAt.toISOString() },
      at: now,
    });
    return { kind: 'added', session: created! };
  });
}

async function findSession(tx: Executor, offeringId: string, sessionId: string) {
  const [existing] = await tx
    .select()
    .from(liveSessions)
    .where(and(eq(liveSessions.id, sessionId), eq(liveSessions.offeringId, offeringId)))
    .limit(1);
  return existing ?? null;
}

/** Edits a session; a new start or length raises its calendar SEQUENCE, so invitations already sent are replaced. */
export function updateLiveSession(context: AppContext, input: { offeringId: string; actorId: string; sessionId: string; fields: SessionFields }, now: Date) {
  return changeSessions(context, input.offeringId, now, async (tx, offering) => {
    const existing = await findSession(tx, offering.id, input.sessionId);
    if (!existing) return 'not-found';
    if (existing.cancelledAt) return 'already-cancelled';
    const rescheduled = existing.startsAt.getTime() !== input.fields.startsAt.getTime() || existing.durationMinutes !== input.fields.durationMinutes;
    // Calendar programs only take a change whose SEQUENCE is higher, so a new title or link raises it too.
    const [updated] = await tx
      .update(liveSessions)
      .set({ ...input.fields, sequence: existing.sequence + 1 })
      .where(eq(liveSessions.id, existing.id))
      .returning();
    if (rescheduled) {
      await recordAudit(tx, {
        actorId: input.actorId,
        action: 'offering.session_rescheduled',
        subjectType: OFFERING_SUBJECT,
        subjectId: offering.id,
        details: { sessionId: existing.id, from: existing.startsAt.toISOString(), to: input.fields.startsAt.toISOString() },
        at: now,
      });
    }
    return { kind: rescheduled ? 'rescheduled' : 'edited', session: updated!, previous: existing };
  });
}

/**
 * Cancels a session: it stays (with its joins and attendance) marked
 * cancelled, participants get a calendar CANCEL, and its reminders stop.
 */
export function cancelLiveSession(context: AppContext, input: { offeringId: string; actorId: string; sessionId: string; reason: string }, now: Date) {
  return changeSessions(context, input.offeringId, now, async (tx, offering) => {
    const existing = await findSession(tx, offering.id, input.sessionId);
    if (!existing) return 'not-found';
    if (existing.cancelledAt) return 'already-cancelled';
    const [cancelled] = await tx
      .update(liveSessions)
      .set({ cancelledAt: now, sequence: existing.sequence + 1 })
      .where(eq(liveSessions.id, existing.id))
      .returning();
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'offering.session_cancelled',
      subjectType: OFFERING_SUBJECT,
      subjectId: offering.id,
      reason: input.reason,
      details: { sessionId: existing.id, startsAt: existing.startsAt.toISOString() },
      at: now,
    });
    return { kind: 'cancelled', session: cancelled!, previous: existing };
  });
}

export function removeLiveSession(context: AppContext, input: { offeringId: string; actorId: string; sessionId: string }, now: Date) {
  return changeSessions(context, input.offeringId, now, async (tx, offering) => {
    const removed = await tx
      .delete(liveSessions)
      .where(and(eq(liveSessions.id, input.sessionId), eq(liveSessions.offeringId, offering.id)))
      .returning();
    if (removed.length === 0) return 'not-found';
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'offering.session_removed',
      subjectType: OFFERING_SUBJECT,
      subjectId: offering.id,
      details: { sessionId: removed[0]!.id, startsAt: removed[0]!.startsAt.toISOString() },
      at: now,
    });
    return { kind: 'removed', session: removed[0]! };
  });
}
