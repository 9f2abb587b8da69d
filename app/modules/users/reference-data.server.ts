import countries from 'i18n-iso-countries';
import type { Locale } from '../i18n/locales';
import { collator as sharedCollator, displayNames } from '../time/intl';

const COUNTRY_CODES = Object.keys(countries.getAlpha2Codes());
const countryCodeSet = new Set(COUNTRY_CODES);
// ICU lists canonical zones only; UTC is what browsers without a zone report, so it is offered too.
const TIME_ZONES = [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])].sort();
const timeZoneSet = new Set(TIME_ZONES);

export function isKnownCountry(code: string): boolean {
  return countryCodeSet.has(code);
}

export function isKnownTimeZone(zone: string): boolean {
  return timeZoneSet.has(zone);
}

const countryOptionsCache = new Map<Locale, { value: string; label: string }[]>();

/** Country names in the viewer's language, sorted the way that language sorts. Built once per language. */
export function countryOptions(locale: Locale): { value: string; label: string }[] {
  let options = countryOptionsCache.get(locale);
  if (!options) {
    const names = displayNames(locale, { type: 'region' });
    const collator = sharedCollator(locale);
    options = COUNTRY_CODES.map((code) => ({ value: code, label: names.of(code) ?? code })).sort((a, b) =>
      collator.compare(a.label, b.label),
    );
    countryOptionsCache.set(locale, options);
  }
  return options;
}

export function countryName(code: string, locale: Locale): string {
  return countryOptions(locale).find((o) => o.value === code)?.label ?? code;
}

/** IANA zones as the server's ICU knows them; sent to the form so server and browser agree. */
export function timeZoneOptions(): string[] {
  return TIME_ZONES;
}
