import { IANAZone } from 'luxon';

/**
 * Wall-clock times of Zoom and Teams reports: US month/day/year, 12-hour clock
 * with AM/PM (Zoom also writes a 24-hour clock), no offset. They are read in
 * the zone the trainer names. On the day clocks go back an hour, a time in
 * the repeated hour has two readings; a time in the hour skipped when clocks
 * go forward has none (that is a bad date).
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// 12/01/2026 04:55:02 PM (Zoom) · 12/1/26, 4:55:02 PM (Teams) · 12/01/2026 16:55 — seconds optional.
const US_DATE_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]\.?)?$/;

/**
 * The wall time as milliseconds of a UTC calendar (so arithmetic ignores
 * zones), or null when it is not a valid date. With `twelveHour`, AM/PM is
 * required: a Teams report from a locale with a 24-hour clock (en-GB:
 * day/month/year) is then refused instead of read with day and month swapped.
 */
export function parseUsWallTime(value: string, twelveHour = false): number | null {
  // Newer exports put a narrow no-break space before AM/PM (what Intl formats); some a no-break space.
  const match = US_DATE_TIME.exec(value.replace(/[\u00a0\u202f]/g, ' ').trim());
  if (!match) return null;
  const [, monthText, dayText, yearText, hourText, minuteText, secondText, meridiem] = match;
  const month = Number(monthText);
  const day = Number(dayText);
  // Two-digit years are this century: reports are about sessions that took place recently.
  const year = yearText!.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  let hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText ?? 0);
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    const pm = meridiem.toLowerCase() === 'p';
    hour = (hour % 12) + (pm ? 12 : 0);
  } else if (twelveHour || hour > 23) return null;
  if (minute > 59 || second > 59 || year < 1900) return null;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  // Date.UTC rolls 02/30 over to March; a date that does not round-trip does not exist.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return wall;
}

/**
 * Reads a report's wall times in one zone: the instants of each (see
 * wallTimeReadings), or null when the text is not a date or the time does not
 * exist there. Asking the zone for an offset costs microseconds (Intl), and a
 * 5 MB report holds 150,000 times, so each calendar day is looked at once:
 * when the zone has the same offset 14 hours before it and after it, every
 * time of that day has that offset. (That assumes no zone changes its offset
 * and back again within those 52 hours, which none does.)
 */
export function usWallTimeReader(zone: IANAZone, options: { twelveHour: boolean }): (value: string) => number[] | null {
  const dayOffsets = new Map<number, number | null>();
  return (value) => {
    const wall = parseUsWallTime(value, options.twelveHour);
    if (wall === null) return null;
    const day = Math.floor(wall / DAY);
    let offset = dayOffsets.get(day);
    if (offset === undefined) {
      const before = zone.offset(day * DAY - 14 * HOUR);
      offset = before === zone.offset((day + 1) * DAY + 14 * HOUR) ? before : null;
      dayOffsets.set(day, offset);
    }
    if (offset !== null) return [wall - offset * 60_000];
    const readings = wallTimeReadings(wall, zone);
    return readings.length > 0 ? readings : null;
  };
}

/** The zone as luxon knows it, or null for a name that is not an IANA zone. */
export function ianaZone(name: string): IANAZone | null {
  return IANAZone.isValidZone(name) ? IANAZone.create(name) : null;
}

/**
 * Every instant at which the zone's clocks show `wall`, earliest first: one
 * normally, two in the repeated hour when clocks go back, none in the skipped
 * hour when they go forward.
 */
export function wallTimeReadings(wall: number, zone: IANAZone): number[] {
  // The offsets in force around that wall time; zones change offset at most once within a day.
  const offsets = new Set([zone.offset(wall - 14 * HOUR), zone.offset(wall), zone.offset(wall + 14 * HOUR)]);
  const readings: number[] = [];
  for (const offset of offsets) {
    const instant = wall - offset * 60_000;
    if (zone.offset(instant) === offset) readings.push(instant);
  }
  return readings.sort((a, b) => a - b);
}

/**
 * Chooses the instants of one join–leave segment from the readings of its
 * wall times. Normally each has one reading. In the repeated hour the earlier
 * reading is taken, except that a leave time takes the later one when the
 * earlier would put it before the join — and when the report states the
 * segment's duration, the pair of readings that agrees with it wins.
 * Returns null when no pair has the leave time at or after the join time.
 */
export function chooseSegmentInstants(
  joinReadings: number[],
  leaveReadings: number[],
  statedSeconds: number | null,
  toleranceSeconds: number,
): { joinedAt: number; leftAt: number } | null {
  const pairs: Array<{ joinedAt: number; leftAt: number }> = [];
  for (const joinedAt of joinReadings) {
    for (const leftAt of leaveReadings) if (leftAt >= joinedAt) pairs.push({ joinedAt, leftAt });
  }
  if (statedSeconds !== null && pairs.length > 1) {
    const agreeing = pairs.find((pair) => Math.abs((pair.leftAt - pair.joinedAt) / 1000 - statedSeconds) <= toleranceSeconds);
    if (agreeing) return agreeing;
  }
  return pairs[0] ?? null;
}
