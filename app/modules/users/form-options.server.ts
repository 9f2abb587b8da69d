import type { Locale } from '../i18n/locales';
import { countryOptions, timeZoneOptions } from './reference-data.server';

/** The choices every profile-shaped form offers, in the viewer's language. */
export function profileFormOptions(locale: Locale) {
  return { countries: countryOptions(locale), timeZones: timeZoneOptions() };
}
