import { createHash, randomUUID } from 'node:crypto';
import { and, asc, count, countDistinct, eq, inArray, isNotNull, isNull, max, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Executor } from '#db/client';
import { activities, activityProgress, liveSessions, modules, offerings, type ActivityContent } from '#db/schema';
import { recordAudit } from '../audit/audit.server';
import type { AppContext } from '../context.server';
import { recheckCompletions } from '../learning/completion.server';
import { hasModules, type ActivityKind, type OfferingKind } from './kinds';
import { renderMarkdown } from '../markdown/markdown';
import { toZonedLocal } from '../time/zoned';
import { readOnlyContent } from './activity-content';
import { keepPublishable, lockOffering, refuseBrokenRules, standingProblems, type RulesRefusal } from './publishing.server';
import { activityDefaults, emptyContent, markdownFieldOf, type ActivityUpdate, type ModuleInput } from './structure-schemas';

/** Audit entries about modules and activities name these subject types. */
const MODULE_SUBJECT = 'module';
const ACTIVITY_SUBJECT = 'activity';

export type ActivityRow = typeof activities.$inferSelect;
export type ModuleRow = typeof modules.$inferSelect;
export type SessionRow = Pick<typeof liveSessions.$inferSelect, 'id' | 'title' | 'startsAt' | 'durationMinutes' | 'organiserTimeZone' | 'cancelledAt'>;

export interface Structure {
  /** In order, each with its activities in order (removed ones left out). */
  modules: (ModuleRow & { activities: ActivityRow[] })[];
  /** Activities of the offering itself (module_id null), such as the task between two webinars. */
  offeringActivities: ActivityRow[];
  /** Removed by a trainer and kept for the progress participants had on them. */
  removed: ActivityRow[];
  /** Every live session, cancelled ones included, by start time. */
  sessions: SessionRow[];
}

/**
 * Modules with their activities, the offering-level activities and the live
 * sessions of one offering, in three queries. The catalogue and the publish
 * rules read the same shape.
 */
export async function loadStructure(db: Executor, offeringId: string): Promise<Structure> {
  const [moduleRows, activityRows, sessions] = await Promise.all([
    db.select().from(modules).where(eq(modules.offeringId, offeringId)).orderBy(asc(modules.position), asc(modules.id)),
    db.select().from(activities).where(eq(activities.offeringId, offeringId)).orderBy(asc(activities.position), asc(activities.id)),
    listSessions(db, offeringId),
  ]);
  const byModule = new Map<string, ActivityRow[]>(moduleRows.map((m) => [m.id, []]));
  const offeringActivities: ActivityRow[] = [];
  const removed: ActivityRow[] = [];
  for (const activity of activityRows) {
    if (activity.removedAt) removed.push(activity);
    else if (activity.moduleId === null) offeringActivities.push(activity);
    else byModule.get(activity.moduleId)?.push(activity);
  }
  return {
    modules: moduleRows.map((m) => ({ ...m, activities: byModule.get(m.id) ?? [] })),
    offeringActivities,
    removed,
    sessions,
  };
}

export interface OfferingFrame {
  id: string;
  title: string;
  kind: OfferingKind;
  status: 'draft' | 'published' | 'archived';
  pacingMode: 'cohort' | 'self_paced';
  organiserTimeZone: string;
  startsAt: Date | null;
}

const frameColumns = {
  id: offerings.id,
  title: offerings.title,
  kind: offerings.kind,
  status: offerings.status,
  pacingMode: offerings.pacingMode,
  organiserTimeZone: offerings.organiserTimeZone,
  startsAt: offerings.startsAt,
};

/** What the structure pages need to know about the offering itself. */
export async function offeringFrame(db: Executor, offeringId: string): Promise<OfferingFrame | null> {
  const [row] = await db.select(frameColumns).from(offerings).where(eq(offerings.id, offeringId)).limit(1);
  return row ?? null;
}

/** A fingerprint of what an editor form shows, so the form starts afresh after a save changed it. */
export function revisionOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 16);
}

