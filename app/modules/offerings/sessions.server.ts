import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { liveSessions, offerings } from '#db/schema';
import { recordAudit } from '../audit/audit.server';
import type { AppContext } from '../context.server';
import { OFFERING_SUBJECT, type OfferingRow } from './authoring.server';
import { isLiveKind } from './kinds';
import { keepPublishable, lockOffering, refuseBrokenRules, type RulesRefusal } from './publishing.server';

export type LiveSessionRow = typeof liveSessions.$inferSelect;

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
  joinUrl: string;
  capacityNote: string;
}

export type SessionChangeResult = { ok: true } | { ok: false; reason: 'not-found' } | RulesRefusal;

/**
 * Runs one session change under the offering's row lock, keeps the live
 * window, and refuses (rolling back) a change that leaves a published
 * offering breaking the publish rules.
 */
async function changeSessions(
  context: Pick<AppContext, 'db'>,
  offeringId: string,
  now: Date,
  change: (tx: Executor, offering: OfferingRow) => Promise<boolean>,
): Promise<SessionChangeResult> {
  return refuseBrokenRules(() =>
    context.db.transaction(async (tx) => {
      const offering = await lockOffering(tx, offeringId);
      if (!offering) return { ok: false, reason: 'not-found' } as const;
      if (!(await change(tx, offering))) return { ok: false, reason: 'not-found' } as const;
      const window = await recomputeLiveWindow(tx, offering, now);
      await keepPublishable(tx, { ...offering, ...(window ?? {}) });
      return { ok: true } as const;
    }),
  );
}

export function addLiveSession(context: Pick<AppContext, 'db'>, input: { offeringId: string; actorId: string; fields: SessionFields }, now: Date) {
  return changeSessions(context, input.offeringId, now, async (tx, offering) => {
    const [created] = await tx
      .insert(liveSessions)
      .values({ offeringId: offering.id, ...input.fields })
      .returning({ id: liveSessions.id });
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'offering.session_added',
      subjectType: OFFERING_SUBJECT,
      subjectId: offering.id,
      details: { sessionId: created!.id, startsAt: input.fields.startsAt.toISOString() },
      at: now,
    });
    return true;
  });
}

/** Edits a session; a new start or length raises its calendar SEQUENCE, so invitations already sent are replaced. */
export function updateLiveSession(
  context: Pick<AppContext, 'db'>,
  input: { offeringId: string; actorId: string; sessionId: string; fields: SessionFields },
  now: Date,
) {
  return changeSessions(context, input.offeringId, now, async (tx, offering) => {
    const [existing] = await tx
      .select()
      .from(liveSessions)
      .where(and(eq(liveSessions.id, input.sessionId), eq(liveSessions.offeringId, offering.id)))
      .limit(1);
    if (!existing) return false;
    const rescheduled = existing.startsAt.getTime() !== input.fields.startsAt.getTime() || existing.durationMinutes !== input.fields.durationMinutes;
    await tx
      .update(liveSessions)
      .set({ ...input.fields, sequence: rescheduled ? existing.sequence + 1 : existing.sequence })
      .where(eq(liveSessions.id, existing.id));
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
    return true;
  });
}

export function removeLiveSession(context: Pick<AppContext, 'db'>, input: { offeringId: string; actorId: string; sessionId: string }, now: Date) {
  return changeSessions(context, input.offeringId, now, async (tx, offering) => {
    const removed = await tx
      .delete(liveSessions)
      .where(and(eq(liveSessions.id, input.sessionId), eq(liveSessions.offeringId, offering.id)))
      .returning({ id: liveSessions.id, startsAt: liveSessions.startsAt });
    if (removed.length === 0) return false;
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'offering.session_removed',
      subjectType: OFFERING_SUBJECT,
      subjectId: offering.id,
      details: { sessionId: removed[0]!.id, startsAt: removed[0]!.startsAt.toISOString() },
      at: now,
    });
    return true;
  });
}
