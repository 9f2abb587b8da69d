import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { activities, liveSessions, modules, offeringTrainers, offerings, type ActivityContent } from '#db/schema';
import { recordAudit } from '../audit/audit.server';
import type { AppContext } from '../context.server';
import { OFFERING_SUBJECT, retryOnSlugClash, uniqueSlug } from './authoring.server';
import { COPY_GAP_MAX_DAYS, TITLE_MAX, type CopyInput } from './schemas';
import { offeringSearchText } from './search-text';

/**
 * Moves an instant by whole days on the zone's calendar: 09:00 local stays
 * 09:00 local across a daylight-saving change (so the UTC gap is 23 or 25 h).
 */
export function shiftInZone(instant: Date, days: number, zone: string): Date;
export function shiftInZone(instant: Date | null, days: number, zone: string): Date | null;
export function shiftInZone(instant: Date | null, days: number, zone: string): Date | null {
  if (!instant) return null;
  return DateTime.fromJSDate(instant, { zone }).plus({ days }).toJSDate();
}

/** The gap in calendar days from the source's first day (in its zone) to the chosen new first day; null when the source has no start. */
export function gapToStartDate(sourceStart: Date | null, zone: string, newStartDate: string): number | null {
  if (!sourceStart) return null;
  const from = DateTime.fromJSDate(sourceStart, { zone }).startOf('day');
  const to = DateTime.fromISO(newStartDate, { zone }).startOf('day');
  if (!to.isValid) return null;
  return Math.round(to.diff(from, 'days').days);
}

/** The gap the trainer chose, in days; null when it cannot be worked out (start date picked but the source has no start). */
export function copyGapDays(input: CopyInput, sourceStart: Date | null, zone: string): number | null {
  if (input.shiftBy === 'gap') return (input.gapAmount ?? 0) * (input.gapUnit === 'weeks' ? 7 : 1);
  return gapToStartDate(sourceStart, zone, input.startDate ?? '');
}

export function gapWithinLimits(days: number): boolean {
  return Math.abs(days) <= COPY_GAP_MAX_DAYS;
}

/**
 * "Digital tools 2026" starting in 2027 becomes "Digital tools 2027";
 * a title without the old year gets the suffix (" (copy)" in the trainer's language).
 */
export function newEditionTitle(title: string, oldYear: number | null, newYear: number | null, suffix: string): string {
  if (oldYear && newYear && oldYear !== newYear) {
    const pattern = new RegExp(`(?<!\\d)${oldYear}(?!\\d)`, 'g');
    if (pattern.test(title)) return title.replace(pattern, String(newYear)).slice(0, TITLE_MAX);
  }
  return `${title.slice(0, TITLE_MAX - suffix.length)}${suffix}`;
}

/** A quiz keeps its questions and choices but under new ids, so answers to one edition never match the other. */
function copyContent(content: ActivityContent): ActivityContent {
  const copy = structuredClone(content);
  if (copy.kind === 'quiz') {
    copy.questions = copy.questions.map((q) => ({ ...q, id: randomUUID(), choices: q.choices.map((c) => ({ ...c, id: randomUUID() })) }));
  }
  return copy;
}

export type CopyResult = { ok: true; id: string; slug: string } | { ok: false; reason: 'not-found' };

/**
 * "Copy as new edition": the offering, its trainers, modules, activities
 * and live sessions, every date moved by `gapDays` on the organiser's
 * calendar, as a new draft pointing back at its source. One transaction,
 * audited. Removed activities and cancelled sessions stay behind; progress,
 * enrolments and seats are never copied.
 */
