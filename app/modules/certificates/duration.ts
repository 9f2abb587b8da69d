import { numberFormat } from '../time/intl';

/** Minutes as hours and minutes in words of a language: 90 → "1 hour 30 minutes", "1 time 30 minutter"… */
// Per certificate on the PDF path: a map by locale in front of the shared cache spares building its key each time.
const formats = new Map<string, { hours: Intl.NumberFormat; minutes: Intl.NumberFormat }>();

function formatsFor(locale: string) {
  let found = formats.get(locale);
  if (!found) {
    found = {
      hours: numberFormat(locale, { style: 'unit', unit: 'hour', unitDisplay: 'long' }),
      minutes: numberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'long' }),
    };
    formats.set(locale, found);
  }
  return found;
}

export function describeMinutes(total: number, locale: string): string {
  const { hours: hourFormat, minutes: minuteFormat } = formatsFor(locale);
  const hours = Math.floor(total / 60);
  const minutes = total % 60;
  if (hours === 0) return minuteFormat.format(minutes);
  if (minutes === 0) return hourFormat.format(hours);
  return `${hourFormat.format(hours)} ${minuteFormat.format(minutes)}`;
}