// --- Positions ----------------------------------------------------------------

/** Positions 1…n in the given order; only rows whose position changes are written. */
async function renumber(tx: Executor, table: typeof modules | typeof activities, rows: { id: string; position: number }[]) {
  for (const [index, row] of rows.entries()) {
    if (row.position !== index + 1) await tx.update(table).set({ position: index + 1 }).where(eq(table.id, row.id));
  }
}

function swapped<T>(list: T[], index: number, direction: 'up' | 'down'): T[] | null {
  const other = direction === 'up' ? index - 1 : index + 1;
  if (index < 0 || other < 0 || other >= list.length) return null;
  const copy = [...list];
  [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  return copy;
}

async function orderedModules(tx: Executor, offeringId: string) {
  return tx
    .select({ id: modules.id, position: modules.position })
    .from(modules)
    .where(eq(modules.offeringId, offeringId))
    .orderBy(asc(modules.position), asc(modules.id));
}

/** The listed activities that share a place (one module, or the offering level) with each other. */
async function orderedSiblings(tx: Executor, offeringId: string, moduleId: string | null) {
  return tx
    .select({ id: activities.id, position: activities.position })
    .from(activities)
    .where(
      and(
        eq(activities.offeringId, offeringId),
        moduleId === null ? isNull(activities.moduleId) : eq(activities.moduleId, moduleId),
        isNull(activities.removedAt),
      ),
    )
    .orderBy(asc(activities.position), asc(activities.id));
}

async function nextActivityPosition(tx: Executor, offeringId: string, moduleId: string | null): Promise<number> {
  const [row] = await tx
    .select({ top: max(activities.position) })
    .from(activities)
    .where(and(eq(activities.offeringId, offeringId), moduleId === null ? isNull(activities.moduleId) : eq(activities.moduleId, moduleId)));
  return (row?.top ?? 0) + 1;
}

class Refused<T> extends Error {
  constructor(readonly result: T) {
    super('refused');
  }
}

/**
 * A change in one transaction, kept only when it succeeds: a refusal
 * ({ ok: false }) rolls back what came before it, above all lockOffering's
 * touch of the offering's updated_at, so a refused form changes nothing.
 */
async function changeOrNothing<T extends { ok: boolean }>(db: Executor, change: (tx: Executor) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(async (tx) => {
      const result = await change(tx);
      if (!result.ok) throw new Refused(result);
      return result;
    });
  } catch (error) {
    if (error instanceof Refused) return error.result as T;
    throw error;
  }
}

// --- Modules ------------------------------------------------------------------

export type ModuleResult = { ok: true; moduleId: string } | { ok: false; reason: 'not-found' | 'no-modules' };

export async function createModule(db: Executor, offeringId: string, input: ModuleInput, now: Date): Promise<ModuleResult> {
  return changeOrNothing(db, async (tx) => {
    const offering = await lockOffering(tx, offeringId, now);
    if (!offering) return { ok: false, reason: 'not-found' } as const;
    if (!hasModules(offering.kind)) return { ok: false, reason: 'no-modules' } as const;
    const [top] = await tx.select({ top: max(modules.position) }).from(modules).where(eq(modules.offeringId, offeringId));
    const [created] = await tx
      .insert(modules)
      .values({
        offeringId,
        position: (top?.top ?? 0) + 1,
        title: input.title,
        summary: input.summary,
        releaseAt: offering.pacingMode === 'cohort' ? input.releaseAt : null,
        releaseOffsetDays: offering.pacingMode === 'self_paced' ? input.releaseOffsetDays : null,
      })
      .returning({ id: modules.id });
    return { ok: true, moduleId: created!.id } as const;
  });
}

