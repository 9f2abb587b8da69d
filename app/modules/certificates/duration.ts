import { numberFormat } from '../time/intl';

/** Minutes as hours and minutes in words of a language: 90 → "1 hour 30 minutes", "1 time 30 minutter"… */
function formatsFor(locale: string) {
  return {
    hours: numberFormat(locale, { style: 'unit', unit: 'hour', unitDisplay: 'long' }),
    minutes: numberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'long' }),
  };
}

export function describeMinutes(total: number, locale: string): string {
  const { hours: hourFormat, minutes: minuteFormat } = formatsFor(locale);
  const hours = Math.floor(total / 60);
  const minutes = total % 60;
  if (hours === 0) return minuteFormat.format(minutes);
  if (minutes === 0) return hourFormat.format(hours);
  return `${hourFormat.format(hours)} ${minuteFormat.format(minutes)}`;
}
