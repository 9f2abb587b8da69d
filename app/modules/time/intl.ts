/**
 * The one place the app makes Intl formatters (issue 7: one
 * Intl.DateTimeFormat per zone and locale, reused). Building a formatter
 * costs far more than using one (tens of microseconds: locale data is looked
 * up and the pattern resolved), so each distinct (kind, locale, options) is
 * made once per process, or once per page load in the browser, and shared by
 * every module that asks. Modules on hot paths may keep their own small map
 * by a cheaper key in front of this one; the instances still come from here.
 *
 * luxon keeps its own cache of the formatters it makes (by locale and
 * options, in luxon/src/impl/locale.js), so DateTime#toLocaleString needs
 * nothing from us (docs/decisions/0014-query-budget-and-indexes.md).
 *
 * Pure: runs on the server and in the browser.
 */

/** Locales times zones times styles in use is a few hundred; zones come from visitors' cookies, so the cache is bounded. */
const MAX_CACHED = 1_000;
const cache = new Map<string, object>();

type Options = Record<string, string | number | boolean | undefined>;

/** The same options in any order give the same key; undefined is the same as left out, as Intl reads it. */
function optionsKey(options: Options): string {
  return Object.keys(options)
    .filter((name) => options[name] !== undefined)
    .sort()
    .map((name) => `${name}=${String(options[name])}`)
    .join(',');
}

function cached<T extends object>(kind: string, locale: string, options: Options, make: () => T): T {
  const key = `${kind}|${locale}|${optionsKey(options)}`;
  let found = cache.get(key) as T | undefined;
  if (found === undefined) {
    if (cache.size >= MAX_CACHED) cache.clear();
    // A RangeError (an unknown zone, a malformed locale) reaches the caller and nothing is kept.
    found = make();
    cache.set(key, found);
  }
  return found;
}

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions = {}): Intl.DateTimeFormat {
  return cached('dtf', locale, options as Options, () => new Intl.DateTimeFormat(locale, options));
}

export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return cached('nf', locale, options as Options, () => new Intl.NumberFormat(locale, options));
}

export function listFormat(locale: string, options: Intl.ListFormatOptions = {}): Intl.ListFormat {
  return cached('lf', locale, options as Options, () => new Intl.ListFormat(locale, options));
}

export function displayNames(locale: string, options: Intl.DisplayNamesOptions): Intl.DisplayNames {
  return cached('dn', locale, options as unknown as Options, () => new Intl.DisplayNames([locale], options));
}

export function collator(locale: string, options: Intl.CollatorOptions = {}): Intl.Collator {
  return cached('col', locale, options as Options, () => new Intl.Collator(locale, options));
}

/** How many formatters are kept; for tests. */
export function cachedFormatterCount(): number {
  return cache.size;
}