/** Changes a module; only the release field of the offering's pacing mode, so switching modes back loses nothing. */
export async function updateModule(db: Executor, offeringId: string, moduleId: string, input: ModuleInput, now: Date): Promise<ModuleResult> {
  return changeOrNothing(db, async (tx) => {
    const offering = await lockOffering(tx, offeringId, now);
    if (!offering) return { ok: false, reason: 'not-found' } as const;
    const release =
      offering.pacingMode === 'cohort' ? { releaseAt: input.releaseAt } : { releaseOffsetDays: input.releaseOffsetDays };
    const [updated] = await tx
      .update(modules)
      .set({ title: input.title, summary: input.summary, ...release })
      .where(and(eq(modules.id, moduleId), eq(modules.offeringId, offeringId)))
      .returning({ id: modules.id });
    return updated ? ({ ok: true, moduleId } as const) : ({ ok: false, reason: 'not-found' } as const);
  });
}

export async function moveModule(db: Executor, offeringId: string, moduleId: string, direction: 'up' | 'down', now: Date) {
  return changeOrNothing(db, async (tx) => {
    if (!(await lockOffering(tx, offeringId, now))) return { ok: false } as const;
    const rows = await orderedModules(tx, offeringId);
    const index = rows.findIndex((row) => row.id === moduleId);
    if (index === -1) return { ok: false } as const;
    // Already first (or last): nothing to do, and nothing wrong either.
    await renumber(tx, modules, swapped(rows, index, direction) ?? rows);
    return { ok: true } as const;
  });
}

export type WeeklyResult = { ok: true; created: number } | { ok: false; reason: 'not-found' | 'no-modules' | 'no-start' };

/**
 * Appends `titles.length` modules, one a week. Cohort pacing: each opens at
 * the course start plus whole weeks at the same wall-clock time in the
 * organiser's zone (so 09:00 stays 09:00 across a daylight-saving change).
 * Self-paced: 0, 7, 14… days after each participant's start.
 */
export async function createWeeklyModules(db: Executor, offeringId: string, titles: string[], now: Date): Promise<WeeklyResult> {
  return changeOrNothing(db, async (tx) => {
    const offering = await lockOffering(tx, offeringId, now);
    if (!offering) return { ok: false, reason: 'not-found' } as const;
    if (!hasModules(offering.kind)) return { ok: false, reason: 'no-modules' } as const;
    const cohort = offering.pacingMode === 'cohort';
    if (cohort && !offering.startsAt) return { ok: false, reason: 'no-start' } as const;
    const start = offering.startsAt ? DateTime.fromJSDate(offering.startsAt, { zone: offering.organiserTimeZone }) : null;
    const [top] = await tx.select({ top: max(modules.position) }).from(modules).where(eq(modules.offeringId, offeringId));
    const first = (top?.top ?? 0) + 1;
    await tx.insert(modules).values(
      titles.map((title, week) => ({
        offeringId,
        position: first + week,
        title,
        summary: '',
        releaseAt: cohort && start ? start.plus({ weeks: week }).toJSDate() : null,
        releaseOffsetDays: cohort ? null : week * 7,
      })),
    );
    return { ok: true, created: titles.length } as const;
  });
}

export type RemovalResult =
  | { ok: true; outcome: 'deleted' | 'hidden' }
  | { ok: false; reason: 'not-found' }
  /** Participants have progress: ask first. */
  | { ok: false; reason: 'needs-confirmation'; participants: number; title: string }
  /** The offering is published and would break the publish rules without it; nothing changed. */
  | RulesRefusal;

/**
 * Removes a module and its activities. Activities participants have worked
 * on are kept, hidden and moved to the offering level (the module row cannot
 * outlive its removal), so their progress rows survive; the rest are deleted.
 */
