import { CsvError, parse } from 'csv-parse/sync';

/** One record of a delimited file with the line it starts on (1-based). An empty line is a record with no cells. */
export interface CsvRecord {
  line: number;
  cells: string[];
}

export type CsvRecords = { ok: true; records: CsvRecord[] } | { ok: false; line: number };

/**
 * Reads every record of `text`, empty lines included (Zoom and Teams separate
 * their sections with them). Cells are trimmed. A record that breaks the
 * quoting rules fails with the line it starts on.
 */
export function readCsvRecords(text: string, delimiter: string): CsvRecords {
  // csv-parse reports the line a record ends on; a record starts on the line after the previous one ended.
  let previousEndLine = 0;
  try {
    const rows = parse(text, {
      delimiter,
      info: true,
      relax_column_count: true,
      // Quotes inside unquoted fields (`Anna "AJ" N`) are kept as text; tools do not escape them.
      relax_quotes: true,
      skip_empty_lines: false,
      trim: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
    return {
      ok: true,
      records: rows.map(({ record, info }) => {
        const line = previousEndLine + 1;
        previousEndLine = info.lines;
        const blank = record.every((cell) => cell === '');
        return { line, cells: blank ? [] : record };
      }),
    };
  } catch (error) {
    if (error instanceof CsvError) return { ok: false, line: lineOfError(text, error, delimiter) };
    throw error;
  }
}

/** The line where the record that csv-parse refused starts (csv-parse names the line where it noticed). */
function lineOfError(text: string, error: CsvError, delimiter: string): number {
  const recordsBefore = Number((error as unknown as { records?: number }).records ?? 0);
  if (recordsBefore === 0) return 1;
  const before = parse(text, {
    delimiter,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    to: recordsBefore,
  }) as unknown as Array<{ info: { lines: number } }>;
  return (before.at(-1)?.info.lines ?? 0) + 1;
}

/** Header names compared loosely: case, surrounding spaces and runs of spaces do not matter. */
export function normaliseHeader(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Finds the wanted columns in a header record. Each wanted column lists the
 * names tools use for it (the first is the one shown in messages).
 */
export function findColumns<Key extends string>(
  header: string[],
  wanted: Record<Key, readonly string[]>,
): { ok: true; index: Record<Key, number> } | { ok: false; missing: string[] } {
  const positions = new Map<string, number>();
  header.forEach((name, position) => {
    const key = normaliseHeader(name);
    if (!positions.has(key)) positions.set(key, position);
  });
  const index = {} as Record<Key, number>;
  const missing: string[] = [];
  for (const key of Object.keys(wanted) as Key[]) {
    const names = wanted[key];
    const found = names.map((name) => positions.get(normaliseHeader(name))).find((position) => position !== undefined);
    if (found === undefined) missing.push(names[0]!);
    else index[key] = found;
  }
  return missing.length > 0 ? { ok: false, missing } : { ok: true, index };
}
