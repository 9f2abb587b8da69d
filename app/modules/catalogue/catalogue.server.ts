import { and, asc, count, eq, gt, gte, isNull, lt, lte, or, sql, type Column, type Placeholder, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { offerings } from '#db/schema';
import { offsetFor, pageCount, type Page } from '../ui/pagination';
import { toCard, type CatalogueRow } from './card';
import { collator as sharedCollator } from '../time/intl';
import { intlLocale, languageName } from './datetime';
import { ResultCache } from './result-cache.server';
import { CATALOGUE_PAGE_SIZE, monthChoices, monthLabel, monthRange, prefixTsQuery, type CatalogueFilters } from './filters';

/**
 * How a catalogue query takes a value: as it is (drizzle binds it as a
 * parameter), or, for a query prepared once and run many times, as a named
 * placeholder whose value is recorded for the run. A column gives the value
 * its encoding (dates as ISO text), as drizzle does for a comparison.
 */
type Bind = <T>(name: string, value: T, column?: Column) => T | SQLWrapper;

const asIs: Bind = (_name, value) => value;

/**
 * What anyone may find in the catalogue: published and not yet over. An
 * ended offering keeps its page (people link to it) but leaves the list,
 * which is sorted by start and would otherwise open with last year's courses.
 */
function listed(now: Date, bind: Bind = asIs): SQL {
  return and(eq(offerings.status, 'published'), or(isNull(offerings.endsAt), gte(offerings.endsAt, bind('now', now, offerings.endsAt))))!;
}

/** The WHERE clause for a set of catalogue filters; `timeZone` is the viewer's, for "starts in month". */
export function catalogueConditions(filters: Omit<CatalogueFilters, 'page'>, now: Date, timeZone: string, bind: Bind = asIs): SQL {
  const conditions: SQL[] = [listed(now, bind)];
  if (filters.kind) conditions.push(eq(offerings.kind, bind('kind', filters.kind, offerings.kind)));
  if (filters.language) conditions.push(eq(offerings.language, bind('language', filters.language, offerings.language)));
  if (filters.eligibility) conditions.push(eq(offerings.eligibility, bind('eligibility', filters.eligibility, offerings.eligibility)));
  // An offering for all school levels is for primary teachers too. Both operators use the GIN index.
  if (filters.audience) conditions.push(sql`${offerings.targetAudiences} && array[${bind('audience', filters.audience)}, 'all']::text[]`);
  if (filters.topic) conditions.push(sql`${offerings.topics} @> array[${bind('topic', filters.topic)}]::text[]`);
  if (filters.open) {
    conditions.push(lte(offerings.enrolmentOpensAt, bind('now', now, offerings.enrolmentOpensAt)), gt(offerings.enrolmentClosesAt, bind('now', now, offerings.enrolmentClosesAt)));
  }
  if (filters.month) {
    const { from, until } = monthRange(filters.month, timeZone);
    conditions.push(gte(offerings.startsAt, bind('from', from, offerings.startsAt)), lt(offerings.startsAt, bind('until', until, offerings.startsAt)));
  }
  const query = prefixTsQuery(filters.q);
  if (query) conditions.push(sql`${offerings.searchVector} @@ to_tsquery('simple', ${bind('q', query)})`);
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

/** The page's ids and the count of every match, in the catalogue's order. */
function pageOf(db: Executor, where: SQL, limit: Placeholder, offset: Placeholder) {
  return db
    .select({ id: offerings.id, total: sql<number>`count(*) over ()`.as('total') })
    .from(offerings)
    .where(where)
    .orderBy(...catalogueOrder)
    .limit(limit)
    .offset(offset)
    .as('page');
}

function pageQuery(db: Executor, where: SQL, limit: Placeholder, offset: Placeholder) {
  const page = pageOf(db, where, limit, offset);
  return db
    .select({ ...cardColumns, total: page.total })
    .from(page)
    .innerJoin(offerings, eq(offerings.id, page.id))
    .orderBy(...catalogueOrder);
}

type PreparedPage = ReturnType<ReturnType<typeof pageQuery>['prepare']>;

/**
 * Page queries prepared once per database handle and set of filters in use
 * (at most 2⁸ sets), then run with that request's values: building the SQL
 * through drizzle's query builder cost more than the database took to run
 * it. The text is the same as the query built afresh, with placeholders.
 */
const preparedPages = new WeakMap<Executor, Map<string, PreparedPage>>();

function preparedPageQuery(db: Executor, filters: CatalogueFilters, view: { now: Date; timeZone: string }) {
  const values: Record<string, unknown> = {};
  // Every placeholder in the order the conditions ask for them ("open" asks for "now" twice more): the query's shape.
  const names: string[] = [];
  const bind: Bind = (name, value, column) => {
    values[name] = value;
    names.push(name);
    const placeholder = sql.placeholder(name);
    return column ? sql.param(placeholder, column) : placeholder;
  };
  const where = catalogueConditions(filters, view.now, view.timeZone, bind);
  const shape = names.join(',');
  let byShape = preparedPages.get(db);
  if (!byShape) {
    byShape = new Map();
    preparedPages.set(db, byShape);
  }
  let prepared = byShape.get(shape);
  if (!prepared) {
    prepared = pageQuery(db, where, sql.placeholder('limit'), sql.placeholder('offset')).prepare(`catalogue_page_${byShape.size}`);
    byShape.set(shape, prepared);
  }
  return { prepared, values };
}

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
  const { prepared, values } = preparedPageQuery(db, filters, view);
  const rows = await prepared.execute({ ...values, limit: pageSize, offset: offsetFor(filters.page, pageSize) });

  let total = rows.length > 0 ? Number(rows[0]!.total) : 0;
  if (rows.length === 0 && filters.page > 1) {
    // A page past the end has no row to carry the count; the pager still needs it.
    const where = catalogueConditions(filters, view.now, view.timeZone);
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
const facetsCaches = new WeakMap<Executor, ResultCache<Facets>>();

/**
 * The filter form's choices, kept for 30 seconds per process (less when
 * this process changes an offering, see result-cache.server.ts): they change
 * only when an offering is published, edited or ends, a new language or
 * topic may wait that long to be offered (it is found by search and URL at
 * once), and the aggregate over every listed offering is the dearest query
 * of the page. Concurrent requests share one query.
 */
export function cachedCatalogueFacets(db: Executor, now: Date): Promise<Facets> {
  return cacheFor(facetsCaches, db, { ttlMs: FACETS_TTL_MS, maxEntries: 1 }).get('facets', now.getTime(), () => catalogueFacets(db, now));
}

/** How long a process reuses a page of the catalogue for the same criteria. */
export const CATALOGUE_PAGE_TTL_MS = 5_000;
/** Distinct criteria remembered at once (a few MB at most: a page of rows is a few KB). */
export const CATALOGUE_PAGE_ENTRIES = 500;
const pageCaches = new WeakMap<Executor, ResultCache<Page<CatalogueRow>>>();

/**
 * What decides a page's rows, apart from the time: the filters as the query
 * uses them (the search as its tsquery, so "Östersund" and "ostersund" share
 * a page; the month in the viewer's zone, whose calendar it is), the page
 * and its size. Nothing about the viewer: the rows are the same for
 * everyone, and the cards are made from them per request.
 */
function pageKey(filters: CatalogueFilters, timeZone: string, pageSize: number): string {
  const { q, kind, language, audience, topic, open, month, eligibility, page } = filters;
  return JSON.stringify([prefixTsQuery(q), kind, language, audience, topic, open, month, month ? timeZone : null, eligibility, page, pageSize]);
}

/**
 * One page of the catalogue as `listCatalogue` answers it, remembered for
 * 5 seconds per process for the same criteria (result-cache.server.ts says
 * what that may leave stale, and for how long).
 */
export function cachedCataloguePage(db: Executor, filters: CatalogueFilters, view: { now: Date; timeZone: string }, pageSize = CATALOGUE_PAGE_SIZE): Promise<Page<CatalogueRow>> {
  const cache = cacheFor(pageCaches, db, { ttlMs: CATALOGUE_PAGE_TTL_MS, maxEntries: CATALOGUE_PAGE_ENTRIES });
  return cache.get(pageKey(filters, view.timeZone, pageSize), view.now.getTime(), () => listCatalogue(db, filters, view, pageSize));
}

/** One cache per database handle: tests and the benchmark each bring their own database. */
function cacheFor<T>(caches: WeakMap<Executor, ResultCache<T>>, db: Executor, options: { ttlMs: number; maxEntries: number }): ResultCache<T> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new ResultCache<T>(options);
    caches.set(db, cache);
  }
  return cache;
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
 * page lies past the end, and the choices; none while this process still
 * remembers both (5 seconds for a page, 30 for the choices).
 */
export async function loadCataloguePage(db: Executor, filters: CatalogueFilters, view: CatalogueView, pageSize = CATALOGUE_PAGE_SIZE) {
  const [page, facets] = await Promise.all([cachedCataloguePage(db, filters, view, pageSize), cachedCatalogueFacets(db, view.now)]);
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
    choices: { ...facetChoices(facets, view.locale, filters), months: monthChoiceList(view, filters.month) },
    timeZone: view.timeZone,
  };
}

/** Remembered texts are small, but their keys come partly from URLs: never more than this many per table. */
const MAX_REMEMBERED_CHOICES = 200;

const facetChoiceMemo = new WeakMap<Facets, Map<string, { languages: Choice[]; topics: string[] }>>();

/**
 * The language and topic choices in the viewer's language, sorted: the same
 * for every request until the facets are fetched again (a new object then),
 * so made once per facets, language and selection.
 */
function facetChoices(facets: Facets, locale: string, filters: Pick<CatalogueFilters, 'language' | 'topic'>): { languages: Choice[]; topics: string[] } {
  let byKey = facetChoiceMemo.get(facets);
  if (!byKey) {
    byKey = new Map();
    facetChoiceMemo.set(facets, byKey);
  }
  const key = JSON.stringify([locale, filters.language, filters.topic]);
  let choices = byKey.get(key);
  if (!choices) {
    const collator = collatorFor(locale);
    choices = {
      languages: withSelected(facets.languages, filters.language)
        .map((code) => ({ value: code, label: languageName(code, locale) }))
        .sort((a, b) => collator.compare(a.label, b.label)),
      // A topic is its own label: sent once, not twice per option.
      topics: withSelected(facets.topics, filters.topic).sort(collator.compare),
    };
    if (byKey.size >= MAX_REMEMBERED_CHOICES) byKey.clear();
    byKey.set(key, choices);
  }
  return choices;
}

const monthChoiceMemo = new Map<string, Choice[]>();

/**
 * The "starts in month" choices with their names. They change only when a
 * month begins in the viewer's zone, which is always on a whole minute, so
 * they are made once per minute, zone, language and selection.
 */
function monthChoiceList(view: CatalogueView, selected: string | undefined): Choice[] {
  const key = `${Math.floor(view.now.getTime() / 60_000)}|${view.timeZone}|${view.locale}|${selected ?? ''}`;
  let months = monthChoiceMemo.get(key);
  if (!months) {
    months = monthChoices(view.now, view.timeZone, selected).map((month) => ({ value: month, label: monthLabel(month, view.locale) }));
    if (monthChoiceMemo.size >= MAX_REMEMBERED_CHOICES) monthChoiceMemo.clear();
    monthChoiceMemo.set(key, months);
  }
  return months;
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
    collator = sharedCollator(intlLocale(locale), { sensitivity: 'base' });
    collators.set(locale, collator);
  }
  return collator;
}