export async function removeModule(
  context: Pick<AppContext, 'db'>,
  input: { actorId: string; offeringId: string; moduleId: string; confirmed: boolean },
  now: Date,
): Promise<RemovalResult> {
  return refuseBrokenRules(() => changeOrNothing(context.db, async (tx) => {
    const offering = await lockOffering(tx, input.offeringId, now);
    if (!offering) return { ok: false, reason: 'not-found' } as const;
    const standing = await standingProblems(tx, offering);
    const [module] = await tx
      .select()
      .from(modules)
      .where(and(eq(modules.id, input.moduleId), eq(modules.offeringId, input.offeringId)))
      .for('update')
      .limit(1);
    if (!module) return { ok: false, reason: 'not-found' } as const;
    // Row locks on the activities make progress writes in flight finish (or wait) before we count.
    const inModule = await tx
      .select({ id: activities.id, removedAt: activities.removedAt, required: activities.required })
      .from(activities)
      .where(eq(activities.moduleId, module.id))
      .for('update');
    const ids = inModule.map((a) => a.id);
    const withProgress =
      ids.length === 0
        ? []
        : await tx
            .selectDistinct({ activityId: activityProgress.activityId })
            .from(activityProgress)
            .where(inArray(activityProgress.activityId, ids));
    const listedIds = inModule.filter((a) => !a.removedAt).map((a) => a.id);
    const [{ participants } = { participants: 0 }] =
      listedIds.length === 0
        ? []
        : await tx
            .select({ participants: countDistinct(activityProgress.userId) })
            .from(activityProgress)
            .where(inArray(activityProgress.activityId, listedIds));
    if (participants > 0 && !input.confirmed) return { ok: false, reason: 'needs-confirmation', participants, title: module.title } as const;

    const keep = withProgress.map((row) => row.activityId);
    if (keep.length > 0) {
      await tx
        .update(activities)
        .set({ moduleId: null, removedAt: sql`coalesce(${activities.removedAt}, ${now.toISOString()}::timestamptz)` })
        .where(inArray(activities.id, keep));
    }
    await tx.delete(modules).where(eq(modules.id, module.id));
    await renumber(tx, modules, await orderedModules(tx, input.offeringId));
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'module.removed',
      subjectType: MODULE_SUBJECT,
      subjectId: module.id,
      details: { offeringId: input.offeringId, title: module.title, keptActivities: keep, participants },
      at: now,
    });
    await keepPublishable(tx, offering, standing);
    if (inModule.some((a) => a.required && !a.removedAt)) await recheckCompletions(tx, input.offeringId, now);
    return { ok: true, outcome: keep.length > 0 ? 'hidden' : 'deleted' } as const;
  }));
}

// --- Activities -----------------------------------------------------------------

export type CreateActivityResult =
  | { ok: true; activityId: string }
  | { ok: false; reason: 'not-found' | 'module-required' | 'no-modules' | 'live-at-offering-level' }
  | RulesRefusal;

/**
 * Adds an activity at the end of a module (courses) or of the offering's own
 * tasks (live kinds, whose live sessions are the sessions themselves). It
 * starts optional and empty: it becomes required when the trainer saves it
 * in the editor (whose form asks for real content), so an empty quiz never
 * stands between participants and their completion.
 */
export async function createActivity(
  db: Executor,
  input: { offeringId: string; moduleId: string | null; kind: ActivityKind; title: string },
  now: Date,
): Promise<CreateActivityResult> {
  return refuseBrokenRules(() => changeOrNothing(db, async (tx) => {
    const offering = await lockOffering(tx, input.offeringId, now);
    if (!offering) return { ok: false, reason: 'not-found' } as const;
    const standing = await standingProblems(tx, offering);
    if (hasModules(offering.kind)) {
      if (!input.moduleId) return { ok: false, reason: 'module-required' } as const;
      const [module] = await tx
        .select({ id: modules.id })
        .from(modules)
        .where(and(eq(modules.id, input.moduleId), eq(modules.offeringId, input.offeringId)))
        .limit(1);
      if (!module) return { ok: false, reason: 'not-found' } as const;
    } else {
      if (input.moduleId) return { ok: false, reason: 'no-modules' } as const;
      if (input.kind === 'live_session') return { ok: false, reason: 'live-at-offering-level' } as const;
    }
    const [created] = await tx
      .insert(activities)
      .values({
        offeringId: input.offeringId,
        moduleId: input.moduleId,
        position: await nextActivityPosition(tx, input.offeringId, input.moduleId),
        kind: input.kind,
        title: input.title,
        required: false,
        estimatedMinutes: 0,
        content: emptyContent(input.kind),
      })
      .returning({ id: activities.id });
    await keepPublishable(tx, offering, standing);
    return { ok: true, activityId: created!.id } as const;
  }));
}

