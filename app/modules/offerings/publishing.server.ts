import { and, count, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { activities, liveSessions, modules, offerings } from '#db/schema';
import type { ActivityKind } from './kinds';
import { publishProblems, type PublishCandidate, type PublishProblem } from './rules';

/**
 * What every change to an offering goes through: the offering's row lock,
 * the facts the publish rules look at, and the check that a published
 * offering still satisfies them after the change.
 */

type OfferingRow = typeof offerings.$inferSelect;

/**
 * Locks the offering row for the rest of the transaction, so saves, session
 * changes, structure changes and status changes of one offering queue up
 * instead of interleaving. With `touchedAt` the row's updated_at is set too
 * (a structure change changes the offering).
 */
export async function lockOffering(tx: Executor, offeringId: string, touchedAt?: Date): Promise<OfferingRow | null> {
  if (touchedAt) {
    const [touched] = await tx.update(offerings).set({ updatedAt: touchedAt }).where(eq(offerings.id, offeringId)).returning();
    return touched ?? null;
  }
  const [row] = await tx.select().from(offerings).where(eq(offerings.id, offeringId)).for('update').limit(1);
  return row ?? null;
}

export interface PublishFacts {
  moduleCount: number;
  activities: { kind: ActivityKind; required: boolean; dueAt: Date | null; inModule: boolean; questionCount?: number }[];
}

/** The part of PublishCandidate (rules.ts) the structure decides; removed activities do not count. */
export async function publishFacts(db: Executor, offeringId: string): Promise<PublishFacts> {
  const [[{ moduleCount } = { moduleCount: 0 }], rows] = await Promise.all([
    db.select({ moduleCount: count() }).from(modules).where(eq(modules.offeringId, offeringId)),
    db
      .select({
        kind: activities.kind,
        required: activities.required,
        dueAt: activities.dueAt,
        moduleId: activities.moduleId,
        // Counted in the database: page bodies can be large and the rules need only this number.
        questionCount: sql<number | null>`case when ${activities.kind} = 'quiz' then coalesce(jsonb_array_length(${activities.content} -> 'questions'), 0) end`.mapWith(
          (value: unknown) => (value === null ? null : Number(value)),
        ),
      })
      .from(activities)
      .where(and(eq(activities.offeringId, offeringId), isNull(activities.removedAt))),
  ]);
  return {
    moduleCount,
    activities: rows.map((a) => ({
      kind: a.kind,
      required: a.required,
      dueAt: a.dueAt,
      inModule: a.moduleId !== null,
      ...(a.questionCount === null ? {} : { questionCount: a.questionCount }),
    })),
  };
}

/** The offering as the publish rules see it: its own fields (or the ones about to be saved) with its live sessions and content. */
export async function publishCandidate(db: Executor, row: OfferingRow): Promise<PublishCandidate> {
  const [sessions, facts] = await Promise.all([
    db
      .select({ startsAt: liveSessions.startsAt, durationMinutes: liveSessions.durationMinutes })
      .from(liveSessions)
      .where(and(eq(liveSessions.offeringId, row.id), isNull(liveSessions.cancelledAt))),
    publishFacts(db, row.id),
  ]);
  return {
    kind: row.kind,
    title: row.title,
    summary: row.summary,
    language: row.language,
    topics: row.topics,
    targetAudiences: row.targetAudiences,
    expectedMinutes: row.expectedMinutes,
    organiserTimeZone: row.organiserTimeZone,
    enrolmentOpensAt: row.enrolmentOpensAt,
    enrolmentClosesAt: row.enrolmentClosesAt,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    completionDeadline: row.completionDeadline,
    capacity: row.capacity,
    sessions,
    activities: facts.activities,
    moduleCount: facts.moduleCount,
    requiredSessions: row.kind === 'online_event' ? row.requiredSessions : undefined,
  };
}

/** A change refused because it would leave a published offering breaking the publish rules. */
export type RulesRefusal = { ok: false; reason: 'rules'; problems: PublishProblem[] };

/** Thrown inside the transaction so a change that would break a published offering is rolled back. */
class RulesBroken extends Error {
  constructor(readonly problems: PublishProblem[]) {
    super('publish rules broken');
  }
}

/** The publish-rule problems a published offering has as it stands (none for a draft): what a change may leave as it found it. */
export async function standingProblems(tx: Executor, offering: OfferingRow): Promise<PublishProblem[]> {
  return offering.status === 'published' ? publishProblems(await publishCandidate(tx, offering)) : [];
}

const problemId = (p: PublishProblem) => `${p.field}:${p.key}`;

/**
 * Call inside the change's transaction, after the change: a published
 * offering (as `offering` says it now is) must still satisfy the publish
 * rules, else the transaction is rolled back and the new problems reported.
 * Problems in `standing` (see standingProblems) were there before the change
 * and do not count against it. Drafts may break the rules.
 */
export async function keepPublishable(tx: Executor, offering: OfferingRow, standing: readonly PublishProblem[] = []): Promise<void> {
  if (offering.status !== 'published') return;
  const known = new Set(standing.map(problemId));
  const introduced = publishProblems(await publishCandidate(tx, offering)).filter((p) => !known.has(problemId(p)));
  if (introduced.length > 0) throw new RulesBroken(introduced);
}

/** Runs a change (its own transaction inside) and turns a rollback by keepPublishable into a refusal with the problems. */
export async function refuseBrokenRules<T>(change: () => Promise<T>): Promise<T | RulesRefusal> {
  try {
    return await change();
  } catch (error) {
    if (error instanceof RulesBroken) return { ok: false, reason: 'rules', problems: error.problems };
    throw error;
  }
}
