import { type PersonMinutes, type ReportSegment } from './types';

/** Emails are compared lower-cased and trimmed; an empty cell is no email. */
export function normaliseEmail(value: string): string | null {
  const email = value.trim().toLowerCase();
  return email === '' ? null : email;
}

/**
 * Adds up segments per person (by email; rows without email stay separate,
 * one per row), organisers left out. A person's minutes are the union of
 * their segments — someone connected from two devices at once is not present
 * twice — rounded down to whole minutes. People come in the order of their
 * first row in the file.
 */
export function minutesPerPerson(segments: ReportSegment[]): PersonMinutes[] {
  const byPerson = new Map<string, ReportSegment[]>();
  for (const segment of segments) {
    if (segment.organiser) continue;
    // Rows without an email are separate people as far as anyone can tell.
    const key = segment.email === null ? `line:${segment.line}` : `email:${segment.email}`;
    const list = byPerson.get(key);
    if (list) list.push(segment);
    else byPerson.set(key, [segment]);
  }
  const people: PersonMinutes[] = [];
  for (const list of byPerson.values()) {
    const first = list.reduce((earliest, segment) => (segment.line < earliest.line ? segment : earliest));
    people.push({
      email: first.email,
      name: first.name,
      minutes: Math.floor(unionMilliseconds(list) / 60_000),
      segments: list.length,
      firstLine: first.line,
    });
  }
  return people.sort((a, b) => a.firstLine - b.firstLine);
}

/** Length of the union of the segments' intervals: overlapping or touching time counted once. */
function unionMilliseconds(segments: ReportSegment[]): number {
  const intervals = segments
    .map((segment) => [segment.joinedAt.getTime(), segment.leftAt.getTime()] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let total = 0;
  let start = Number.NaN;
  let end = Number.NaN;
  for (const [from, to] of intervals) {
    if (Number.isNaN(start) || from > end) {
      if (!Number.isNaN(start)) total += end - start;
      start = from;
      end = to;
    } else if (to > end) {
      end = to;
    }
  }
  if (!Number.isNaN(start)) total += end - start;
  return total;
}