export interface ActivityDetail {
  activity: ActivityRow;
  moduleTitle: string | null;
}

/** One listed (not removed) activity of the offering, with the title of its module. */
export async function findActivity(db: Executor, offeringId: string, activityId: string): Promise<ActivityDetail | null> {
  const [row] = await db
    .select({ activity: activities, moduleTitle: modules.title })
    .from(activities)
    .leftJoin(modules, eq(modules.id, activities.moduleId))
    .where(and(eq(activities.id, activityId), eq(activities.offeringId, offeringId), isNull(activities.removedAt)))
    .limit(1);
  return row ?? null;
}

/** The offering, one listed activity with its module's title, and the offering's sessions: what the activity page works on. */
export async function findActivityEditing(db: Executor, offeringId: string, activityId: string) {
  const [offering, detail, sessions] = await Promise.all([offeringFrame(db, offeringId), findActivity(db, offeringId, activityId), listSessions(db, offeringId)]);
  return offering && detail ? { offering, ...detail, sessions } : null;
}

/**
 * The activity page's data. Whoever may not edit the offering gets the
 * read-only view of the content (a quiz without its answer key) and no
 * editor values (they hold the answer key too). Null when there is no such
 * listed activity.
 */
export async function activityPageData(db: Executor, input: { offeringId: string; activityId: string; canEdit: boolean }) {
  const found = await findActivityEditing(db, input.offeringId, input.activityId);
  if (!found) return null;
  const { offering, activity, moduleTitle, sessions } = found;
  const zone = offering.organiserTimeZone;
  const markdownField = markdownFieldOf(activity.kind);
  const content = activity.content;
  const markdownText = markdownField && markdownField in content ? String((content as Record<string, unknown>)[markdownField] ?? '') : '';
  return {
    offering: { id: offering.id, title: offering.title, kind: offering.kind, organiserTimeZone: zone, courses: hasModules(offering.kind) },
    activity: {
      id: activity.id,
      kind: activity.kind,
      title: activity.title,
      required: activity.required,
      estimatedMinutes: activity.estimatedMinutes,
      dueAt: activity.dueAt,
      liveSessionId: activity.liveSessionId,
      content: readOnlyContent(content),
      moduleTitle,
    },
    defaultValue: input.canEdit ? activityDefaults(activity, toZonedLocal(activity.dueAt, zone)) : null,
    previewHtml: markdownText ? renderMarkdown(markdownText) : '',
    sessions: sessions.map((s) => ({ id: s.id, title: s.title, startsAt: s.startsAt, durationMinutes: s.durationMinutes, cancelled: s.cancelledAt !== null })),
    // The editor starts afresh when what is stored changes (a save gave new questions their ids).
    revision: revisionOf([activity.title, activity.required, activity.estimatedMinutes, activity.dueAt, activity.liveSessionId, content]),
  };
}

/** Every live session of the offering, cancelled ones included, by start time. */
export async function listSessions(db: Executor, offeringId: string): Promise<SessionRow[]> {
  return db
    .select({
      id: liveSessions.id,
      title: liveSessions.title,
      startsAt: liveSessions.startsAt,
      durationMinutes: liveSessions.durationMinutes,
      organiserTimeZone: liveSessions.organiserTimeZone,
      cancelledAt: liveSessions.cancelledAt,
    })
    .from(liveSessions)
    .where(eq(liveSessions.offeringId, offeringId))
    .orderBy(asc(liveSessions.startsAt), asc(liveSessions.id));
}

/** Gives new questions and choices their ids; ones that came back from the stored quiz keep theirs. */
function withIds(content: ActivityUpdate['content']): ActivityContent {
  if (content.kind !== 'quiz') return content;
  return {
    ...content,
    questions: content.questions.map((q) => ({
      id: q.id ?? randomUUID(),
      prompt: q.prompt,
      multiple: q.multiple,
      choices: q.choices.map((c) => ({ id: c.id ?? randomUUID(), label: c.label, correct: c.correct })),
    })),
  };
}

