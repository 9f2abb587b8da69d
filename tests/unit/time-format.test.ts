import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime } from '~/modules/time/format';

/** What format.ts printed when it went through luxon for every date; the cached formatters must print the same. */
const viaLuxon = {
  dateTime: (instant: Date, zone: string, locale: string) =>
    DateTime.fromJSDate(instant, { zone }).setLocale(locale).toLocaleString({ ...DateTime.DATETIME_MED, timeZoneName: 'short' }),
  date: (instant: Date, zone: string, locale: string) => DateTime.fromJSDate(instant, { zone }).setLocale(locale).toLocaleString(DateTime.DATE_MED),
};

const ZONES = ['UTC', 'utc', 'GMT', 'Europe/Oslo', 'Europe/Helsinki', 'America/St_Johns', 'Asia/Kathmandu', 'Pacific/Chatham', 'Etc/GMT+5', 'UTC+3', 'Nowhere/Atlantis'];
const LOCALES = ['en', 'nb', 'sv', 'fi', 'en-US'];
// Around the 2026 clock changes in Europe and North America, and ordinary days.
const INSTANTS = ['2026-03-08T06:59:00Z', '2026-03-29T00:59:00Z', '2026-03-29T01:00:00Z', '2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z', '2026-12-31T23:59:00Z', '2027-06-15T12:05:00Z'].map(
  (iso) => new Date(iso),
);

describe('formatDateTime and formatDate', () => {
  it('print exactly what luxon prints, in every zone and language', () => {
    for (const zone of ZONES) {
      for (const locale of LOCALES) {
        for (const instant of INSTANTS) {
          expect(formatDateTime(instant, zone, locale)).toBe(viaLuxon.dateTime(instant, zone, locale));
          expect(formatDate(instant, zone, locale)).toBe(viaLuxon.date(instant, zone, locale));
          expect(formatDateTime(instant.toISOString(), zone, locale)).toBe(viaLuxon.dateTime(instant, zone, locale));
        }
      }
    }
  });

  it('print what luxon prints for an invalid date', () => {
    expect(formatDateTime('not a date', 'UTC', 'en')).toBe(viaLuxon.dateTime(new Date('not a date'), 'UTC', 'en'));
  });
});
