import { DateTime } from 'luxon';

/**
 * Shows an instant in the viewer's zone and language. Works on the server and
 * in the browser; luxon keeps one Intl formatter per zone and locale.
 */
export function formatDateTime(instant: Date | string, zone: string, locale: string): string {
  const dt = DateTime.fromJSDate(typeof instant === 'string' ? new Date(instant) : instant, { zone }).setLocale(locale);
  return dt.toLocaleString({ ...DateTime.DATETIME_MED, timeZoneName: 'short' });
}

export function formatDate(instant: Date | string, zone: string, locale: string): string {
  const dt = DateTime.fromJSDate(typeof instant === 'string' ? new Date(instant) : instant, { zone }).setLocale(locale);
  return dt.toLocaleString(DateTime.DATE_MED);
}
