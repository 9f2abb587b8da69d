import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, isNotNull, isNull, ne, notInArray, or, sql } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { activities, activityProgress, calendarFeeds, enrolments, offerings, users } from '#db/schema';
import type { Config } from '../config/config.server';
import { serverT } from '../i18n/i18n';
import type { Locale } from '../i18n/locales';
import { pacingEnrolmentOf } from '../learning/dashboard.server';
import { completionDeadlineOf, HANDED_IN_STATUSES, personalDueAt, type PacingOffering } from '../learning/pacing';
import { calendarSite, calendarTexts } from './calendar.server';
import { buildCalendar, type CalendarDeadline, type CalendarSession } from './ics';

/**
 * A person's calendar subscription (DESIGN.md §5): a secret URL that calendar
 * programs fetch without signing in, so the token is the only key: 32 random
 * bytes, base64url. Resetting replaces it; the old URL then answers 404.
 */

/** 32 bytes in base64url: 43 characters. Anything else is answered with 404 before any query runs. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function isFeedToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_PATTERN.test(value);
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** How often subscribed programs should fetch again; most take it as a hint at best. */
export const FEED_REFRESH_MINUTES = 60;

export interface FeedUrls {
  https: string;
  /** The same address with the webcal scheme, which opens the calendar program's "subscribe" dialog. */
  webcal: string;
}