export type UpdateActivityResult = { ok: true } | { ok: false; reason: 'not-found' | 'session-not-found' } | RulesRefusal;

/**
 * Saves the editor form of an activity; its kind never changes. A published
 * offering must still satisfy the publish rules afterwards; an activity made
 * optional may complete participants for whom it was the last missing piece.
 */
export async function updateActivity(
  db: Executor,
  input: { offeringId: string; activityId: string; kind: ActivityKind; update: ActivityUpdate },
  now: Date,
): Promise<UpdateActivityResult> {
  if (input.update.content.kind !== input.kind) return { ok: false, reason: 'not-found' };
  return refuseBrokenRules(() => changeOrNothing(db, async (tx) => {
    const offering = await lockOffering(tx, input.offeringId, now);
    if (!offering) return { ok: false, reason: 'not-found' } as const;
    const standing = await standingProblems(tx, offering);
    const { liveSessionId } = input.update;
    if (liveSessionId) {
      const [session] = await tx
        .select({ id: liveSessions.id })
        .from(liveSessions)
        .where(and(eq(liveSessions.id, liveSessionId), eq(liveSessions.offeringId, input.offeringId)))
        .limit(1);
      if (!session) return { ok: false, reason: 'session-not-found' } as const;
    }
    const listed = and(
      eq(activities.id, input.activityId),
      eq(activities.offeringId, input.offeringId),
      eq(activities.kind, input.kind),
      isNull(activities.removedAt),
    );
    const [before] = await tx.select({ required: activities.required }).from(activities).where(listed).for('update').limit(1);
    if (!before) return { ok: false, reason: 'not-found' } as const;
    await tx
      .update(activities)
      .set({
        title: input.update.title,
        required: input.update.required,
        estimatedMinutes: input.update.estimatedMinutes,
        dueAt: input.update.dueAt,
        liveSessionId,
        content: withIds(input.update.content),
      })
      .where(eq(activities.id, input.activityId));
    await keepPublishable(tx, offering, standing);
    if (before.required && !input.update.required) await recheckCompletions(tx, input.offeringId, now);
    return { ok: true } as const;
  }));
}

export async function moveActivity(db: Executor, offeringId: string, activityId: string, direction: 'up' | 'down', now: Date) {
  return changeOrNothing(db, async (tx) => {
    if (!(await lockOffering(tx, offeringId, now))) return { ok: false } as const;
    const [activity] = await tx
      .select({ moduleId: activities.moduleId })
      .from(activities)
      .where(and(eq(activities.id, activityId), eq(activities.offeringId, offeringId), isNull(activities.removedAt)))
      .limit(1);
    if (!activity) return { ok: false } as const;
    const rows = await orderedSiblings(tx, offeringId, activity.moduleId);
    const index = rows.findIndex((row) => row.id === activityId);
    await renumber(tx, activities, swapped(rows, index, direction) ?? rows);
    return { ok: true } as const;
  });
}

/**
 * Removes an activity. Without progress it is deleted. With progress the
 * first call only reports how many participants have some; confirmed, the
 * activity is hidden (removed_at) and every progress row stays.
 */
