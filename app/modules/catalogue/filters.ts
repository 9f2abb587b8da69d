import { DateTime } from 'luxon';
import { z } from 'zod';
import { ELIGIBILITIES, OFFERING_KINDS, TARGET_AUDIENCES } from '../offerings/kinds';
import { foldForSearch } from '../offerings/search-text';
import { pageParam } from '../ui/pagination';
import { dayInZone, formatInstant } from './datetime';

/** Cards on one catalogue page. */
export const CATALOGUE_PAGE_SIZE = 12;

/** A BCP 47 tag as offerings store it: "en", "nb", "pt-BR", "sr-Latn". */
const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/**
 * The catalogue's filters as they stand in the URL, so a search can be
 * shared and bookmarked. Unknown parameters (utm_… and the like) are ignored;
 * a known one with a value outside its options is refused (400), never
 * silently dropped.
 */
export const catalogueFilterSchema = z.object({
  q: z.string().max(200).optional(),
  kind: z.enum(OFFERING_KINDS).optional(),
  language: z.string().max(35).regex(LANGUAGE_TAG).optional(),
  audience: z.enum(TARGET_AUDIENCES).optional(),
  topic: z.string().max(100).optional(),
  open: z.literal('1').optional(),
  month: z
    .string()
    .regex(MONTH)
    .refine((value) => {
      const year = Number(value.slice(0, 4));
      return year >= 2000 && year <= 2100;
    })
    .optional(),
  eligibility: z.enum(ELIGIBILITIES).optional(),
  page: pageParam,
});

export type CatalogueFilters = z.infer<typeof catalogueFilterSchema>;

/** The filter names, in the order the page lists active filters. */
export const FILTER_NAMES = ['q', 'kind', 'language', 'audience', 'topic', 'open', 'month', 'eligibility'] as const;
export type FilterName = (typeof FILTER_NAMES)[number];

/** Longest search the database is asked for; more words narrow nothing a person meant. */
const MAX_SEARCH_WORDS = 8;

/**
 * A prefix query for to_tsquery('simple', …) from what a person typed:
 * folded like the stored search text (so "Östersund" and "ostersund" meet),
 * cut into words of letters and digits only (so nothing the user types can
 * be tsquery syntax), each word a prefix, all required. Null when nothing
 * searchable is left.
 */
export function prefixTsQuery(text: string | undefined): string | null {
  if (!text) return null;
  const words = foldForSearch(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .slice(0, MAX_SEARCH_WORDS);
  if (words.length === 0) return null;
  return words.map((word) => `${word}:*`).join(' & ');
}

/** The instants a "starts in month" filter covers: that month as the viewer's calendar has it. */
export function monthRange(month: string, timeZone: string): { from: Date; until: Date } {
  const start = DateTime.fromFormat(month, 'yyyy-MM', { zone: timeZone }).startOf('month');
  return { from: start.toJSDate(), until: start.plus({ months: 1 }).toJSDate() };
}

/** The months the filter form offers: this one and the next eleven in the viewer's zone, plus the one in the URL. */
export function monthChoices(now: Date, timeZone: string, selected?: string): string[] {
  const [year, month] = dayInZone(now, timeZone).split('-').map(Number) as [number, number];
  const months = Array.from({ length: 12 }, (_, i) => {
    const index = month - 1 + i;
    return `${year + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  });
  if (selected && !months.includes(selected)) months.unshift(selected);
  return months;
}

/** "2026-03" → "March 2026" in the viewer's language (the middle of the month reads the same in every zone). */
export function monthLabel(month: string, locale: string): string {
  const [year, index] = month.split('-').map(Number) as [number, number];
  return formatInstant(new Date(Date.UTC(year, index - 1, 15, 12)), 'month', 'UTC', locale);
}

/** The URL of the catalogue with these filters (first page), leaving out empty ones. */
export function catalogueHref(filters: Partial<Record<FilterName, string | undefined>>): string {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = filters[name];
    if (value) params.set(name, value);
  }
  const query = params.toString();
  return query ? `/catalogue?${query}` : '/catalogue';
}

/**
 * The search part of a catalogue URL without its empty parameters, or null
 * when it has none. A GET form sends every field, the unset ones empty; the
 * page redirects to the short form, so what people copy and bookmark reads
 * `?kind=mooc&open=1`, not a list of blanks.
 */
export function withoutEmptyParams(url: URL): string | null {
  const kept = [...url.searchParams].filter(([, value]) => value.trim() !== '');
  if (kept.length === [...url.searchParams].length) return null;
  const query = new URLSearchParams(kept).toString();
  return query ? `?${query}` : '';
}
