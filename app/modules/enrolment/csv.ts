import { stringify } from 'csv-stringify/sync';
import type { ParticipantStatus } from './schemas';

export interface CsvParticipant {
  fullName: string;
  email: string;
  country: string;
  school: string;
  status: ParticipantStatus;
  enrolledAt: Date | null;
  waitlistPosition: number | null;
  completedAt: Date | null;
}

export interface CsvLabels {
  headers: { name: string; email: string; country: string; school: string; status: string; enrolledAt: string; waitlistPosition: string; completedAt: string };
  status: (status: ParticipantStatus) => string;
  country: (code: string) => string;
}

/** ISO 8601 in UTC to the second: what spreadsheets and scripts read without guessing a zone. */
export function isoUtc(instant: Date | null): string {
  return instant ? instant.toISOString().replace(/\.\d{3}Z$/, 'Z') : '';
}

/**
 * The participant list as CSV for spreadsheet programs: UTF-8 with a byte
 * order mark (without it Excel reads "Łucja" as mojibake), CRLF line ends,
 * RFC 4180 quoting, and cells that would start a formula ("=", "+", "-",
 * "@") made inert with a leading apostrophe.
 */
export function participantsCsv(rows: CsvParticipant[], labels: CsvLabels): string {
  const { headers } = labels;
  return stringify(
    rows.map((row) => [
      row.fullName,
      row.email,
      labels.country(row.country),
      row.school,
      labels.status(row.status),
      isoUtc(row.enrolledAt),
      row.waitlistPosition === null ? '' : String(row.waitlistPosition),
      isoUtc(row.completedAt),
    ]),
    {
      bom: true,
      record_delimiter: 'windows',
      // With an explicit record delimiter the library stops quoting lone "\n" and "\r" unless asked.
      quote_record_delimiter: true,
      escape_formulas: true,
      header: true,
      columns: [
        headers.name,
        headers.email,
        headers.country,
        headers.school,
        headers.status,
        headers.enrolledAt,
        headers.waitlistPosition,
        headers.completedAt,
      ],
    },
  );
}

/** A file name from the offering's address: "participants-digital-classrooms-2026.csv". */
export function csvFileName(slug: string): string {
  return `participants-${slug.replace(/[^a-z0-9-]+/gi, '-').slice(0, 80)}.csv`;
}