export async function removeActivity(
  context: Pick<AppContext, 'db'>,
  input: { actorId: string; offeringId: string; activityId: string; confirmed: boolean },
  now: Date,
): Promise<RemovalResult> {
  return refuseBrokenRules(() => changeOrNothing(context.db, async (tx) => {
    const offering = await lockOffering(tx, input.offeringId, now);
    if (!offering) return { ok: false, reason: 'not-found' } as const;
    const standing = await standingProblems(tx, offering);
    // FOR UPDATE waits for progress inserts in flight (they hold a key-share lock on this row), so the count below sees them.
    const [activity] = await tx
      .select({ id: activities.id, title: activities.title, moduleId: activities.moduleId, kind: activities.kind, required: activities.required })
      .from(activities)
      .where(and(eq(activities.id, input.activityId), eq(activities.offeringId, input.offeringId), isNull(activities.removedAt)))
      .for('update')
      .limit(1);
    if (!activity) return { ok: false, reason: 'not-found' } as const;
    const [{ participants } = { participants: 0 }] = await tx
      .select({ participants: count() })
      .from(activityProgress)
      .where(eq(activityProgress.activityId, activity.id));
    if (participants > 0 && !input.confirmed) return { ok: false, reason: 'needs-confirmation', participants, title: activity.title } as const;

    const hidden = participants > 0;
    if (hidden) await tx.update(activities).set({ removedAt: now }).where(eq(activities.id, activity.id));
    else await tx.delete(activities).where(eq(activities.id, activity.id));
    await renumber(tx, activities, await orderedSiblings(tx, input.offeringId, activity.moduleId));
    await recordAudit(tx, {
      actorId: input.actorId,
      action: hidden ? 'activity.hidden' : 'activity.deleted',
      subjectType: ACTIVITY_SUBJECT,
      subjectId: activity.id,
      details: { offeringId: input.offeringId, title: activity.title, kind: activity.kind, participants },
      at: now,
    });
    await keepPublishable(tx, offering, standing);
    if (activity.required) await recheckCompletions(tx, input.offeringId, now);
    return { ok: true, outcome: hidden ? 'hidden' : 'deleted' } as const;
  }));
}

export type RestoreResult = { ok: true } | { ok: false; reason: 'not-found' | 'module-required' } | RulesRefusal;

/**
 * Lists a removed activity again, at the end of the chosen module (courses)
 * or of the offering's own tasks (live kinds).
 */
export async function restoreActivity(
  context: Pick<AppContext, 'db'>,
  input: { actorId: string; offeringId: string; activityId: string; moduleId: string | null },
  now: Date,
): Promise<RestoreResult> {
  return refuseBrokenRules(() => changeOrNothing(context.db, async (tx) => {
    const offering = await lockOffering(tx, input.offeringId, now);
    if (!offering) return { ok: false, reason: 'not-found' } as const;
    const standing = await standingProblems(tx, offering);
    let target: string | null = null;
    if (hasModules(offering.kind)) {
      if (!input.moduleId) return { ok: false, reason: 'module-required' } as const;
      const [module] = await tx
        .select({ id: modules.id })
        .from(modules)
        .where(and(eq(modules.id, input.moduleId), eq(modules.offeringId, input.offeringId)))
        .limit(1);
      if (!module) return { ok: false, reason: 'module-required' } as const;
      target = module.id;
    }
    const position = await nextActivityPosition(tx, input.offeringId, target);
    const [restored] = await tx
      .update(activities)
      .set({ removedAt: null, moduleId: target, position })
      .where(and(eq(activities.id, input.activityId), eq(activities.offeringId, input.offeringId), isNotNull(activities.removedAt)))
      .returning({ id: activities.id, title: activities.title });
    if (!restored) return { ok: false, reason: 'not-found' } as const;
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'activity.restored',
      subjectType: ACTIVITY_SUBJECT,
      subjectId: restored.id,
      details: { offeringId: input.offeringId, title: restored.title, moduleId: target },
      at: now,
    });
    // A required quiz without questions coming back would break a published offering.
    await keepPublishable(tx, offering, standing);
    return { ok: true } as const;
  }));
}

/** Participants with progress on each listed activity of the offering, for the removal buttons' warnings. */
export async function progressCounts(db: Executor, offeringId: string): Promise<Map<string, number>> {
  const rows = await db
    .select({ activityId: activityProgress.activityId, participants: count() })
    .from(activityProgress)
    .innerJoin(activities, eq(activities.id, activityProgress.activityId))
    .where(and(eq(activities.offeringId, offeringId), isNull(activities.removedAt)))
    .groupBy(activityProgress.activityId);
  return new Map(rows.map((row) => [row.activityId, row.participants]));
}

