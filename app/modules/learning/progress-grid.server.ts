import { stringify } from 'csv-stringify/sync';
import { and, asc, eq, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Executor } from '#db/client';
import { activities, activityProgress, enrolments, modules, offerings, users } from '#db/schema';
import { serverT } from '../i18n/i18n';
import type { TranslationKey } from '../i18n/keys';
import type { Locale } from '../i18n/locales';
import { translateKey } from '../i18n/translate';
import { likePattern, offsetFor, pageCount, pageParam, PAGE_SIZE } from '../ui/pagination';
import { pacingEnrolmentOf } from './dashboard.server';
import { CELL_LABELS, type CellStatus } from './progress-cells';

export type { CellStatus };
import { HANDED_IN_STATUSES, isHandedIn, isOverdue, personalDueAt, type PacingOffering } from './pacing';

/**
 * The trainer's progress grid (issue 4): participants × required activities
 * of one offering. Four queries a page whatever its size: the offering, its
 * columns, the matching participants (with what filtering needs), and the
 * progress cells of the page's participants.
 */

export const GRID_ENROLMENT_STATUSES = ['enrolled', 'completed'] as const;
export type GridEnrolmentStatus = (typeof GRID_ENROLMENT_STATUSES)[number];
export const GRID_SEARCH_MAX = 100;

/** The grid's URL filters; the CSV export reads the same ones. */
export const progressFilterSchema = z.object({
  status: z.enum(GRID_ENROLMENT_STATUSES).optional(),
  q: z.string().max(GRID_SEARCH_MAX).optional(),
  behind: z.enum(['1', 'on', 'true']).optional(),
  page: pageParam,
});
export type ProgressFilter = z.infer<typeof progressFilterSchema>;

export interface GridColumn {
  id: string;
  title: string;
  kind: (typeof activities.$inferSelect)['kind'];
  /** Position of the module (1-based) and of the activity in it; null module for the offering's own tasks. */
  module: number | null;
  position: number;
  dueAt: Date | null;
}

export interface GridCell {
  status: CellStatus;
  /** Not handed in (done, or submitted for review) and the participant's own due date has passed. */
  overdue: boolean;
}

export interface GridRow {
  userId: string;
  fullName: string;
  email: string;
  status: GridEnrolmentStatus;
  enrolledAt: Date | null;
  completedAt: Date | null;
  done: number;
  behind: boolean;
  cells: GridCell[];
}

export interface ProgressGrid {
  offering: { id: string; slug: string; title: string; organiserTimeZone: string };
  columns: GridColumn[];
  rows: GridRow[];
  total: number;
  page: number;
  pages: number;
}

async function loadOffering(db: Executor, offeringId: string) {
  const [row] = await db
    .select({
      id: offerings.id,
      slug: offerings.slug,
      title: offerings.title,
      pacingMode: offerings.pacingMode,
      organiserTimeZone: offerings.organiserTimeZone,
      startsAt: offerings.startsAt,
      endsAt: offerings.endsAt,
      completionDeadline: offerings.completionDeadline,
      maxDeadlineShifts: offerings.maxDeadlineShifts,
    })
    .from(offerings)
    .where(eq(offerings.id, offeringId))
    .limit(1);
  return row ?? null;
}

/** Required activities still listed, in module order, then the offering's own tasks. */
async function loadColumns(db: Executor, offeringId: string): Promise<GridColumn[]> {
  return db
    .select({
      id: activities.id,
      title: activities.title,
      kind: activities.kind,
      module: modules.position,
      position: activities.position,
      dueAt: activities.dueAt,
    })
    .from(activities)
    .leftJoin(modules, eq(modules.id, activities.moduleId))
    .where(and(eq(activities.offeringId, offeringId), eq(activities.required, true), isNull(activities.removedAt)))
    .orderBy(sql`${modules.position} asc nulls last`, asc(activities.position), asc(activities.id));
}

/**
 * Every participant matching the status and name filters, with what the
 * "behind" filter needs: the earliest authored due date among the required
 * activities they have not handed in (a personal due date moves every date of
 * a participant by the same days, so the earliest stays the earliest).
 */
