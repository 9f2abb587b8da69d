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
 *
 * csv-parse builds an error object, options copied through JSON, for every
 * record whose length differs from the first record's — in a Zoom or Teams
 * report that is every row after the first section, eight times the cost of
 * the parse itself. So the file is read in blocks: each run of non-blank
 * lines on its own, and within a block the first record (a section heading)
 * apart from the rest. A blank line inside a quoted cell would cut a block in
 * the middle of a record; csv-parse then reports an unclosed quote and the
 * whole file is read in one go instead, which is also how every error is
 * located.
 */
export function readCsvRecords(text: string, delimiter: string): CsvRecords {
  try {
    return { ok: true, records: readInBlocks(text, delimiter) };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return readWhole(text, delimiter);
  }
}

function readInBlocks(text: string, delimiter: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  for (const block of blocksOf(text)) {
    if (block.blank) {
      records.push({ line: block.line, cells: [] });
      continue;
    }
    const blockText = text.slice(block.start, block.end);
    const first = parse(blockText, { ...PARSE_OPTIONS, delimiter, info: true, to: 1 }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
    // from_line counts lines as csv-parse does, so it starts right after the first record however that was counted.
    const rest = parse(blockText, { ...PARSE_OPTIONS, delimiter, from_line: first[0]!.info.lines + 1 }) as string[][];
    for (const { line, cells } of withLines([first[0]!.record, ...rest], block.line)) records.push({ line, cells: trimmed(cells) });
  }
  return records;
}

/** Physical lines grouped into runs of non-blank lines (offsets into the text, without the last line break) and single blank lines. */
function blocksOf(text: string): Array<{ line: number; blank: boolean; start: number; end: number }> {
  const blocks: Array<{ line: number; blank: boolean; start: number; end: number }> = [];
  let current: { line: number; blank: boolean; start: number; end: number } | null = null;
  let line = 1;
  let start = 0;
  const lineBreak = /\r\n|\r|\n/g;
  while (start <= text.length) {
    const found = lineBreak.exec(text);
    const end = found ? found.index : text.length;
    if (!found && start === text.length) break; // the file ends with a line break
    if (text.slice(start, end).trim() === '') {
      current = null;
      blocks.push({ line, blank: true, start, end });
    } else if (current) {
      current.end = end;
    } else {
      current = { line, blank: false, start, end };
      blocks.push(current);
    }
    if (!found) break;
    start = lineBreak.lastIndex;
    line += 1;
  }
  return blocks;
}

function readWhole(text: string, delimiter: string): CsvRecords {
  try {
    return { ok: true, records: withLines(parseRows(text, delimiter), 1).map(({ line, cells }) => ({ line, cells: trimmed(cells) })) };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // The error names the line where csv-parse noticed (an unclosed quote: the end of the file); the record starts after the last good one.
    const recordsBefore = Number((error as unknown as { records?: number }).records ?? 0);
    const before = recordsBefore > 0 ? withLines(parseRows(text, delimiter, recordsBefore), 1) : [];
    const last = before.at(-1);
    return { ok: false, line: last ? last.line + lineBreaksIn(last.cells) + 1 : 1 };
  }
}

const PARSE_OPTIONS = {
  relax_column_count: true,
  // Quotes inside unquoted fields (`Anna "AJ" N`) are kept as text; tools do not escape them.
  relax_quotes: true,
  skip_empty_lines: false,
} as const;

function parseRows(text: string, delimiter: string, to?: number): string[][] {
  return parse(text, { ...PARSE_OPTIONS, delimiter, ...(to === undefined ? {} : { to }) }) as string[][];
}

/**
 * The line each record starts on. Every record ends with one line break, and
 * quoted cells keep theirs, so a record starts one line after the previous
 * record's start plus the line breaks in its cells. (csv-parse's own count
 * reads a CRLF inside quotes as two lines.)
 */
function withLines(rows: string[][], firstLine: number): Array<{ line: number; cells: string[] }> {
  let line = firstLine;
  return rows.map((cells) => {
    const record = { line, cells };
    line += lineBreaksIn(cells) + 1;
    return record;
  });
}

const LINE_BREAK = /\r\n|\r|\n/g;

function lineBreaksIn(cells: string[]): number {
  let count = 0;
  for (const cell of cells) if (cell.includes('\n') || cell.includes('\r')) count += cell.match(LINE_BREAK)?.length ?? 0;
  return count;
}

/** Cells without surrounding spaces; a blank line has none. */
function trimmed(cells: string[]): string[] {
  const result = cells.map((cell) => cell.trim());
  return result.every((cell) => cell === '') ? [] : result;
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
