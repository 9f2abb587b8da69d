import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { activities, liveSessions, modules, offerings } from '#db/schema';
import { renderMarkdown } from '../markdown/markdown';
import { hasModules, TARGET_AUDIENCES, type TargetAudience } from '../offerings/kinds';
import { can, type Actor, type PolicyEnvironment } from '../policy/policy';
import { seatsOf } from './card';
import { certificateCriteria } from './criteria';
import { formatHours, formatInstant, formatRunDates, languageName } from './datetime';
import { offeringJsonLd, serializeJsonLd } from './json-ld';

export type OfferingRecord = typeof offerings.$inferSelect;
export type PublicOffering = Omit<OfferingRecord, 'searchText' | 'searchVector' | 'createdBy' | 'previousEditionId'> & {
  trainers: { id: string; name: string }[];
};

export interface ScheduleModule {
  id: string;
  position: number;
  title: string;
  summary: string;
  releaseAt: Date | null;
  releaseOffsetDays: number | null;
  activities: { id: string; title: string; kind: string; required: boolean }[];
}

export interface ScheduleSession {
  id: string;
  title: string;
  startsAt: Date;
  organiserTimeZone: string;
  durationMinutes: number;
  attendanceThresholdPercent: number;
}

/** Activities that belong to the offering itself, such as the task linking the two webinars of a series. */
export interface LooseActivity {
  id: string;
  title: string;
  kind: string;
  required: boolean;
  dueAt: Date | null;
}

export interface OfferingPageData {
  offering: PublicOffering;
  modules: ScheduleModule[];
  sessions: ScheduleSession[];
  looseActivities: LooseActivity[];
  quizCount: number;
}

/** The offering behind a public address, with its trainers (ids for the policy, names for the page). */
export async function findOfferingBySlug(db: Executor, slug: string): Promise<PublicOffering | null> {
  const [row] = await db
    .select({
      id: offerings.id,
      slug: offerings.slug,
      kind: offerings.kind,
      title: offerings.title,
      summary: offerings.summary,
      description: offerings.description,
      language: offerings.language,
      topics: offerings.topics,
      targetAudiences: offerings.targetAudiences,
      eligibility: offerings.eligibility,
      expectedMinutes: offerings.expectedMinutes,
      organiserTimeZone: offerings.organiserTimeZone,
      enrolmentOpensAt: offerings.enrolmentOpensAt,
      enrolmentClosesAt: offerings.enrolmentClosesAt,
      startsAt: offerings.startsAt,
      endsAt: offerings.endsAt,
      completionDeadline: offerings.completionDeadline,
      capacity: offerings.capacity,
      waitlistEnabled: offerings.waitlistEnabled,
      certificateEnabled: offerings.certificateEnabled,
      status: offerings.status,
      pacingMode: offerings.pacingMode,
      maxDeadlineShifts: offerings.maxDeadlineShifts,
      requiredSessions: offerings.requiredSessions,
      seatsTaken: offerings.seatsTaken,
      createdAt: offerings.createdAt,
      updatedAt: offerings.updatedAt,
      publishedAt: offerings.publishedAt,
      // Aliased by hand: drizzle leaves columns unqualified in a single-table select.
      trainers: sql<{ id: string; name: string }[]>`coalesce((
        select json_agg(json_build_object('id', u.id, 'name', u.full_name) order by ot.position, u.full_name)
        from offering_trainers ot join users u on u.id = ot.user_id
        where ot.offering_id = "offerings"."id"
      ), '[]'::json)`,
    })
    .from(offerings)
    .where(eq(offerings.slug, slug))
    .limit(1);
  return row ?? null;
}

/**
 * The offering's public schedule: modules with their activities, live
 * sessions that are not cancelled, and the activities outside any module.
 * Three small queries, run together.
 */
export async function loadPublicSchedule(db: Executor, offeringId: string): Promise<Omit<OfferingPageData, 'offering'>> {
  const [moduleRows, sessionRows, activityRows] = await Promise.all([
    db
      .select({
        id: modules.id,
        position: modules.position,
        title: modules.title,
        summary: modules.summary,
        releaseAt: modules.releaseAt,
        releaseOffsetDays: modules.releaseOffsetDays,
      })
      .from(modules)
      .where(eq(modules.offeringId, offeringId))
      .orderBy(asc(modules.position)),
    db
      .select({
        id: liveSessions.id,
        title: liveSessions.title,
        startsAt: liveSessions.startsAt,
        organiserTimeZone: liveSessions.organiserTimeZone,
        durationMinutes: liveSessions.durationMinutes,
        attendanceThresholdPercent: liveSessions.attendanceThresholdPercent,
      })
      .from(liveSessions)
      .where(and(eq(liveSessions.offeringId, offeringId), isNull(liveSessions.cancelledAt)))
      .orderBy(asc(liveSessions.startsAt), asc(liveSessions.title)),
    db
      .select({
        id: activities.id,
        moduleId: activities.moduleId,
        title: activities.title,
        kind: activities.kind,
        required: activities.required,
        dueAt: activities.dueAt,
      })
      .from(activities)
      .where(and(eq(activities.offeringId, offeringId), isNull(activities.removedAt)))
      .orderBy(asc(activities.position)),
  ]);
  const byModule = new Map<string, ScheduleModule['activities']>();
  const looseActivities: LooseActivity[] = [];
  for (const { moduleId, dueAt, ...activity } of activityRows) {
    if (moduleId) {
      const list = byModule.get(moduleId) ?? [];
      list.push(activity);
      byModule.set(moduleId, list);
    } else {
      looseActivities.push({ ...activity, dueAt });
    }
  }
  return {
    modules: moduleRows.map((row) => ({ ...row, activities: byModule.get(row.id) ?? [] })),
    sessions: sessionRows,
    looseActivities,
    quizCount: activityRows.filter((a) => a.kind === 'quiz' && a.required).length,
  };
}