async function loadParticipants(db: Executor, offeringId: string, filter: Pick<ProgressFilter, 'status' | 'q'>) {
  const listed = and(eq(activities.offeringId, enrolments.offeringId), eq(activities.required, true), isNull(activities.removedAt));
  const earliestOpenDue = sql<Date | null>`(
      select min(${activities.dueAt}) from ${activities}
      where ${listed} and ${activities.dueAt} is not null
        and not exists (
          select 1 from ${activityProgress}
          where ${activityProgress.userId} = ${enrolments.userId} and ${activityProgress.activityId} = ${activities.id}
            and ${inArray(activityProgress.status, [...HANDED_IN_STATUSES])}
        )
    )`.mapWith(activities.dueAt);
  const done = sql<number>`(
      select count(*) from ${activityProgress}
      inner join ${activities} on ${activities.id} = ${activityProgress.activityId}
      where ${activityProgress.userId} = ${enrolments.userId} and ${listed} and ${activityProgress.status} = 'done'
    )`.mapWith(Number);
  const search = filter.q?.trim();
  return db
    .select({
      userId: enrolments.userId,
      fullName: users.fullName,
      email: users.email,
      status: enrolments.status,
      enrolledAt: enrolments.enrolledAt,
      createdAt: enrolments.createdAt,
      completedAt: enrolments.completedAt,
      deadlineShiftsUsed: enrolments.deadlineShiftsUsed,
      deadlineShiftDays: enrolments.deadlineShiftDays,
      earliestOpenDue,
      done,
    })
    .from(enrolments)
    .innerJoin(users, eq(users.id, enrolments.userId))
    .where(
      and(
        eq(enrolments.offeringId, offeringId),
        filter.status ? eq(enrolments.status, filter.status) : inArray(enrolments.status, [...GRID_ENROLMENT_STATUSES]),
        search ? or(ilike(users.fullName, likePattern(search)), ilike(users.email, likePattern(search))) : undefined,
      ),
    )
    .orderBy(asc(users.fullName), asc(users.id));
}

type ParticipantRow = Awaited<ReturnType<typeof loadParticipants>>[number];

async function loadCells(db: Executor, userIds: string[], columns: GridColumn[]) {
  if (userIds.length === 0 || columns.length === 0) return new Map<string, CellStatus>();
  const rows = await db
    .select({ userId: activityProgress.userId, activityId: activityProgress.activityId, status: activityProgress.status })
    .from(activityProgress)
    .where(
      and(
        inArray(activityProgress.userId, userIds),
        inArray(activityProgress.activityId, columns.map((c) => c.id)),
      ),
    );
  return new Map(rows.map((row) => [`${row.userId}|${row.activityId}`, row.status as CellStatus]));
}

function toRow(offering: PacingOffering, columns: GridColumn[], cells: Map<string, CellStatus>, p: ParticipantRow, behind: boolean, now: Date): GridRow {
  const enrolment = pacingEnrolmentOf(p);
  return {
    userId: p.userId,
    fullName: p.fullName,
    email: p.email,
    status: p.status as GridEnrolmentStatus,
    enrolledAt: p.enrolledAt,
    completedAt: p.completedAt,
    done: p.done,
    behind,
    cells: columns.map((column) => {
      const status = cells.get(`${p.userId}|${column.id}`) ?? 'not-started';
      return { status, overdue: isOverdue(personalDueAt(offering, column.dueAt, enrolment), isHandedIn(status), now) };
    }),
  };
}

function isBehind(offering: PacingOffering, p: ParticipantRow, now: Date): boolean {
  return isOverdue(personalDueAt(offering, p.earliestOpenDue, pacingEnrolmentOf(p)), false, now);
}

/** One page (25) of the grid. */
export async function loadProgressGrid(db: Executor, offeringId: string, filter: ProgressFilter, now: Date): Promise<ProgressGrid | null> {
  const [offering, columns, participants] = await Promise.all([loadOffering(db, offeringId), loadColumns(db, offeringId), loadParticipants(db, offeringId, filter)]);
  if (!offering) return null;
  const matching = participants.map((p) => ({ p, behind: isBehind(offering, p, now) })).filter(({ behind }) => !filter.behind || behind);
  const total = matching.length;
  const pages = pageCount(total);
  const slice = matching.slice(offsetFor(filter.page), offsetFor(filter.page) + PAGE_SIZE);
  const cells = await loadCells(db, slice.map(({ p }) => p.userId), columns);
  return {
    offering: { id: offering.id, slug: offering.slug, title: offering.title, organiserTimeZone: offering.organiserTimeZone },
    columns,
    rows: slice.map(({ p, behind }) => toRow(offering, columns, cells, p, behind, now)),
    total,
    page: filter.page,
    pages,
  };
}