export function feedUrls(appUrl: string, token: string): FeedUrls {
  const https = `${appUrl}/calendar/${token}.ics`;
  return { https, webcal: https.replace(/^https?:\/\//, 'webcal://') };
}

export async function findFeedToken(db: Executor, userId: string): Promise<string | null> {
  const [row] = await db.select({ token: calendarFeeds.token }).from(calendarFeeds).where(eq(calendarFeeds.userId, userId)).limit(1);
  return row?.token ?? null;
}

/** The person's token, made on first use; a second call (another tab) returns the one that exists. */
export async function ensureFeedToken(db: Executor, userId: string, now: Date): Promise<string> {
  const [created] = await db
    .insert(calendarFeeds)
    .values({ userId, token: newToken(), createdAt: now })
    .onConflictDoNothing({ target: calendarFeeds.userId })
    .returning({ token: calendarFeeds.token });
  if (created) return created.token;
  const existing = await findFeedToken(db, userId);
  if (!existing) throw new Error('calendar feed vanished while it was being read');
  return existing;
}

/** A new token in place of the old one (or a first one): the old URL stops working at once. */
export async function resetFeedToken(db: Executor, userId: string, now: Date): Promise<string> {
  const token = newToken();
  await db
    .insert(calendarFeeds)
    .values({ userId, token, createdAt: now })
    .onConflictDoUpdate({ target: calendarFeeds.userId, set: { token, createdAt: now } });
  return token;
}

type FeedSession = { id: string; title: string; startsAt: string; durationMinutes: number; sequence: number; cancelled: boolean };

/** An offering's sessions as one JSON value, so the feed needs no query per offering. */
const sessionsJson = sql<FeedSession[] | string>`(
  select coalesce(json_agg(json_build_object(
    'id', s.id, 'title', s.title, 'startsAt', s.starts_at, 'durationMinutes', s.duration_minutes,
    'sequence', s.sequence, 'cancelled', s.cancelled_at is not null
  ) order by s.starts_at, s.id), '[]'::json)
  from live_sessions s where s.offering_id = ${offerings.id})`;

/**
 * Everything the feed shows, in (at most) two queries: the token's owner
 * with their active enrolments, each offering's pacing facts and its
 * sessions (as JSON); then, for offerings still being worked on, the
 * required activities with a due date the person has not handed in.
 * Null when no feed has this token.
 */
export async function loadFeed(db: Executor, token: string) {
  const rows = await db
    .select({
      userId: calendarFeeds.userId,
      locale: users.locale,
      offeringId: offerings.id,
      slug: offerings.slug,
      title: offerings.title,
      status: enrolments.status,
      pacingMode: offerings.pacingMode,
      organiserTimeZone: offerings.organiserTimeZone,
      startsAt: offerings.startsAt,
      endsAt: offerings.endsAt,
      completionDeadline: offerings.completionDeadline,
      maxDeadlineShifts: offerings.maxDeadlineShifts,
      enrolledAt: enrolments.enrolledAt,
      createdAt: enrolments.createdAt,
      deadlineShiftsUsed: enrolments.deadlineShiftsUsed,
      deadlineShiftDays: enrolments.deadlineShiftDays,
      sessions: sessionsJson,
    })
    .from(calendarFeeds)
    .innerJoin(users, eq(users.id, calendarFeeds.userId))
    .leftJoin(enrolments, and(eq(enrolments.userId, calendarFeeds.userId), inArray(enrolments.status, ['enrolled', 'completed'])))
    .leftJoin(offerings, eq(offerings.id, enrolments.offeringId))
    .where(eq(calendarFeeds.token, token))
    .orderBy(asc(offerings.startsAt), asc(offerings.id));
  const first = rows[0];
  if (!first) return null;
  const locale: Locale = first.locale;

  const offeringsOfFeed = rows.flatMap((row) => {
    if (!row.offeringId || !row.title || !row.slug || !row.status || !row.pacingMode || !row.organiserTimeZone || !row.createdAt) return [];
    const pacing: PacingOffering = {
      pacingMode: row.pacingMode,
      organiserTimeZone: row.organiserTimeZone,
      startsAt: row.startsAt,
      endsAt: row.endsAt,
      completionDeadline: row.completionDeadline,
      maxDeadlineShifts: row.maxDeadlineShifts ?? 0,
    };
    const enrolment = pacingEnrolmentOf({
      enrolledAt: row.enrolledAt,
      createdAt: row.createdAt,
      deadlineShiftsUsed: row.deadlineShiftsUsed ?? 0,
      deadlineShiftDays: row.deadlineShiftDays ?? 0,
    });
    // postgres.js hands json over as text, PGlite parsed.
    const raw = typeof row.sessions === 'string' ? (JSON.parse(row.sessions) as FeedSession[]) : (row.sessions ?? []);
    const title = row.title;
    const sessions = raw.map((s): CalendarSession => ({ ...s, offeringTitle: title, startsAt: new Date(s.startsAt) }));
    return [{ id: row.offeringId, slug: row.slug, title, status: row.status, pacing, enrolment, sessions }];
  });
  // Deadlines matter only while the person still works on the offering.
  const working = offeringsOfFeed.filter((o) => o.status === 'enrolled');
  const due =
    working.length === 0
      ? []
      : await db
          .select({ id: activities.id, offeringId: activities.offeringId, title: activities.title, dueAt: activities.dueAt })
          .from(activities)
          .leftJoin(activityProgress, and(eq(activityProgress.activityId, activities.id), eq(activityProgress.userId, first.userId)))
          .where(
            and(
              inArray(
                activities.offeringId,
                working.map((o) => o.id),
              ),
              eq(activities.required, true),
              isNull(activities.removedAt),
              isNotNull(activities.dueAt),
              ne(activities.kind, 'live_session'),
              or(isNull(activityProgress.status), notInArray(activityProgress.status, [...HANDED_IN_STATUSES])),
            ),
          );
  return { userId: first.userId, locale, offerings: offeringsOfFeed, due };
}

export type Feed = NonNullable<Awaited<ReturnType<typeof loadFeed>>>;

/** The feed as iCalendar: every session of the person's active enrolments, and their personal due dates, METHOD:PUBLISH. */
export function feedCalendar(feed: Feed, config: Config, now: Date): string {
  const t = serverT(feed.locale);
  const deadlines: CalendarDeadline[] = [];
  const byId = new Map(feed.offerings.map((o) => [o.id, o]));
  for (const activity of feed.due) {
    const offering = byId.get(activity.offeringId);
    const dueAt = offering ? personalDueAt(offering.pacing, activity.dueAt, offering.enrolment) : null;
    if (!offering || !dueAt) continue;
    deadlines.push({
      key: `activity-${activity.id}`,
      summary: t('calendar.ics.activityDue', { activity: activity.title, offering: offering.title }),
      dueAt,
      url: `${config.appUrl}/learn/${encodeURIComponent(offering.slug)}/activities/${activity.id}`,
    });
  }
  for (const offering of feed.offerings) {
    const deadline = offering.status === 'enrolled' ? completionDeadlineOf(offering.pacing) : null;
    if (!deadline) continue;
    deadlines.push({
      key: `offering-${offering.id}`,
      summary: t('calendar.ics.completionDeadline', { offering: offering.title }),
      dueAt: deadline,
      url: `${config.appUrl}/learn/${encodeURIComponent(offering.slug)}`,
    });
  }
  return buildCalendar({
    method: 'PUBLISH',
    sessions: feed.offerings.flatMap((o) => o.sessions),
    deadlines,
    name: t('calendar.ics.feedName', { organisation: config.organisationName }),
    refreshMinutes: FEED_REFRESH_MINUTES,
    texts: calendarTexts(feed.locale),
    site: calendarSite(config),
    now,
  });
}
