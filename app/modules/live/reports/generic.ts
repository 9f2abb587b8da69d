import { DateTime } from 'luxon';
import { type CsvRecord, findColumns, normaliseHeader } from './csv';
import { normaliseEmail } from './segments';
import { type ReportSegment, type SegmentsOrProblem } from './types';

/**
 * The generic report, from any tool or written by hand: a header naming
 * `email`, `joined_at` and `left_at` (any order, any case; extra columns such
 * as `name` allowed), then one row per segment with ISO 8601 times that carry
 * an offset or `Z`. A time without an offset is refused rather than read in
 * some zone. Comma-separated; semicolons or tabs also work (spreadsheets in
 * Nordic locales save CSV with semicolons).
 */

export const GENERIC_COLUMNS = {
  email: ['email'],
  joinedAt: ['joined_at'],
  leftAt: ['left_at'],
} as const;

const GENERIC_NAMES: readonly string[] = Object.values(GENERIC_COLUMNS).flat();

/**
 * A generic header names at least one of the columns. A first line that is
 * already data (an email and an ISO date, no header) is recognised too, so it
 * can be refused for its missing header instead of as an unknown format.
 */
export function isGenericFirstLine(cells: string[]): boolean {
  if (cells.some((cell) => GENERIC_NAMES.includes(normaliseHeader(cell)))) return true;
  return cells.some((cell) => cell.includes('@')) && cells.some((cell) => /^\d{4}-\d{2}-\d{2}[T ]\d/i.test(cell.trim()));
}

export function parseGenericRecords(records: CsvRecord[]): SegmentsOrProblem {
  const rows = records.filter((record) => record.cells.length > 0);
  const header = rows[0];
  if (!header) return { ok: true, segments: [] };
  const columns = findColumns(header.cells, GENERIC_COLUMNS);
  if (!columns.ok) return { ok: false, problem: { code: 'missing-columns', line: header.line, columns: columns.missing } };
  const { index } = columns;
  const nameColumn = header.cells.map(normaliseHeader).indexOf('name');

  const segments: ReportSegment[] = [];
  for (const { line, cells } of rows.slice(1)) {
    if (cells.length !== header.cells.length) return { ok: false, problem: { code: 'bad-row', line } };
    const joinedText = cells[index.joinedAt]!;
    const leftText = cells[index.leftAt]!;
    const joinedAt = parseIsoInstant(joinedText);
    if (joinedAt === null) return { ok: false, problem: { code: 'bad-date', line, value: joinedText } };
    const leftAt = parseIsoInstant(leftText);
    if (leftAt === null) return { ok: false, problem: { code: 'bad-date', line, value: leftText } };
    if (leftAt < joinedAt) return { ok: false, problem: { code: 'bad-row', line } };
    const email = normaliseEmail(cells[index.email]!);
    const name = nameColumn >= 0 ? cells[nameColumn]! : '';
    // Without a name column the email is the only thing to show for the person.
    segments.push({ line, email, name: name || email || '', joinedAt: new Date(joinedAt), leftAt: new Date(leftAt), organiser: false });
  }
  return { ok: true, segments };
}

// The usual extended form: 2026-12-01T16:58:40+01:00, …T16:58:40.123Z, …T16:58Z; a space may stand for the T (RFC 3339).
const EXTENDED_ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)$/i;

/**
 * Milliseconds of an ISO 8601 time with an offset, or null for anything else
 * (including a valid time without an offset). The usual form is read by hand
 * because a 5 MB file holds about 150,000 of them; other ISO forms go through luxon.
 */
export function parseIsoInstant(value: string): number | null {
  const text = value.trim();
  const match = EXTENDED_ISO.exec(text);
  if (!match) return parseOtherIsoInstant(text);
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fraction, zulu, sign, offsetHours, offsetMinutes] = match;
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText ?? 0);
  // Years before 1900 are no session times (and Date.UTC would read 0026 as 1926).
  if (year < 1900 || month < 1 || month > 12 || day < 1 || (day > 28 && day > daysInMonth(year, month))) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0);
  if (zulu) return wall;
  const hours = Number(offsetHours);
  const minutes = Number(offsetMinutes ?? 0);
  if (hours > 23 || minutes > 59) return null;
  return wall - (sign === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Basic-format and other ISO 8601 forms (20261201T165840Z, ordinal dates…).
 * luxon cannot say whether the text had an offset, so the text is read in two
 * zones 26 hours apart: only a time with its own offset gives the same instant.
 */
function parseOtherIsoInstant(text: string): number | null {
  const east = DateTime.fromISO(text, { zone: 'UTC+13' });
  const west = DateTime.fromISO(text, { zone: 'UTC-13' });
  if (!east.isValid || !west.isValid || east.toMillis() !== west.toMillis()) return null;
  return east.toMillis();
}
