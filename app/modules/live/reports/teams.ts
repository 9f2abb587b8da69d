import { type IANAZone } from 'luxon';
import { type CsvRecord, findColumns, normaliseHeader } from './csv';
import { normaliseEmail } from './segments';
import { type ReportSegment, type SegmentsOrProblem } from './types';
import { chooseSegmentInstants, usWallTimeReader } from './wall-time';

/**
 * The Microsoft Teams meeting attendance report: UTF-16 LE with a byte-order
 * mark, tab-separated, CRLF, in numbered sections separated by blank lines —
 * "1. Summary", "2. Participants" (first join and last leave per person), "3.
 * In-Meeting Activities" (one row per join segment). Segments come from
 * section 3, because section 2 hides the gaps between segments. Dates are in
 * the downloader's locale and carry no offset; this reads the US form
 * (month/day/year, 12-hour clock), as in the sample, and refuses times
 * without AM/PM, which come from day-first locales. The organiser has the
 * role "Organizer".
 */

const ACTIVITY_COLUMNS = {
  name: ['Name', 'Full Name'],
  joinedAt: ['Join Time'],
  leftAt: ['Leave Time'],
  email: ['Email'],
  role: ['Role'],
} as const;

// Teams states durations to the second from unrounded times; a minute covers any rounding.
const DURATION_TOLERANCE_SECONDS = 60;

// Co-organizers are not the organiser: they may be participants given rights for the meeting.
const ORGANISER_ROLES = new Set(['organizer', 'organiser']);

const SECTION_HEADING = /^(\d+)\.\s*\S/;

/** A numbered section heading: one cell such as "3. In-Meeting Activities". */
function sectionNumber(record: CsvRecord): number | null {
  if (record.cells.length !== 1) return null;
  const match = SECTION_HEADING.exec(record.cells[0]!);
  return match ? Number(match[1]) : null;
}

/** The first line of a Teams report is its first section heading, "1. Summary" in English. */
export function isTeamsFirstLine(cells: string[]): boolean {
  return cells.length === 1 && /^1\.\s*\S/.test(cells[0]!);
}

export function parseTeamsRecords(records: CsvRecord[], zone: IANAZone): SegmentsOrProblem {
  const headingAt = records.findIndex((record) => sectionNumber(record) === 3);
  if (headingAt < 0) {
    // The report has no in-meeting activities section to read segments from.
    const lastLine = records.at(-1)?.line ?? 1;
    return { ok: false, problem: { code: 'missing-columns', line: lastLine, columns: Object.values(ACTIVITY_COLUMNS).map((names) => names[0]) } };
  }
  const header = records.slice(headingAt + 1).find((record) => record.cells.length > 0);
  if (!header || sectionNumber(header) !== null) return { ok: true, segments: [] };
  const columns = findColumns(header.cells, ACTIVITY_COLUMNS);
  if (!columns.ok) return { ok: false, problem: { code: 'missing-columns', line: header.line, columns: columns.missing } };
  const { index } = columns;
  const durationColumn = header.cells.map(normaliseHeader).indexOf('duration');

  const readWallTime = usWallTimeReader(zone, { twelveHour: true });
  const segments: ReportSegment[] = [];
  for (const row of records.slice(records.indexOf(header) + 1)) {
    // The section ends at a blank line or the next section.
    if (row.cells.length === 0 || sectionNumber(row) !== null) break;
    const { line, cells } = row;
    if (cells.length !== header.cells.length) return { ok: false, problem: { code: 'bad-row', line } };
    const joinedText = cells[index.joinedAt]!;
    const leftText = cells[index.leftAt]!;
    const joinReadings = readWallTime(joinedText);
    if (!joinReadings) return { ok: false, problem: { code: 'bad-date', line, value: joinedText } };
    const leaveReadings = readWallTime(leftText);
    if (!leaveReadings) return { ok: false, problem: { code: 'bad-date', line, value: leftText } };

    const statedSeconds = durationColumn >= 0 ? parseTeamsDuration(cells[durationColumn]!) : null;
    const instants = chooseSegmentInstants(joinReadings, leaveReadings, statedSeconds, DURATION_TOLERANCE_SECONDS);
    if (!instants) return { ok: false, problem: { code: 'bad-row', line } };
    // The stated duration cross-checks the dates: a row whose times disagree with it was misread or edited.
    if (statedSeconds !== null && Math.abs((instants.leftAt - instants.joinedAt) / 1000 - statedSeconds) > DURATION_TOLERANCE_SECONDS) {
      return { ok: false, problem: { code: 'bad-row', line } };
    }
    segments.push({
      line,
      email: normaliseEmail(cells[index.email]!),
      name: cells[index.name]!,
      joinedAt: new Date(instants.joinedAt),
      leftAt: new Date(instants.leftAt),
      organiser: ORGANISER_ROLES.has(normaliseHeader(cells[index.role]!)),
    });
  }
  return { ok: true, segments };
}

/** Seconds of a Teams duration ("1h 7m 9s", "20m", "45s", or "1:07:09"), or null when it is in another form. */
export function parseTeamsDuration(value: string): number | null {
  const units = /^(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s)?$/i.exec(value.trim());
  if (units && (units[1] ?? units[2] ?? units[3]) !== undefined) {
    return Number(units[1] ?? 0) * 3600 + Number(units[2] ?? 0) * 60 + Number(units[3] ?? 0);
  }
  const clock = /^(\d+):(\d{2}):(\d{2})$/.exec(value.trim());
  if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  return null;
}
