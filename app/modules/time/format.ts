import { DateTime, Info } from 'luxon';
import { dateTimeFormat } from './intl';

/**
 * Shows an instant in the viewer's zone and language: luxon's DATETIME_MED
 * and DATE_MED, as they always read. Works on the server and in the browser.
 *
 * Going through a luxon DateTime for each date cost some fifteen times what
 * formatting does (a DateTime, a locale, an options key per call), and a
 * list page formats dozens of dates; so the common case, an IANA zone or UTC
 * and a plain language tag, uses one Intl.DateTimeFormat per style, zone and
 * locale, made with the options luxon would give it, and kept. Anything else
 * (a fixed offset such as "UTC+3", an invalid zone or date) still goes
 * through luxon, so the text never differs.
 */
const STYLES = {
  dateTime: { ...DateTime.DATETIME_MED, timeZoneName: 'short' },
  date: DateTime.DATE_MED,
} satisfies Record<string, Intl.DateTimeFormatOptions>;

type Style = keyof typeof STYLES;

const MAX_CACHED = 500;
const formatters = new Map<string, Intl.DateTimeFormat>();
const zones = new Map<string, { kind: 'iana'; name: string } | { kind: 'utc' } | { kind: 'other' }>();

function remember<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let found = cache.get(key);
  if (found === undefined) {
    // Zones come from visitors' cookies; never let the cache grow without bound.
    if (cache.size >= MAX_CACHED) cache.clear();
    found = make();
    cache.set(key, found);
  }
  return found;
}

/** How luxon reads a zone name: an IANA zone, UTC itself, or something the fast path leaves to luxon. */
function zoneKind(zone: string) {
  return remember(zones, zone, () => {
    const normalised = Info.normalizeZone(zone);
    if (!normalised?.isValid) return { kind: 'other' as const };
    if (normalised.type === 'iana') return { kind: 'iana' as const, name: normalised.name };
    // luxon formats UTC in the UTC zone and names the zone itself.
    if (normalised.type === 'fixed' && normalised.isUniversal && normalised.name === 'UTC' && normalised.offset(0) === 0) return { kind: 'utc' as const };
    return { kind: 'other' as const };
  });
}

function format(style: Style, instant: Date | string, zone: string, locale: string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  const kind = zoneKind(zone);
  if (kind.kind !== 'other' && /^[a-z]{2,3}$/.test(locale) && !Number.isNaN(date.getTime())) {
    const timeZone = kind.kind === 'iana' ? kind.name : 'UTC';
    const formatter = remember(formatters, `${style}|${timeZone}|${locale}`, () => dateTimeFormat(locale, { ...STYLES[style], timeZone }));
    if (kind.kind === 'iana' || style === 'date') return formatter.format(date);
    return formatter
      .formatToParts(date)
      .map((part) => (part.type === 'timeZoneName' ? 'UTC' : part.value))
      .join('');
  }
  return DateTime.fromJSDate(date, { zone }).setLocale(locale).toLocaleString(STYLES[style]);
}

export function formatDateTime(instant: Date | string, zone: string, locale: string): string {
  return format('dateTime', instant, zone, locale);
}

export function formatDate(instant: Date | string, zone: string, locale: string): string {
  return format('date', instant, zone, locale);
}
