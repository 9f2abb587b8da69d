import type { EmailTexts } from '../locales/en';
import { fill } from '../texts';

/** A session's start as the recipient reads it, and the organiser's wall time when their clocks differ at that instant. */
export type SessionWhen = { viewer: string; organiser: { time: string; place: string } | null };

/** "Tue, 1 Dec 2026, 17:00 CET (18:00 in Helsinki)". */
export function sessionWhenText(t: EmailTexts['sessionCalendar'], when: SessionWhen): string {
  return when.organiser ? `${when.viewer} (${fill(t.organiserTime, when.organiser)})` : when.viewer;
}
