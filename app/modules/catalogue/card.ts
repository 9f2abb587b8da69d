import type { Eligibility, OfferingKind } from '../offerings/kinds';
import { formatHours, formatRunDates, languageName } from './datetime';

/** What the catalogue query returns for one published offering. */
export interface CatalogueRow {
  id: string;
  slug: string;
  kind: OfferingKind;
  title: string;
  summary: string;
  language: string;
  eligibility: Eligibility;
  expectedMinutes: number;
  startsAt: Date | null;
  endsAt: Date | null;
  enrolmentOpensAt: Date | null;
  enrolmentClosesAt: Date | null;
  capacity: number | null;
  seatsTaken: number;
  waitlistEnabled: boolean;
  /** Trainers' names in their order on the offering. */
  trainers: string[];
}

export type Seats = { state: 'unlimited' } | { state: 'left'; count: number } | { state: 'waitlist' } | { state: 'full' };

/**
 * One card, with everything already in the viewer's zone and language, so
 * the page only places text. Only what the card shows goes to the page (the
 * slug is its key and link); every field is sent with every card.
 */
export interface OfferingCard {
  slug: string;
  kind: OfferingKind;
  title: string;
  summary: string;
  languageName: string;
  /** ISO instant of the start, for <time datetime>. */
  startsAt: string | null;
  dates: string | null;
  hours: { hours: string; count: number };
  seats: Seats;
  eligibility: Eligibility;
  enrolmentOpen: boolean;
  trainers: string[];
}

export function seatsOf(offering: Pick<CatalogueRow, 'capacity' | 'seatsTaken' | 'waitlistEnabled'>): Seats {
  if (offering.capacity === null) return { state: 'unlimited' };
  const left = offering.capacity - offering.seatsTaken;
  if (left > 0) return { state: 'left', count: left };
  return offering.waitlistEnabled ? { state: 'waitlist' } : { state: 'full' };
}

/** Whether the enrolment window holds this instant (opens inclusive, closes exclusive). */
export function enrolmentOpenAt(offering: Pick<CatalogueRow, 'enrolmentOpensAt' | 'enrolmentClosesAt'>, now: Date): boolean {
  const { enrolmentOpensAt: opens, enrolmentClosesAt: closes } = offering;
  return !!opens && !!closes && opens <= now && now < closes;
}

export function toCard(row: CatalogueRow, view: { now: Date; timeZone: string; locale: string }): OfferingCard {
  return {
    slug: row.slug,
    kind: row.kind,
    title: row.title,
    summary: row.summary,
    languageName: languageName(row.language, view.locale),
    startsAt: row.startsAt ? row.startsAt.toISOString() : null,
    dates: formatRunDates(row.startsAt, row.endsAt, view.timeZone, view.locale),
    hours: formatHours(row.expectedMinutes, view.locale),
    seats: seatsOf(row),
    eligibility: row.eligibility,
    enrolmentOpen: enrolmentOpenAt(row, view.now),
    trainers: row.trainers,
  };
}
