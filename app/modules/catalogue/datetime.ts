/**
 * Dates, times and names for the catalogue and offering pages, in the
 * viewer's zone and language. Building an Intl formatter costs far more than
 * using one, and a catalogue page formats dozens of dates, so every formatter
 * is made once per (language, zone, style) and kept. Pure; runs on the server
 * and in the browser.
 */

import { dateTimeFormat, displayNames, numberFormat } from '../time/intl';

/**
 * The Intl locale for a UI language. English is British English: the people
 * here are European school staff, who read "3 Mar 2026, 17:00" more easily
 * than "Mar 3, 2026, 5:00 PM".
 */
export function intlLocale(locale: string): string {
  return locale === 'en' ? 'en-GB' : locale;
}

const MAX_CACHED = 500;
/** Formatted texts are small; a catalogue's worth of them in a few zones fits. */
const MAX_CACHED_TEXTS = 5_000;

function memo<T>(cache: Map<string, T>, key: string, make: () => T, limit = MAX_CACHED): T {
  let found = cache.get(key);
  if (found === undefined) {
    // Zones come from visitors' cookies; never let the cache grow without bound.
    if (cache.size >= limit) cache.clear();
    found = make();
    cache.set(key, found);
  }
  return found;
}

type Style = 'date' | 'dateTime' | 'time' | 'weekdayDateTime' | 'month' | 'shortDateTime' | 'isoDay';

const STYLES: Record<Style, Intl.DateTimeFormatOptions> = {
  date: { day: 'numeric', month: 'short', year: 'numeric' },
  dateTime: { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' },
  weekdayDateTime: { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' },
  shortDateTime: { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' },
  time: { hour: '2-digit', minute: '2-digit' },
  month: { month: 'long', year: 'numeric' },
  isoDay: { year: 'numeric', month: '2-digit', day: '2-digit' },
};

const formatters = new Map<string, Intl.DateTimeFormat>();

export function dateFormatter(style: Style, timeZone: string, locale: string): Intl.DateTimeFormat {
  return memo(formatters, `${style}|${timeZone}|${locale}`, () => dateTimeFormat(intlLocale(locale), { ...STYLES[style], timeZone }));
}

const toDate = (instant: Date | string) => (typeof instant === 'string' ? new Date(instant) : instant);

export function formatInstant(instant: Date | string, style: Style, timeZone: string, locale: string): string {
  return dateFormatter(style, timeZone, locale).format(toDate(instant));
}

/** The calendar day (yyyy-mm-dd) of an instant in a zone. */
export function dayInZone(instant: Date | string, timeZone: string): string {
  const parts = dateFormatter('isoDay', timeZone, 'en-US').formatToParts(toDate(instant));
  let year = '';
  let month = '';
  let day = '';
  for (const part of parts) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year}-${month}-${day}`;
}

/**
 * When an offering runs, for a card: "3 Mar – 14 Apr 2026" for courses, the
 * day with its times and zone when it starts and ends on one day in the
 * viewer's zone (a webinar).
 */
export function formatRunDates(startsAt: Date | string | null, endsAt: Date | string | null, timeZone: string, locale: string): string | null {
  if (!startsAt) return null;
  const start = toDate(startsAt);
  if (!endsAt) return formatInstant(start, 'date', timeZone, locale);
  const end = toDate(endsAt);
  // formatRange costs some fifteen times what format does, and the same offerings fill page after page.
  return memo(runDates, `${start.getTime()}|${end.getTime()}|${timeZone}|${locale}`, () => {
    const days = dateFormatter('date', timeZone, locale);
    // A range within one day prints as that one day: then the times matter.
    const oneDay = days.format(start) === days.format(end);
    return (oneDay ? dateFormatter('dateTime', timeZone, locale) : days).formatRange(start, end);
  }, MAX_CACHED_TEXTS);
}

const runDates = new Map<string, string>();

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in minutes ("GMT+01:00" → 60). */
export function zoneOffsetMinutes(instant: Date | string, timeZone: string): number {
  const formatter = memo(offsetFormatters, timeZone, () => dateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }));
  const name = formatter.formatToParts(toDate(instant)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '-' ? -minutes : minutes;
}

/** "Europe/Helsinki" → "Helsinki", "America/Argentina/Buenos_Aires" → "Buenos Aires". */
export function zonePlace(timeZone: string): string {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 'UTC';
  return (timeZone.split('/').pop() ?? timeZone).replace(/_/g, ' ');
}

const languageNames = new Map<string, Intl.DisplayNames>();

/** A BCP 47 tag's name in the viewer's language ("sv" → "Swedish", "svenska" for Swedes); the tag itself when unknown. */
export function languageName(tag: string, locale: string): string {
  return memo(languageLabels, `${tag}|${locale}`, () => {
    try {
      const names = memo(languageNames, locale, () => displayNames(intlLocale(locale), { type: 'language', fallback: 'code' }));
      const name = names.of(tag) ?? tag;
      if (name === tag) return tag;
      // Languages are named in lower case in the Nordic languages; a label starts with a capital.
      return name.charAt(0).toLocaleUpperCase(intlLocale(locale)) + name.slice(1);
    } catch {
      return tag;
    }
  }, MAX_CACHED_TEXTS);
}

/** Every card and the filter form name languages; the few there are, named once per UI language. */
const languageLabels = new Map<string, string>();

const numberFormatters = new Map<string, Intl.NumberFormat>();

/** Hours of learning from minutes, to the nearest half hour: 90 → "1.5" ("1,5" in Finnish). */
export function formatHours(minutes: number, locale: string): { hours: string; count: number } {
  const count = Math.round((minutes / 60) * 2) / 2;
  // Offerings share a few lengths; a card per request would otherwise format each again.
  const hours = memo(hourTexts, `${count}|${locale}`, () => {
    const formatter = memo(numberFormatters, locale, () => numberFormat(intlLocale(locale), { maximumFractionDigits: 1 }));
    return formatter.format(count);
  });
  return { hours, count };
}

const hourTexts = new Map<string, string>();
