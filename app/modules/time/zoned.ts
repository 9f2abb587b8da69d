import { DateTime } from 'luxon';

export type ZonedParse =
  | { ok: true; instant: Date }
  | { ok: false; reason: 'invalid' | 'nonexistent' | 'ambiguous' };

const LOCAL_FORMAT = "yyyy-MM-dd'T'HH:mm";

/**
 * Reads a wall-clock time ("2026-03-29T02:30", as a datetime-local field sends
 * it) in an IANA zone. Refuses times the zone skips when clocks go forward and
 * times it passes twice when they go back, instead of guessing.
 */
export function parseZonedLocal(value: string, zone: string): ZonedParse {
  const wall = DateTime.fromISO(value, { zone: 'UTC' });
  if (!wall.isValid || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return { ok: false, reason: 'invalid' };
  const probe = DateTime.fromISO(value, { zone });
  if (!probe.isValid) return { ok: false, reason: 'invalid' };
  // Every offset the zone uses around that day; each that maps back to the same wall time is a reading.
  const offsets = new Set([probe.offset, probe.minus({ hours: 12 }).offset, probe.plus({ hours: 12 }).offset]);
  const readings = new Set<number>();
  for (const offset of offsets) {
    const instant = wall.toMillis() - offset * 60_000;
    if (DateTime.fromMillis(instant, { zone }).toFormat(LOCAL_FORMAT) === wall.toFormat(LOCAL_FORMAT)) readings.add(instant);
  }
  if (readings.size === 0) return { ok: false, reason: 'nonexistent' };
  if (readings.size > 1) return { ok: false, reason: 'ambiguous' };
  return { ok: true, instant: new Date([...readings][0]!) };
}

/** The value for a datetime-local field showing this instant in the zone. */
export function toZonedLocal(instant: Date | string | null | undefined, zone: string): string {
  if (!instant) return '';
  return DateTime.fromJSDate(typeof instant === 'string' ? new Date(instant) : instant, { zone }).toFormat(LOCAL_FORMAT);
}

/** Whole calendar days between two instants as the organiser's calendar counts them (DST-proof). */
export function calendarDaysBetween(start: Date, end: Date, zone: string): number {
  const a = DateTime.fromJSDate(start, { zone });
  const b = DateTime.fromJSDate(end, { zone });
  return b.diff(a, 'days').days;
}