export async function copyAsNewEdition(
  context: Pick<AppContext, 'db'>,
  input: { sourceId: string; actorId: string; gapDays: number; titleSuffix: string },
  now: Date,
): Promise<CopyResult> {
  return retryOnSlugClash(() =>
    context.db.transaction(async (tx) => {
      const [source] = await tx.select().from(offerings).where(eq(offerings.id, input.sourceId)).limit(1);
      if (!source) return { ok: false, reason: 'not-found' } as const;
      const zone = source.organiserTimeZone;
      const shift = (d: Date | null) => shiftInZone(d, input.gapDays, zone);
      const year = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone }).year : null);
      const title = newEditionTitle(source.title, year(source.startsAt), year(shift(source.startsAt)), input.titleSuffix);
      const slug = await uniqueSlug(tx, title);

      const [created] = await tx
        .insert(offerings)
        .values({
          slug,
          kind: source.kind,
          title,
          summary: source.summary,
          description: source.description,
          language: source.language,
          topics: source.topics,
          targetAudiences: source.targetAudiences,
          eligibility: source.eligibility,
          expectedMinutes: source.expectedMinutes,
          organiserTimeZone: zone,
          enrolmentOpensAt: shift(source.enrolmentOpensAt),
          enrolmentClosesAt: shift(source.enrolmentClosesAt),
          startsAt: shift(source.startsAt),
          endsAt: shift(source.endsAt),
          completionDeadline: shift(source.completionDeadline),
          capacity: source.capacity,
          waitlistEnabled: source.waitlistEnabled,
          certificateEnabled: source.certificateEnabled,
          status: 'draft',
          pacingMode: source.pacingMode,
          maxDeadlineShifts: source.maxDeadlineShifts,
          requiredSessions: source.requiredSessions,
          previousEditionId: source.id,
          createdBy: input.actorId,
          createdAt: now,
          updatedAt: now,
          searchText: offeringSearchText({ title, summary: source.summary, topics: source.topics }),
        })
        .returning({ id: offerings.id, slug: offerings.slug });
      const id = created!.id;

      const trainers = await tx.select().from(offeringTrainers).where(eq(offeringTrainers.offeringId, source.id));
      if (trainers.length > 0) {
        await tx.insert(offeringTrainers).values(trainers.map((t) => ({ offeringId: id, userId: t.userId, position: t.position })));
      }

      const moduleIds = new Map<string, string>();
      const sourceModules = await tx.select().from(modules).where(eq(modules.offeringId, source.id)).orderBy(asc(modules.position));
      for (const m of sourceModules) {
        const [copy] = await tx
          .insert(modules)
          .values({
            offeringId: id,
            position: m.position,
            title: m.title,
            summary: m.summary,
            releaseAt: shift(m.releaseAt),
            releaseOffsetDays: m.releaseOffsetDays,
          })
          .returning({ id: modules.id });
        moduleIds.set(m.id, copy!.id);
      }

      const sessionIds = new Map<string, string>();
      const sessions = await tx
        .select()
        .from(liveSessions)
        .where(and(eq(liveSessions.offeringId, source.id), isNull(liveSessions.cancelledAt)))
        .orderBy(asc(liveSessions.startsAt));
      for (const s of sessions) {
        const [copy] = await tx
          .insert(liveSessions)
          .values({
            offeringId: id,
            title: s.title,
            // Each session moves on the calendar of the zone it was entered in.
            startsAt: shiftInZone(s.startsAt, input.gapDays, s.organiserTimeZone),
            organiserTimeZone: s.organiserTimeZone,
            durationMinutes: s.durationMinutes,
            joinUrl: s.joinUrl,
            capacityNote: s.capacityNote,
            attendanceThresholdPercent: s.attendanceThresholdPercent,
          })
          .returning({ id: liveSessions.id });
        sessionIds.set(s.id, copy!.id);
      }

      const sourceActivities = await tx
        .select()
        .from(activities)
        .where(and(eq(activities.offeringId, source.id), isNull(activities.removedAt)))
        .orderBy(asc(activities.position));
      const kept = sourceActivities.filter((a) => a.moduleId === null || moduleIds.has(a.moduleId));
      if (kept.length > 0) {
        await tx.insert(activities).values(
          kept.map((a) => ({
            offeringId: id,
            moduleId: a.moduleId ? moduleIds.get(a.moduleId)! : null,
            position: a.position,
            kind: a.kind,
            title: a.title,
            required: a.required,
            estimatedMinutes: a.estimatedMinutes,
            dueAt: shift(a.dueAt),
            liveSessionId: a.liveSessionId ? sessionIds.get(a.liveSessionId) ?? null : null,
            content: copyContent(a.content),
          })),
        );
      }

      await recordAudit(tx, {
        actorId: input.actorId,
        action: 'offering.copied',
        subjectType: OFFERING_SUBJECT,
        subjectId: id,
        details: { from: source.id, gapDays: input.gapDays },
        at: now,
      });
      return { ok: true, id, slug } as const;
    }),
  );
}