/** Every matching participant, for the CSV export (same filters, no pages). */
export async function loadProgressExport(db: Executor, offeringId: string, filter: ProgressFilter, now: Date): Promise<Omit<ProgressGrid, 'page' | 'pages'> | null> {
  const [offering, columns, participants] = await Promise.all([loadOffering(db, offeringId), loadColumns(db, offeringId), loadParticipants(db, offeringId, filter)]);
  if (!offering) return null;
  const matching = participants.map((p) => ({ p, behind: isBehind(offering, p, now) })).filter(({ behind }) => !filter.behind || behind);
  const cells = await loadAllCells(db, offeringId, columns);
  return {
    offering: { id: offering.id, slug: offering.slug, title: offering.title, organiserTimeZone: offering.organiserTimeZone },
    columns,
    rows: matching.map(({ p, behind }) => toRow(offering, columns, cells, p, behind, now)),
    total: matching.length,
  };
}

/** Progress of every participant of the offering on the grid's columns (an export can be thousands of people: no id list). */
async function loadAllCells(db: Executor, offeringId: string, columns: GridColumn[]) {
  if (columns.length === 0) return new Map<string, CellStatus>();
  const rows = await db
    .select({ userId: activityProgress.userId, activityId: activityProgress.activityId, status: activityProgress.status })
    .from(activityProgress)
    .innerJoin(enrolments, and(eq(enrolments.userId, activityProgress.userId), eq(enrolments.offeringId, offeringId)))
    .where(
      and(
        inArray(activityProgress.activityId, columns.map((c) => c.id)),
        inArray(enrolments.status, [...GRID_ENROLMENT_STATUSES]),
      ),
    );
  return new Map(rows.map((row) => [`${row.userId}|${row.activityId}`, row.status as CellStatus]));
}

/** Text a spreadsheet would run as a formula; such cells get a leading apostrophe (OWASP's advice for CSV injection). */
function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const csvDate = (instant: Date | null, zone: string) => (instant ? DateTime.fromJSDate(instant, { zone }).toFormat('yyyy-MM-dd HH:mm') : '');

/**
 * The export as CSV text, labels in the viewer's language and times in their
 * zone: a byte-order mark first (so spreadsheet programs read UTF-8 names
 * right), a header row, then one row per participant.
 */
export function progressCsv(data: Omit<ProgressGrid, 'page' | 'pages'>, locale: Locale, zone: string): string {
  const t = serverT(locale);
  const tr = (key: TranslationKey, params?: Record<string, unknown>) => translateKey(t, key, params);
  const header = [
    tr('progress.csv.name'),
    tr('progress.csv.email'),
    tr('progress.csv.status'),
    tr('progress.csv.enrolledAt', { zone }),
    tr('progress.csv.completedAt', { zone }),
    tr('progress.csv.done'),
    tr('progress.csv.required'),
    tr('progress.csv.behind'),
    ...data.columns.map((c) => `${c.module === null ? tr('progress.offeringTask') : tr('progress.moduleShort', { number: c.module })} · ${c.title}`),
  ];
  const statusLabel = { enrolled: tr('progress.statusEnrolled'), completed: tr('progress.statusCompleted') };
  const cellLabel = Object.fromEntries(Object.entries(CELL_LABELS).map(([status, key]) => [status, tr(key)])) as Record<CellStatus, string>;
  const overdue = tr('progress.overdue');
  const records = data.rows.map((row) => [
    row.fullName,
    row.email,
    statusLabel[row.status],
    csvDate(row.enrolledAt, zone),
    csvDate(row.completedAt, zone),
    String(row.done),
    String(data.columns.length),
    row.behind ? tr('progress.csv.yes') : tr('progress.csv.no'),
    ...row.cells.map((cell) => (cell.overdue ? `${cellLabel[cell.status]} (${overdue})` : cellLabel[cell.status])),
  ]);
  return `\uFEFF${stringify([header, ...records].map((record) => record.map(neutralise)), { record_delimiter: 'windows' })}`;
}
