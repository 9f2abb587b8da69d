/**
 * Attendance reports from conferencing tools — Zoom's participants report,
 * the Microsoft Teams attendance report and a generic CSV — read into join
 * segments and minutes per person. Pure: no database, no clock. The contract
 * is /work/briefs/report-api.md; problems are translated by the UI under
 * `attendance.reportProblems.<code>`.
 */
import { parse } from 'csv-parse/sync';
import { readCsvRecords } from './csv';
import { decodeReportBytes } from './decode';
import { isGenericFirstLine, parseGenericRecords } from './generic';
import { isTeamsFirstLine, parseTeamsRecords } from './teams';
import { MAX_REPORT_BYTES, type ParsedReport, type ReportFormat, type ReportProblem, type SegmentsOrProblem } from './types';
import { ianaZone } from './wall-time';
import { isZoomHeader, parseZoomRecords } from './zoom';

export { minutesPerPerson } from './segments';
export {
  MAX_REPORT_BYTES,
  type ParsedReport,
  type PersonMinutes,
  type ReportFormat,
  type ReportProblem,
  type ReportSegment,
} from './types';

/** True for formats whose times carry no offset (Zoom, Teams): the importer must ask for the zone. */
export function formatNeedsTimeZone(format: ReportFormat): boolean {
  return format === 'zoom' || format === 'teams';
}

/** Which format the bytes are, or null. */
export function detectReportFormat(bytes: Uint8Array): ReportFormat | null {
  const decoded = decodeReportBytes(bytes);
  return decoded.ok ? detectText(decoded.text)?.format ?? null : null;
}

/** Parses a report. `timeZone` (IANA) is required for formats without offsets; ignored otherwise. */
export function parseAttendanceReport(bytes: Uint8Array, options: { timeZone: string | null }): ParsedReport {
  // Before anything else: a huge upload costs nothing more than its length check.
  if (bytes.length > MAX_REPORT_BYTES) return refuse({ code: 'too-large', maxBytes: MAX_REPORT_BYTES });
  if (bytes.length === 0) return refuse({ code: 'empty' });
  const decoded = decodeReportBytes(bytes);
  if (!decoded.ok) return refuse({ code: 'encoding' });
  if (decoded.text.trim() === '') return refuse({ code: 'empty' });

  const detected = detectText(decoded.text);
  if (!detected) return refuse({ code: 'unknown-format' });
  const { format, delimiter } = detected;
  const needsTimeZone = formatNeedsTimeZone(format);

  let zone = null;
  if (needsTimeZone) {
    const name = options.timeZone?.trim() ?? '';
    if (name === '') return refuse({ code: 'time-zone-needed' });
    zone = ianaZone(name);
    if (!zone) return refuse({ code: 'bad-time-zone', zone: name });
  }

  const read = readCsvRecords(decoded.text, delimiter);
  if (!read.ok) return refuse({ code: 'bad-row', line: read.line });
  const parsed: SegmentsOrProblem =
    format === 'zoom' ? parseZoomRecords(read.records, zone!) : format === 'teams' ? parseTeamsRecords(read.records, zone!) : parseGenericRecords(read.records);
  if (!parsed.ok) return parsed;
  // A header without a single row is as good as an empty file: there is nothing to import.
  if (parsed.segments.length === 0) return refuse({ code: 'empty' });
  return { ok: true, format, needsTimeZone, segments: parsed.segments };
}

function refuse(problem: ReportProblem): ParsedReport {
  return { ok: false, problem };
}

const DELIMITERS = [',', ';', '\t'] as const;
// Enough for any header; csv-parse copies its input into a buffer, so detection does not hand it the whole file.
const DETECTION_PREFIX = 64 * 1024;

/** The format and delimiter, judged by the first non-blank line (the first section heading or the header). */
function detectText(text: string): { format: ReportFormat; delimiter: string } | null {
  const firstLine = text.slice(0, DETECTION_PREFIX).split(/\r\n|\r|\n/).find((line) => line.trim() !== '');
  if (firstLine === undefined) return null;
  // The delimiter that occurs most on the first line; only the sniffing is done by hand, csv-parse reads the file.
  const counts = DELIMITERS.map((delimiter) => firstLine.split(delimiter).length - 1);
  const delimiter = DELIMITERS[counts.indexOf(Math.max(...counts))]!;
  const cells = firstRecordCells(text, delimiter);
  if (!cells) return null;
  if (isTeamsFirstLine(cells) && text.includes('\t')) return { format: 'teams', delimiter: '\t' };
  if (delimiter === ',' && isZoomHeader(cells)) return { format: 'zoom', delimiter };
  if (isGenericFirstLine(cells)) return { format: 'generic', delimiter };
  return null;
}

function firstRecordCells(text: string, delimiter: string): string[] | null {
  try {
    const [first] = parse(text.slice(0, DETECTION_PREFIX), { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, trim: true, to: 1 }) as string[][];
    return first ?? null;
  } catch {
    return null;
  }
}
