/** Types of the attendance report parsers (the contract in index.ts re-exports them). */

export type ReportFormat = 'zoom' | 'teams' | 'generic';

/** Largest file accepted, in bytes (enforce before parsing; routes also check Content-Length). */
export const MAX_REPORT_BYTES = 5 * 1024 * 1024;

export interface ReportSegment {
  /** 1-based line number in the file, for messages. */
  line: number;
  /** Lower-cased, trimmed; null when the row has none (e.g. a phone dial-in). */
  email: string | null;
  name: string;
  /** UTC instant. */
  joinedAt: Date;
  /** UTC instant, >= joinedAt. */
  leftAt: Date;
  /** True for rows the report marks as the organiser/host (ignored for attendance). */
  organiser: boolean;
}

export type ReportProblem =
  | { code: 'too-large'; maxBytes: number }
  | { code: 'empty' }
  /** Not UTF-8 / UTF-16 with BOM, or binary. */
  | { code: 'encoding' }
  /** None of the three recognised. */
  | { code: 'unknown-format' }
  | { code: 'missing-columns'; line: number; columns: string[] }
  | { code: 'bad-date'; line: number; value: string }
  /** Wrong number of fields, left before joined, etc. */
  | { code: 'bad-row'; line: number }
  /** The format has no offsets and no zone was given. */
  | { code: 'time-zone-needed' }
  | { code: 'bad-time-zone'; zone: string };

export type ParsedReport =
  | { ok: true; format: ReportFormat; needsTimeZone: boolean; segments: ReportSegment[] }
  | { ok: false; problem: ReportProblem };

/** What one format's parser returns; index.ts adds the format. */
export type SegmentsOrProblem = { ok: true; segments: ReportSegment[] } | { ok: false; problem: ReportProblem };

export interface PersonMinutes {
  /** null: unmatched-by-nature rows (no email). */
  email: string | null;
  name: string;
  /** Minutes present: the union of the person's segments (overlaps counted once), rounded down to whole minutes. */
  minutes: number;
  segments: number;
  firstLine: number;
}
