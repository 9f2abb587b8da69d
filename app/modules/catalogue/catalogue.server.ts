import { and, asc, count, eq, gt, gte, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { offerings } from '#db/schema';
import { offsetFor, pageCount, type Page } from '../ui/pagination';
import { toCard, type CatalogueRow } from './card';
import { intlLocale, languageName } from './datetime';
import { CATALOGUE_PAGE_SIZE, monthChoices, monthLabel, monthRange, prefixTsQuery, type CatalogueFilters } from './filters';

/**
 * What anyone may find in the catalogue: published and not yet over. An
 * ended offering keeps its page (people link to it) but leaves the list,
 * which is sorted by start and would otherwise open with last year's courses.
 */
function listed(now: Date): SQL {
  return and(eq(offerings.status, 'published'), or(isNull(offerings.endsAt), gte(offerings.endsAt, now)))!;
}

/** The WHERE clause for a set of catalogue filters; `timeZone` is the viewer's, for "starts in month". */
export function catalogueConditions(filters: Omit<CatalogueFilters, 'page'>, now: Date, timeZone: string): SQL {
  const conditions: SQL[] = [listed(now)];
  if (filters.kind) conditions.push(eq(offerings.kind, filters.kind));
  if (filters.language) conditions.push(eq(offerings.language, filters.language));
  if (filters.eligibility) conditions.push(eq(offerings.eligibility, filters.eligibility));
  // An offering for all school levels is for primary teachers too. Both operators use the GIN index.
  if (filters.audience) conditions.push(sql`${offerings.targetAudiences} && array[${filters.audience}, 'all']::text[]`);
  if (filters.topic) conditions.push(sql`${offerings.topics} @> array[${filters.topic}]::text[]`);
  if (filters.open) conditions.push(lte(offerings.enrolmentOpensAt, now), gt(offerings.enrolmentClosesAt, now));
  if (filters.month) {
    const { from, until } = monthRange(filters.month, timeZone);
    conditions.push(gte(offerings.startsAt, from), lt(offerings.startsAt, until));
  }
  const query = prefixTsQuery(filters.q);
  if (query) conditions.push(sql`${offerings.searchVector} @@ to_tsquery('simple', ${query})`);
  return and(...conditions)!;
}

/**
 * Trainers' names of the offering in the enclosing query, in their order.
 * Written out with aliases: drizzle leaves columns unqualified in a
 * single-table select, and an unqualified "id" here would be the user's.
 */
const trainerNames = sql<string[]>`coalesce((
  select array_agg(u.full_name order by ot.position, u.full_name)
  from offering_trainers ot join users u on u.id = ot.user_id
  where ot.offering_id = "offerings"."id"
), '{}'::text[])`;

const cardColumns = {
  id: offerings.id,
  slug: offerings.slug,
  kind: offerings.kind,
  title: offerings.title,
  summary: offerings.summary,
  language: offerings.language,
  eligibility: offerings.eligibility,
  expectedMinutes: offerings.expectedMinutes,
  startsAt: offerings.startsAt,
  endsAt: offerings.endsAt,
  enrolmentOpensAt: offerings.enrolmentOpensAt,
  enrolmentClosesAt: offerings.enrolmentClosesAt,
  capacity: offerings.capacity,
  seatsTaken: offerings.seatsTaken,
  waitlistEnabled: offerings.waitlistEnabled,
  trainers: trainerNames,
};

/** Sooner first; the title and id make the order total, so pages never share or skip a card. */
const catalogueOrder = [asc(offerings.startsAt), asc(offerings.title), asc(offerings.id)];

/**
 * One page of the catalogue in one query (two only when the page lies past
 * the end), whatever the page size: the inner query picks the page's ids and
 * counts every match in the same pass (a window count); the outer one joins
 * back for the card columns and gathers each card's trainers, so the
 * trainers' subquery runs for the page's rows only.
 */
export async function listCatalogue(
  db: Executor,
  filters: CatalogueFilters,
  view: { now: Date; timeZone: string },
  pageSize = CATALOGUE_PAGE_SIZE,
): Promise<Page<CatalogueRow>> {
  const where = catalogueConditions(filters, view.now, view.timeZone);
  const page = db
    .select({ id: offerings.id, total: sql<number>`count(*) over ()`.as('total') })
    .from(offerings)
    .where(where)
    .orderBy(...catalogueOrder)
    .limit(pageSize)
    .offset(offsetFor(filters.page, pageSize))
    .as('page');
  const rows = await db
    .select({ ...cardColumns, total: page.total })
    .from(page)
    .innerJoin(offerings, eq(offerings.id, page.id))
    .orderBy(...catalogueOrder);

  let total = rows.length > 0 ? Number(rows[0]!.total) : 0;
  if (rows.length === 0 && filters.page > 1) {
    // A page past the end has no row to carry the count; the pager still needs it.
    const [counted] = await db.select({ total: count() }).from(offerings).where(where);
    total = counted?.total ?? 0;
  }
  return {
    rows: rows.map(({ total: _total, ...row }) => row),
    total,
    page: filters.page,
    pages: pageCount(total, pageSize),
  };
}

type Facets = { languages: string[]; topics: string[] };

/** How long a process reuses the filter form's choices. */
export const FACETS_TTL_MS = 30_000;
const facetsCache = new WeakMap<Executor, { until: number; facets: Promise<Facets> }>();

/**
 * The filter form's choices, kept for 30 seconds per process: they change
 * only when an offering is published, edited or ends, a new language or topic
 * may wait that long to be offered (it is found by search and URL at once),
 * and the aggregate over every listed offering is the dearest query of the
 * page. Concurrent requests share one query.
 */
export function cachedCatalogueFacets(db: Executor, now: Date): Promise<Facets> {
  const cached = facetsCache.get(db);
  if (cached && cached.until > now.getTime()) return cached.facets;
  const facets = catalogueFacets(db, now);
  facetsCache.set(db, { until: now.getTime() + FACETS_TTL_MS, facets });
  // A failed query must not stay cached.
  facets.catch(() => {
    if (facetsCache.get(db)?.facets === facets) facetsCache.delete(db);
  });
  return facets;
}

/** The languages and topics of listed offerings, for the filter form's choices. One query. */
export async function catalogueFacets(db: Executor, now: Date): Promise<Facets> {
  const [row] = await db
    .select({
      languages: sql<string[] | null>`array_agg(distinct ${offerings.language})`,
      topics: sql<string[] | null>`array_agg(distinct topic) filter (where topic is not null)`,
    })
    .from(offerings)
    .leftJoin(sql`lateral unnest(${offerings.topics}) as topic`, sql`true`)
    .where(listed(now));
  return { languages: row?.languages ?? [], topics: row?.topics ?? [] };
}

const HOME_CARDS = 6;
const STARTING_SOON_DAYS = 60;

/**
 * The home page's two rows: offerings open for enrolment now, and those
 * starting in the next 60 days that are not already in the first row.
 */
export async function homeHighlights(db: Executor, now: Date): Promise<{ openNow: CatalogueRow[]; startingSoon: CatalogueRow[] }> {
  const soonUntil = new Date(now.getTime() + STARTING_SOON_DAYS * 86_400_000);
  const [openNow, soon] = await Promise.all([
    db
      .select(cardColumns)
      .from(offerings)
      .where(and(listed(now), lte(offerings.enrolmentOpensAt, now), gt(offerings.enrolmentClosesAt, now)))
      .orderBy(...catalogueOrder)
      .limit(HOME_CARDS),
    db
      .select(cardColumns)
      .from(offerings)
      .where(and(listed(now), gt(offerings.startsAt, now), lte(offerings.startsAt, soonUntil)))
      .orderBy(...catalogueOrder)
      .limit(HOME_CARDS * 2),
  ]);
  const shown = new Set(openNow.map((row) => row.id));
  return { openNow, startingSoon: soon.filter((row) => !shown.has(row.id)).slice(0, HOME_CARDS) };
}

export interface CatalogueView {
  now: Date;
  timeZone: string;
  locale: string;
}

type Choice = { value: string; label: string };

/**
 * Everything /catalogue shows: the page of cards (in the viewer's zone and
 * language), the count, and the filter form's choices. At most three
 * queries whatever the page size: the page with its count, a count when the
 * page lies past the end, and the choices (at most every 30 seconds).
 */
export async function loadCataloguePage(db: Executor, filters: CatalogueFilters, view: CatalogueView, pageSize = CATALOGUE_PAGE_SIZE) {
  const [page, facets] = await Promise.all([listCatalogue(db, filters, view, pageSize), cachedCatalogueFacets(db, view.now)]);
  const collator = collatorFor(view.locale);
  const languages: Choice[] = withSelected(facets.languages, filters.language)
    .map((code) => ({ value: code, label: languageName(code, view.locale) }))
    .sort((a, b) => collator.compare(a.label, b.label));
  const topics: Choice[] = withSelected(facets.topics, filters.topic)
    .sort(collator.compare)
    .map((topic) => ({ value: topic, label: topic }));
  const months: Choice[] = monthChoices(view.now, view.timeZone, filters.month).map((month) => ({ value: month, label: monthLabel(month, view.locale) }));
  return {
    cards: page.rows.map((row) => toCard(row, view)),
    total: page.total,
    page: page.page,
    pages: page.pages,
    filters: {
      q: filters.q ?? '',
      kind: filters.kind ?? '',
      language: filters.language ?? '',
      audience: filters.audience ?? '',
      topic: filters.topic ?? '',
      open: filters.open ?? '',
      month: filters.month ?? '',
      eligibility: filters.eligibility ?? '',
    },
    choices: { languages, topics, months },
    timeZone: view.timeZone,
  };
}

/** The home page's two rows as cards. */
export async function loadHomeHighlights(db: Executor, view: CatalogueView) {
  const { openNow, startingSoon } = await homeHighlights(db, view.now);
  return { openNow: openNow.map((row) => toCard(row, view)), startingSoon: startingSoon.map((row) => toCard(row, view)) };
}

/** A value from the URL stays choosable even when no listed offering has it (then the list is empty, and says so). */
function withSelected(values: string[], selected: string | undefined): string[] {
  return selected && !values.includes(selected) ? [...values, selected] : [...values];
}

const collators = new Map<string, Intl.Collator>();
function collatorFor(locale: string): Intl.Collator {
  let collator = collators.get(locale);
  if (!collator) {
    collator = new Intl.Collator(intlLocale(locale), { sensitivity: 'base' });
    collators.set(locale, collator);
  }
  return collator;
}