/**
 * What the public offering page shows, or null when there is nothing the
 * viewer may see at that address: unknown slugs and drafts look the same to
 * those who may not inspect drafts (the policy decides, `offering.view`).
 */
export async function loadOfferingPage(
  db: Executor,
  slug: string,
  viewer: Actor | null,
  env: PolicyEnvironment,
): Promise<OfferingPageData | null> {
  const offering = await findOfferingBySlug(db, slug);
  if (!offering) return null;
  const access = { status: offering.status, trainerIds: offering.trainers.map((t) => t.id) };
  if (!can(viewer, { action: 'offering.view', offering: access }, env)) return null;
  return { offering, ...(await loadPublicSchedule(db, offering.id)) };
}

export interface OfferingPageView {
  now: Date;
  timeZone: string;
  locale: string;
  appUrl: string;
  organisationName: string;
}

export type ModuleRelease = { type: 'at'; at: string; text: string } | { type: 'days'; days: number } | { type: 'start' };
export type EnrolmentState = 'open' | 'not-yet' | 'closed' | 'unknown';

/**
 * The offering page as the viewer reads it: dates in their zone and
 * language, the description as sanitised HTML, the certificate rule as a
 * sentence and the structured data ready to embed. Null when there is nothing
 * this viewer may see at the address.
 */
export async function offeringPageFor(
  db: Executor,
  slug: string,
  viewer: Actor | null,
  env: PolicyEnvironment,
  view: OfferingPageView,
) {
  if (slug.length === 0 || slug.length > 200) return null;
  const page = await loadOfferingPage(db, slug, viewer, env);
  if (!page) return null;
  const { offering, modules: moduleRows, sessions, looseActivities, quizCount } = page;
  const { timeZone, locale, now } = view;
  const date = (value: Date | null) => (value ? formatInstant(value, 'dateTime', timeZone, locale) : null);

  const enrolmentState: EnrolmentState =
    !offering.enrolmentOpensAt || !offering.enrolmentClosesAt
      ? 'unknown'
      : now < offering.enrolmentOpensAt
        ? 'not-yet'
        : now < offering.enrolmentClosesAt
          ? 'open'
          : 'closed';

  const tasks = [
    ...looseActivities,
    ...moduleRows.flatMap((m) => m.activities.map((a) => ({ ...a, dueAt: null }))),
  ].filter((a) => a.required && a.kind !== 'live_session');
  const deadline = offering.completionDeadline ?? offering.endsAt;

  return {
    offering: {
      slug: offering.slug,
      kind: offering.kind,
      title: offering.title,
      summary: offering.summary,
      status: offering.status,
      language: offering.language,
      languageName: languageName(offering.language, locale),
      topics: offering.topics,
      targetAudiences: offering.targetAudiences.filter((a): a is TargetAudience => (TARGET_AUDIENCES as readonly string[]).includes(a)),
      eligibility: offering.eligibility,
      pacingMode: offering.pacingMode,
      hours: formatHours(offering.expectedMinutes, locale),
      startsAt: offering.startsAt?.toISOString() ?? null,
      dates: formatRunDates(offering.startsAt, offering.endsAt, timeZone, locale),
      completionDeadline: hasModules(offering.kind) ? date(deadline) : null,
      descriptionHtml: offering.description.trim() ? renderMarkdown(offering.description) : '',
      trainers: offering.trainers.map((t) => t.name),
    },
    enrolment: {
      state: enrolmentState,
      opens: date(offering.enrolmentOpensAt),
      closes: date(offering.enrolmentClosesAt),
    },
    places: { capacity: offering.capacity, seats: seatsOf(offering) },
    modules: moduleRows.map((m) => ({
      id: m.id,
      title: m.title,
      summary: m.summary,
      release: moduleRelease(m, offering.pacingMode, timeZone, locale),
      activities: m.activities.map((a) => ({ id: a.id, title: a.title, kind: a.kind })),
    })),
    sessions: sessions.map((s) => ({
      id: s.id,
      title: s.title,
      startsAt: s.startsAt.toISOString(),
      organiserTimeZone: s.organiserTimeZone,
      durationMinutes: s.durationMinutes,
    })),
    criteria: certificateCriteria({
      kind: offering.kind,
      certificateEnabled: offering.certificateEnabled,
      deadline: deadline ? formatInstant(deadline, 'date', timeZone, locale) : null,
      requiredSessions: offering.requiredSessions,
      quizCount,
      sessions,
      tasks,
    }),
    jsonLd: serializeJsonLd(
      offeringJsonLd(
        { ...offering, trainers: offering.trainers.map((t) => t.name), sessions },
        { url: `${view.appUrl}/offerings/${encodeURIComponent(offering.slug)}`, organisation: { name: view.organisationName, url: view.appUrl } },
      ),
    ),
    timeZone,
    locale,
  };
}

function moduleRelease(
  m: Pick<ScheduleModule, 'releaseAt' | 'releaseOffsetDays'>,
  pacing: 'cohort' | 'self_paced',
  timeZone: string,
  locale: string,
): ModuleRelease {
  if (pacing === 'self_paced' && m.releaseOffsetDays !== null) {
    // Counted from each participant's own start, so there is no date to show.
    return m.releaseOffsetDays > 0 ? { type: 'days', days: m.releaseOffsetDays } : { type: 'start' };
  }
  if (m.releaseAt) return { type: 'at', at: m.releaseAt.toISOString(), text: formatInstant(m.releaseAt, 'dateTime', timeZone, locale) };
  return { type: 'start' };
}
