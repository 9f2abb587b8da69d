import { dayInZone, formatInstant, zoneOffsetMinutes, zonePlace } from '../catalogue/datetime';

export interface SessionTimeText {
  /** The start in the viewer's zone, with the zone's abbreviation: "Tue, 1 Dec 2026, 17:00 CET". */
  viewer: string;
  /**
   * The organiser's wall time when their clock differs from the viewer's at
   * that instant, with the date too when it is another day there; null when
   * both read the same (Oslo and Stockholm, or the same zone).
   */
  organiser: { time: string; place: string } | null;
}

/**
 * How a live session's start reads for a viewer (DESIGN.md §5): their own
 * time, and the organiser's beside it when the clocks differ. Offsets are
 * compared at the instant itself, so a week when Europe has changed its
 * clocks and America has not shows both, and the same pair of zones a week
 * later may show one. Pure: used by pages, emails and calendar texts alike.
 */
export function describeSessionTime(startsAt: Date | string, organiserTimeZone: string, viewerTimeZone: string, locale: string): SessionTimeText {
  const instant = typeof startsAt === 'string' ? new Date(startsAt) : startsAt;
  const viewer = formatInstant(instant, 'weekdayDateTime', viewerTimeZone, locale);
  if (zoneOffsetMinutes(instant, organiserTimeZone) === zoneOffsetMinutes(instant, viewerTimeZone)) return { viewer, organiser: null };
  const sameDay = dayInZone(instant, organiserTimeZone) === dayInZone(instant, viewerTimeZone);
  const time = formatInstant(instant, sameDay ? 'time' : 'shortDateTime', organiserTimeZone, locale);
  return { viewer, organiser: { time, place: zonePlace(organiserTimeZone) } };
}
