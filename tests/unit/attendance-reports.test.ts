import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  detectReportFormat,
  formatNeedsTimeZone,
  MAX_REPORT_BYTES,
  minutesPerPerson,
  parseAttendanceReport,
  type ParsedReport,
  type ReportProblem,
  type ReportSegment,
} from '~/modules/live/reports';

/**
 * The attendance report parsers against the samples in
 * tests/fixtures/attendance (copies of ../shared/fixtures/attendance, whose
 * README gives the expected results) and against malformed files built here.
 */

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/attendance/${name}`, import.meta.url)));
const ZOOM = fixture('zoom-participants.csv');
const TEAMS = fixture('teams-attendance.csv');
const GENERIC = fixture('generic.csv');
const BRUSSELS = { timeZone: 'Europe/Brussels' };

const utf8 = (text: string) => new TextEncoder().encode(text);
const withUtf8Bom = (text: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]);
function utf16(text: string, endian: 'le' | 'be', bom = true): Uint8Array {
  const bytes = new Uint8Array((bom ? 2 : 0) + text.length * 2);
  const view = new DataView(bytes.buffer);
  if (bom) view.setUint16(0, 0xfeff, endian === 'le');
  for (let i = 0; i < text.length; i++) view.setUint16((bom ? 2 : 0) + i * 2, text.charCodeAt(i), endian === 'le');
  return bytes;
}
const teamsText = () => new TextDecoder('utf-16le').decode(TEAMS);
// Mikko's row in section 3 (line 21); section 2 has a similar row with one more column.
const TEAMS_MIKKO_ROW = 'Mikko Virtanen\t12/1/26, 5:20:00 PM\t12/1/26, 5:40:00 PM\t20m\tmikko.virtanen@koulu.example.fi\tAttendee';
const teamsWithMikkoRow = (row: string) => {
  const text = teamsText();
  expect(text.split('\r\n')[20]).toBe(TEAMS_MIKKO_ROW);
  return utf16(text.replace(TEAMS_MIKKO_ROW, row), 'le');
};

function segmentsOf(result: ParsedReport): ReportSegment[] {
  if (!result.ok) throw new Error(`expected a parsed report, got ${JSON.stringify(result.problem)}`);
  return result.segments;
}
function problemOf(result: ParsedReport): ReportProblem {
  if (result.ok) throw new Error('expected the report to be refused');
  return result.problem;
}
const minutesByEmail = (segments: ReportSegment[]) =>
  Object.fromEntries(minutesPerPerson(segments).map((person) => [person.email ?? `(no email, line ${person.firstLine})`, person.minutes]));
const seconds = (h: number, m: number, s: number) => h * 3600 + m * 60 + s;
const floorMinutes = (totalSeconds: number) => Math.floor(totalSeconds / 60);

// The session of all three samples: 1 December 2026, 17:00–18:00 in Brussels, 16:00–17:00 UTC; 75 % of 60 minutes.
const THRESHOLD_MINUTES = 45;
// Computed from the samples' times, not copied from their duration columns.
const ANNA = floorMinutes(seconds(0, 32, 32) + seconds(0, 27, 53)); // 16:58:40–17:31:12 and 17:33:02–18:00:55
const LUCJA = floorMinutes(seconds(0, 59, 50)); // 17:00:10–18:00:00
const MIKKO = floorMinutes(seconds(0, 20, 0)); // 17:20–17:40

describe('the samples give the README results', () => {
  it('Zoom: segments in UTC, the host marked as organiser, the phone row without email', () => {
    const result = parseAttendanceReport(ZOOM, BRUSSELS);
    expect(result).toMatchObject({ ok: true, format: 'zoom', needsTimeZone: true });
    const segments = segmentsOf(result);
    expect(segments.map((s) => s.line)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(segments.filter((s) => s.organiser).map((s) => s.email)).toEqual(['trainer.hansen@example.org']);
    expect(segments[1]).toEqual({
      line: 6,
      email: 'anna.nilsson@skola.example.se',
      name: 'Anna Nilsson',
      joinedAt: new Date('2026-12-01T15:58:40Z'),
      leftAt: new Date('2026-12-01T16:31:12Z'),
      organiser: false,
    });
    expect(segments[5]).toMatchObject({ line: 10, email: null, name: 'iPhone (2)' });

    const people = minutesPerPerson(segments);
    expect(people).toEqual([
      { email: 'anna.nilsson@skola.example.se', name: 'Anna Nilsson', minutes: ANNA, segments: 2, firstLine: 6 },
      { email: 'mikko.virtanen@koulu.example.fi', name: 'Mikko Virtanen (Mikko V.)', minutes: MIKKO, segments: 1, firstLine: 8 },
      { email: 'lucja.zolkiewska@szkola.example.pl', name: 'Łucja Żółkiewska', minutes: LUCJA, segments: 1, firstLine: 9 },
      { email: null, name: 'iPhone (2)', minutes: 45, segments: 1, firstLine: 10 },
    ]);
    expect(people.filter((p) => p.email === null)).toHaveLength(1);
  });

  it('Teams: UTF-16 LE, section 3 segments, the Organizer left out', () => {
    const result = parseAttendanceReport(TEAMS, BRUSSELS);
    expect(result).toMatchObject({ ok: true, format: 'teams', needsTimeZone: true });
    const segments = segmentsOf(result);
    // Lines 18–22: section 3's rows, not section 2's first-join/last-leave summary (lines 11–14).
    expect(segments.map((s) => s.line)).toEqual([18, 19, 20, 21, 22]);
    expect(segments.filter((s) => s.organiser).map((s) => s.name)).toEqual(['Ingrid Hansen']);
    expect(segments[4]).toEqual({
      line: 22,
      email: 'lucja.zolkiewska@szkola.example.pl',
      name: 'Łucja Żółkiewska',
      joinedAt: new Date('2026-12-01T16:00:10Z'),
      leftAt: new Date('2026-12-01T17:00:00Z'),
      organiser: false,
    });
    expect(minutesPerPerson(segments)).toEqual([
      { email: 'anna.nilsson@skola.example.se', name: 'Anna Nilsson', minutes: ANNA, segments: 2, firstLine: 19 },
      { email: 'mikko.virtanen@koulu.example.fi', name: 'Mikko Virtanen', minutes: MIKKO, segments: 1, firstLine: 21 },
      { email: 'lucja.zolkiewska@szkola.example.pl', name: 'Łucja Żółkiewska', minutes: LUCJA, segments: 1, firstLine: 22 },
    ]);
  });

  it('generic: offsets and Z read as given, no zone needed', () => {
    const result = parseAttendanceReport(GENERIC, { timeZone: null });
    expect(result).toMatchObject({ ok: true, format: 'generic', needsTimeZone: false });
    const segments = segmentsOf(result);
    expect(segments[2]).toEqual({
      line: 4,
      email: 'mikko.virtanen@koulu.example.fi',
      name: 'mikko.virtanen@koulu.example.fi',
      joinedAt: new Date('2026-12-01T16:20:00Z'),
      leftAt: new Date('2026-12-01T16:40:00Z'),
      organiser: false,
    });
    expect(minutesByEmail(segments)).toEqual({
      'anna.nilsson@skola.example.se': ANNA,
      'mikko.virtanen@koulu.example.fi': MIKKO,
      'lucja.zolkiewska@szkola.example.pl': LUCJA,
    });
  });

  it('all three agree: Anna and Łucja attended (about 60 minutes), Mikko did not (20)', () => {
    expect(ANNA).toBe(60);
    expect(LUCJA).toBe(59);
    expect(MIKKO).toBe(20);
    for (const [bytes, options] of [
      [ZOOM, BRUSSELS],
      [TEAMS, BRUSSELS],
      [GENERIC, { timeZone: null }],
    ] as const) {
      const people = minutesPerPerson(segmentsOf(parseAttendanceReport(bytes, options))).filter((p) => p.email !== null);
      const attended = people.filter((p) => p.minutes >= THRESHOLD_MINUTES).map((p) => p.email);
      const below = people.filter((p) => p.minutes < THRESHOLD_MINUTES).map((p) => p.email);
      expect(attended).toEqual(['anna.nilsson@skola.example.se', 'lucja.zolkiewska@szkola.example.pl']);
      expect(below).toEqual(['mikko.virtanen@koulu.example.fi']);
      expect(people.map((p) => p.email)).not.toContain('trainer.hansen@example.org');
    }
  });

  it('reads the wall times in the zone it is given', () => {
    const helsinki = segmentsOf(parseAttendanceReport(ZOOM, { timeZone: 'Europe/Helsinki' }));
    expect(helsinki[1]!.joinedAt).toEqual(new Date('2026-12-01T14:58:40Z'));
    const newYork = segmentsOf(parseAttendanceReport(TEAMS, { timeZone: 'America/New_York' }));
    expect(newYork[1]!.joinedAt).toEqual(new Date('2026-12-01T21:58:40Z'));
  });
});

describe('detectReportFormat', () => {
  it('recognises the samples by their first lines', () => {
    expect(detectReportFormat(ZOOM)).toBe('zoom');
    expect(detectReportFormat(TEAMS)).toBe('teams');
    expect(detectReportFormat(GENERIC)).toBe('generic');
  });

  it('recognises them in other encodings and variants', () => {
    expect(detectReportFormat(utf16(teamsText(), 'be'))).toBe('teams');
    expect(detectReportFormat(utf8(teamsText()))).toBe('teams');
    expect(detectReportFormat(withUtf8Bom(new TextDecoder().decode(GENERIC)))).toBe('generic');
    expect(detectReportFormat(utf16(new TextDecoder().decode(ZOOM), 'le'))).toBe('zoom');
    // Zoom without the meeting block ("Export with meeting data" off).
    expect(detectReportFormat(utf8('Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n'))).toBe('zoom');
    expect(detectReportFormat(utf8('EMAIL ; Joined_At ; left_at\n'))).toBe('generic');
    expect(detectReportFormat(utf8('\n\nemail\tjoined_at\tleft_at\n'))).toBe('generic');
  });

  it('says null for anything else', () => {
    expect(detectReportFormat(utf8('name,score\nAnna,3\n'))).toBeNull();
    expect(detectReportFormat(utf8('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n'))).toBeNull();
    expect(detectReportFormat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).toBeNull();
    expect(detectReportFormat(new Uint8Array())).toBeNull();
  });

  it('asks for a zone only for the formats without offsets', () => {
    expect(formatNeedsTimeZone('zoom')).toBe(true);
    expect(formatNeedsTimeZone('teams')).toBe(true);
    expect(formatNeedsTimeZone('generic')).toBe(false);
  });
});

describe('encodings', () => {
  it('reads the same Teams report as UTF-16 BE and as UTF-8 with or without BOM', () => {
    const expected = segmentsOf(parseAttendanceReport(TEAMS, BRUSSELS));
    expect(segmentsOf(parseAttendanceReport(utf16(teamsText(), 'be'), BRUSSELS))).toEqual(expected);
    expect(segmentsOf(parseAttendanceReport(withUtf8Bom(teamsText()), BRUSSELS))).toEqual(expected);
    expect(segmentsOf(parseAttendanceReport(utf8(teamsText()), BRUSSELS))).toEqual(expected);
  });

  it('reads a generic file with a UTF-8 BOM and a Zoom file in UTF-16', () => {
    const generic = new TextDecoder().decode(GENERIC);
    expect(segmentsOf(parseAttendanceReport(withUtf8Bom(generic), { timeZone: null }))).toEqual(segmentsOf(parseAttendanceReport(GENERIC, { timeZone: null })));
    const zoom = new TextDecoder().decode(ZOOM);
    expect(segmentsOf(parseAttendanceReport(utf16(zoom, 'le'), BRUSSELS))).toEqual(segmentsOf(parseAttendanceReport(ZOOM, BRUSSELS)));
  });

  it.each([
    ['Latin-1 bytes', new Uint8Array([...utf8('email,joined_at,left_at\nsj'), 0xf6, ...utf8('berg@x.se,2026-12-01T16:00Z,2026-12-01T17:00Z\n')])],
    ['a PNG', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])],
    ['UTF-16 without a byte-order mark', utf16(new TextDecoder().decode(GENERIC), 'le', false)],
    ['UTF-16 cut in the middle of a character', TEAMS.slice(0, 101)],
    ['control characters in UTF-8 (a binary)', utf8('email,joined_at,left_at\n\u0000\u0001\u0002\n')],
  ])('refuses %s as encoding', (_label, bytes) => {
    expect(problemOf(parseAttendanceReport(bytes, BRUSSELS))).toEqual({ code: 'encoding' });
    expect(detectReportFormat(bytes)).toBeNull();
  });
});

describe('refusals', () => {
  it('refuses a 20 MB file before reading it', () => {
    // Bytes that are not even text: the size is checked first.
    const huge = new Uint8Array(20 * 1024 * 1024).fill(0xff);
    expect(problemOf(parseAttendanceReport(huge, BRUSSELS))).toEqual({ code: 'too-large', maxBytes: MAX_REPORT_BYTES });
  });

  it('accepts exactly MAX_REPORT_BYTES and refuses one byte more', () => {
    const head = 'email,joined_at,left_at,note\nanna@x.se,2026-12-01T16:00:00Z,2026-12-01T17:00:00Z,';
    const padded = (size: number) => utf8(head + 'x'.repeat(size - head.length - 1) + '\n');
    expect(padded(MAX_REPORT_BYTES)).toHaveLength(5 * 1024 * 1024);
    expect(segmentsOf(parseAttendanceReport(padded(MAX_REPORT_BYTES), { timeZone: null }))).toHaveLength(1);
    expect(problemOf(parseAttendanceReport(padded(MAX_REPORT_BYTES + 1), { timeZone: null }))).toEqual({ code: 'too-large', maxBytes: MAX_REPORT_BYTES });
  });

  it.each([
    ['no bytes', new Uint8Array()],
    ['only a byte-order mark', new Uint8Array([0xff, 0xfe])],
    ['only blank lines', utf8('\r\n \n\t\n')],
    ['a generic header without rows', utf8('email,joined_at,left_at\n')],
    ['Zoom headers without participants', utf8('Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n1,T,12/01/2026 04:55:02 PM,12/01/2026 06:02:11 PM,h@x.org,68,0\n\nName (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,Recording Consent,In Waiting Room\n')],
    ['Teams whose section 3 has only its header', utf16(teamsText().split('\r\n').slice(0, 17).join('\r\n'), 'le')],
  ])('refuses %s as empty', (_label, bytes) => {
    expect(problemOf(parseAttendanceReport(bytes, BRUSSELS))).toEqual({ code: 'empty' });
  });

  it.each([
    ['another CSV', 'name,score\nAnna,3\n'],
    ['an iCalendar file', 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n'],
    ['prose', 'Attendance for Tuesday: everyone came.\n'],
  ])('refuses %s as unknown-format', (_label, text) => {
    expect(problemOf(parseAttendanceReport(utf8(text), BRUSSELS))).toEqual({ code: 'unknown-format' });
  });

  it('needs a valid zone for Zoom and Teams, ignores it for generic', () => {
    expect(problemOf(parseAttendanceReport(ZOOM, { timeZone: null }))).toEqual({ code: 'time-zone-needed' });
    expect(problemOf(parseAttendanceReport(TEAMS, { timeZone: '  ' }))).toEqual({ code: 'time-zone-needed' });
    expect(problemOf(parseAttendanceReport(ZOOM, { timeZone: 'Mars/Olympus_Mons' }))).toEqual({ code: 'bad-time-zone', zone: 'Mars/Olympus_Mons' });
    expect(problemOf(parseAttendanceReport(TEAMS, { timeZone: '+01:00' }))).toEqual({ code: 'bad-time-zone', zone: '+01:00' });
    expect(segmentsOf(parseAttendanceReport(GENERIC, { timeZone: 'Mars/Olympus_Mons' }))).toEqual(segmentsOf(parseAttendanceReport(GENERIC, { timeZone: null })));
  });

  describe('missing-columns names the header line and the columns', () => {
    it('generic', () => {
      expect(problemOf(parseAttendanceReport(utf8('email,joined_at\na@x.se,2026-12-01T16:00Z\n'), { timeZone: null }))).toEqual({
        code: 'missing-columns',
        line: 1,
        columns: ['left_at'],
      });
      expect(problemOf(parseAttendanceReport(utf8('\nname,email,start,end\nA,a@x.se,2026-12-01T16:00Z,2026-12-01T17:00Z\n'), { timeZone: null }))).toEqual({
        code: 'missing-columns',
        line: 2,
        columns: ['joined_at', 'left_at'],
      });
    });

    it('generic without a header', () => {
      const headless = 'anna@x.se,2026-12-01T16:00:00Z,2026-12-01T17:00:00Z\n';
      expect(detectReportFormat(utf8(headless))).toBe('generic');
      expect(problemOf(parseAttendanceReport(utf8(headless), { timeZone: null }))).toEqual({
        code: 'missing-columns',
        line: 1,
        columns: ['email', 'joined_at', 'left_at'],
      });
    });

    it('Zoom', () => {
      const text = new TextDecoder().decode(ZOOM).replace(',Leave Time,', ',Left,');
      expect(problemOf(parseAttendanceReport(utf8(text), BRUSSELS))).toEqual({ code: 'missing-columns', line: 4, columns: ['Leave Time'] });
    });

    it('Teams', () => {
      const noRole = teamsText().replace('Duration\tEmail\tRole', 'Duration\tEmail\tKind');
      expect(problemOf(parseAttendanceReport(utf16(noRole, 'le'), BRUSSELS))).toEqual({ code: 'missing-columns', line: 17, columns: ['Role'] });
      const noSection3 = teamsText().split('\r\n').slice(0, 14).join('\r\n');
      expect(problemOf(parseAttendanceReport(utf16(noSection3, 'le'), BRUSSELS))).toEqual({
        code: 'missing-columns',
        line: 14,
        columns: ['Name', 'Join Time', 'Leave Time', 'Email', 'Role'],
      });
    });
  });

  describe('bad-date names the line and the value', () => {
    it.each([
      ['a time without offset', '2026-12-01T16:00:00'],
      ['a date only', '2026-12-01'],
      ['30 February', '2026-02-30T16:00:00Z'],
      ['25 o’clock', '2026-12-01T25:00:00Z'],
      ['a US date', '12/01/2026 04:00 PM'],
      ['nothing', ''],
    ])('generic: %s', (_label, value) => {
      const text = `email,joined_at,left_at\na@x.se,2026-12-01T16:00:00Z,2026-12-01T17:00:00Z\nb@x.se,2026-12-01T16:00:00+01:00,${value}\n`;
      expect(problemOf(parseAttendanceReport(utf8(text), { timeZone: null }))).toEqual({ code: 'bad-date', line: 3, value });
    });

    it('generic: accepts other ISO 8601 forms that carry an offset', () => {
      const text = [
        'email,joined_at,left_at',
        'a@x.se,2026-12-01T16:00:00.250+01:00,2026-12-01 17:30+0100',
        'b@x.se,20261201T150000Z,2026-12-01T16:00:00-05:30',
      ].join('\n');
      const segments = segmentsOf(parseAttendanceReport(utf8(text), { timeZone: null }));
      expect(segments.map((s) => [s.joinedAt.toISOString(), s.leftAt.toISOString()])).toEqual([
        ['2026-12-01T15:00:00.250Z', '2026-12-01T16:30:00.000Z'],
        ['2026-12-01T15:00:00.000Z', '2026-12-01T21:30:00.000Z'],
      ]);
    });

    it('Zoom: a day/month order that is not US', () => {
      const text = new TextDecoder().decode(ZOOM).replace('12/01/2026 05:20:00 PM', '13/01/2026 05:20:00 PM');
      expect(problemOf(parseAttendanceReport(utf8(text), BRUSSELS))).toEqual({ code: 'bad-date', line: 8, value: '13/01/2026 05:20:00 PM' });
    });

    it('Teams: a British report (day/month/year, 24-hour clock) is not read with day and month swapped', () => {
      const report = teamsWithMikkoRow('Mikko Virtanen\t01/12/2026, 17:20:00\t01/12/2026, 17:40:00\t20m\tmikko.virtanen@koulu.example.fi\tAttendee');
      expect(problemOf(parseAttendanceReport(report, BRUSSELS))).toEqual({ code: 'bad-date', line: 21, value: '01/12/2026, 17:20:00' });
    });

    it('Teams: a 24-hour time with AM/PM', () => {
      const report = teamsWithMikkoRow(TEAMS_MIKKO_ROW.replace('5:40:00 PM', '17:40:00 PM'));
      expect(problemOf(parseAttendanceReport(report, BRUSSELS))).toEqual({ code: 'bad-date', line: 21, value: '12/1/26, 17:40:00 PM' });
    });
  });

  describe('bad-row names the line', () => {
    it('a row with too many or too few fields', () => {
      const extra = 'email,joined_at,left_at\na@x.se,2026-12-01T16:00Z,2026-12-01T17:00Z\nb@x.se,2026-12-01T16:00Z,2026-12-01T17:00Z,oops\n';
      expect(problemOf(parseAttendanceReport(utf8(extra), { timeZone: null }))).toEqual({ code: 'bad-row', line: 3 });
      const short = new TextDecoder().decode(ZOOM).replace('Mikko Virtanen (Mikko V.),', '');
      expect(problemOf(parseAttendanceReport(utf8(short), BRUSSELS))).toEqual({ code: 'bad-row', line: 8 });
    });

    it('left before joined', () => {
      const generic = 'email,joined_at,left_at\na@x.se,2026-12-01T17:00:00+01:00,2026-12-01T15:59:59Z\n';
      expect(problemOf(parseAttendanceReport(utf8(generic), { timeZone: null }))).toEqual({ code: 'bad-row', line: 2 });
      const zoom = new TextDecoder().decode(ZOOM).replace('12/01/2026 05:20:00 PM,12/01/2026 05:40:00 PM', '12/01/2026 05:40:00 PM,12/01/2026 05:20:00 PM');
      expect(problemOf(parseAttendanceReport(utf8(zoom), BRUSSELS))).toEqual({ code: 'bad-row', line: 8 });
    });

    it('a Teams row whose duration disagrees with its times', () => {
      const report = teamsWithMikkoRow(TEAMS_MIKKO_ROW.replace('\t20m\t', '\t25m\t'));
      expect(problemOf(parseAttendanceReport(report, BRUSSELS))).toEqual({ code: 'bad-row', line: 21 });
    });

    it('a quote that is never closed: the line where the row starts', () => {
      const text = 'email,joined_at,left_at\na@x.se,2026-12-01T16:00Z,2026-12-01T17:00Z\n"b@x.se,2026-12-01T16:00Z,2026-12-01T17:00Z\nc@x.se,2026-12-01T16:00Z,2026-12-01T17:00Z\n';
      expect(problemOf(parseAttendanceReport(utf8(text), { timeZone: null }))).toEqual({ code: 'bad-row', line: 3 });
    });
  });

  it('counts lines as the file does: quoted line breaks, blank lines, CRLF', () => {
    const text = [
      'name,email,joined_at,left_at',
      '"Anna',
      'Nilsson",anna@x.se,2026-12-01T16:00Z,2026-12-01T17:00Z',
      '',
      'Bo,bo@x.se,2026-12-01T16:00Z,yesterday',
    ].join('\r\n');
    expect(problemOf(parseAttendanceReport(utf8(text), { timeZone: null }))).toEqual({ code: 'bad-date', line: 5, value: 'yesterday' });
    expect(segmentsOf(parseAttendanceReport(utf8(text.replace('yesterday', '2026-12-01T17:00Z')), { timeZone: null })).map((s) => [s.line, s.name])).toEqual([
      [2, 'Anna\r\nNilsson'],
      [5, 'Bo'],
    ]);
  });

  it('keeps a blank line inside a quoted cell in its record', () => {
    const text = 'name,email,joined_at,left_at\n"Anna\n\nNilsson",anna@x.se,2026-12-01T16:00Z,2026-12-01T17:00Z\n\nBo,bo@x.se,2026-12-01T16:00Z,2026-12-01T16:30Z\n';
    const segments = segmentsOf(parseAttendanceReport(utf8(text), { timeZone: null }));
    expect(segments.map((s) => [s.line, s.name])).toEqual([
      [2, 'Anna\n\nNilsson'],
      [6, 'Bo'],
    ]);
    const broken = text.replace('Bo,bo@x.se', '"Bo,bo@x.se');
    expect(problemOf(parseAttendanceReport(utf8(broken), { timeZone: null }))).toEqual({ code: 'bad-row', line: 6 });
  });
});

describe('format details', () => {
  it('Zoom: rows in the waiting room are not attendance', () => {
    const text = new TextDecoder().decode(ZOOM).replace(
      'Mikko Virtanen (Mikko V.),mikko.virtanen@koulu.example.fi,12/01/2026 05:20:00 PM,12/01/2026 05:40:00 PM,20,Yes,Y,No',
      'Mikko Virtanen (Mikko V.),mikko.virtanen@koulu.example.fi,12/01/2026 04:50:00 PM,12/01/2026 05:20:00 PM,30,Yes,Y,Yes\n' +
        'Mikko Virtanen (Mikko V.),mikko.virtanen@koulu.example.fi,12/01/2026 05:20:00 PM,12/01/2026 05:40:00 PM,20,Yes,Y,No',
    );
    const segments = segmentsOf(parseAttendanceReport(utf8(text), BRUSSELS));
    expect(segments.filter((s) => s.email === 'mikko.virtanen@koulu.example.fi').map((s) => s.line)).toEqual([9]);
    expect(minutesByEmail(segments)['mikko.virtanen@koulu.example.fi']).toBe(MIKKO);
  });

  it('Zoom: without the meeting block there is no host to leave out', () => {
    const text = new TextDecoder().decode(ZOOM).split('\n').slice(3).join('\n');
    const segments = segmentsOf(parseAttendanceReport(utf8(text), BRUSSELS));
    expect(segments[0]).toMatchObject({ line: 2, email: 'trainer.hansen@example.org', organiser: false });
    expect(segments).toHaveLength(6);
  });

  it('Zoom: a 24-hour clock, no seconds, and the host email in another case', () => {
    const text = [
      'Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants',
      '1,"Topic, with a comma",12/01/2026 16:55,12/01/2026 18:02,Trainer.Hansen@Example.org,68,2',
      '',
      'Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)',
      'Ingrid Hansen,trainer.hansen@example.org,12/01/2026 16:55,12/01/2026 18:02,68',
      'Anna Nilsson, Anna.Nilsson@Skola.Example.SE ,12/1/2026 17:00,12/1/2026 18:00,60',
    ].join('\n');
    const segments = segmentsOf(parseAttendanceReport(utf8(text), BRUSSELS));
    expect(segments.map((s) => [s.email, s.organiser, s.joinedAt.toISOString()])).toEqual([
      ['trainer.hansen@example.org', true, '2026-12-01T15:55:00.000Z'],
      ['anna.nilsson@skola.example.se', false, '2026-12-01T16:00:00.000Z'],
    ]);
  });

  it('Teams: a narrow no-break space before PM (newer exports) and an external guest without email', () => {
    const guest = 'Guest (External)\t12/1/26, 5:20:00 PM\t12/1/26, 5:40:00 PM\t20m\t\tAttendee';
    const text = teamsText().replace(TEAMS_MIKKO_ROW, guest).replaceAll(' PM', '\u202fPM');
    const segments = segmentsOf(parseAttendanceReport(utf16(text, 'le'), BRUSSELS));
    expect(segments[3]).toMatchObject({ line: 21, email: null, name: 'Guest (External)', joinedAt: new Date('2026-12-01T16:20:00Z') });
  });

  it('generic: emails in any case belong to the same person; semicolons; a name column', () => {
    const text = 'Name;Email;Joined_At;Left_At\nAnna;Anna@X.se;2026-12-01T16:00Z;2026-12-01T16:30Z\nAnna N;anna@x.se ;2026-12-01T16:20Z;2026-12-01T16:50Z\n';
    const people = minutesPerPerson(segmentsOf(parseAttendanceReport(utf8(text), { timeZone: null })));
    expect(people).toEqual([{ email: 'anna@x.se', name: 'Anna', minutes: 50, segments: 2, firstLine: 2 }]);
  });
});

describe('daylight-saving changes (Europe/Brussels, 2026)', () => {
  // 25 October 2026: at 03:00 CEST the clocks go back to 02:00 CET, so 02:00–02:59 happens twice
  // (first at UTC+2, then at UTC+1). Zoom states each segment's duration in minutes.
  const zoomReport = (rows: string[]) =>
    utf8(
      [
        'Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants',
        '1,Night shift staff meeting,10/25/2026 01:00:00 AM,10/25/2026 06:00:00 PM,host@example.org,1080,5',
        '',
        'Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,Recording Consent,In Waiting Room',
        ...rows,
      ].join('\n'),
    );

  it('reads a session across the change, the repeated hour and the evening after it', () => {
    const segments = segmentsOf(
      parseAttendanceReport(
        zoomReport([
          // Across the change: 01:30 CEST to 03:30 CET is three hours.
          'Across,across@x.se,10/25/2026 01:30:00 AM,10/25/2026 03:30:00 AM,180,Yes,Y,No',
          // Both in the repeated hour, no way to tell which pass: the earlier reading.
          'Early,early@x.se,10/25/2026 02:15:00 AM,10/25/2026 02:45:00 AM,30,Yes,Y,No',
          // The clock went back while connected: left "before" joining on the wall, so the leave is the second pass.
          'Backwards,backwards@x.se,10/25/2026 02:50:00 AM,10/25/2026 02:10:00 AM,20,Yes,Y,No',
          // The stated duration (80 minutes) tells the readings apart: joined in the first pass, left in the second.
          'Stated,stated@x.se,10/25/2026 02:20:00 AM,10/25/2026 02:40:00 AM,80,Yes,Y,No',
          // Later that day the offset is +01:00.
          'Evening,evening@x.se,10/25/2026 05:00:00 PM,10/25/2026 06:00:00 PM,60,Yes,Y,No',
        ]),
        BRUSSELS,
      ),
    );
    expect(segments.map((s) => [s.name, s.joinedAt.toISOString(), s.leftAt.toISOString()])).toEqual([
      ['Across', '2026-10-24T23:30:00.000Z', '2026-10-25T02:30:00.000Z'],
      ['Early', '2026-10-25T00:15:00.000Z', '2026-10-25T00:45:00.000Z'],
      ['Backwards', '2026-10-25T00:50:00.000Z', '2026-10-25T01:10:00.000Z'],
      ['Stated', '2026-10-25T00:20:00.000Z', '2026-10-25T01:40:00.000Z'],
      ['Evening', '2026-10-25T16:00:00.000Z', '2026-10-25T17:00:00.000Z'],
    ]);
    expect(minutesPerPerson(segments).map((p) => p.minutes)).toEqual([180, 30, 20, 80, 60]);
  });

  it('refuses a time in the hour skipped on 29 March as a bad date', () => {
    const report = zoomReport(['Anna,anna@x.se,03/29/2026 01:45:00 AM,03/29/2026 02:30:00 AM,45,Yes,Y,No']);
    expect(problemOf(parseAttendanceReport(report, BRUSSELS))).toEqual({ code: 'bad-date', line: 5, value: '03/29/2026 02:30:00 AM' });
    const justAfter = zoomReport(['Anna,anna@x.se,03/29/2026 01:45:00 AM,03/29/2026 03:00:00 AM,15,Yes,Y,No']);
    expect(segmentsOf(parseAttendanceReport(justAfter, BRUSSELS))[0]).toMatchObject({
      joinedAt: new Date('2026-03-29T00:45:00Z'),
      leftAt: new Date('2026-03-29T01:00:00Z'),
    });
  });

  it('Teams: the stated duration picks the readings of a segment in the repeated hour', () => {
    const report = teamsWithMikkoRow(
      'Mikko Virtanen\t10/25/26, 2:20:00 AM\t10/25/26, 2:40:00 AM\t1h 20m\tmikko.virtanen@koulu.example.fi\tAttendee',
    );
    const mikko = segmentsOf(parseAttendanceReport(report, BRUSSELS)).find((s) => s.name === 'Mikko Virtanen')!;
    expect([mikko.joinedAt.toISOString(), mikko.leftAt.toISOString()]).toEqual(['2026-10-25T00:20:00.000Z', '2026-10-25T01:40:00.000Z']);
  });
});

describe('minutesPerPerson', () => {
  const at = (time: string) => new Date(`2026-12-01T${time}Z`);
  const segment = (line: number, email: string | null, from: string, to: string, organiser = false): ReportSegment => ({
    line,
    email,
    name: email ?? 'Phone',
    joinedAt: at(from),
    leftAt: at(to),
    organiser,
  });

  it('counts overlapping and touching segments once (two devices, a reconnect)', () => {
    const people = minutesPerPerson([
      segment(2, 'a@x.se', '16:00:00', '16:30:00'),
      segment(3, 'a@x.se', '16:10:00', '16:20:00'), // inside the first
      segment(4, 'a@x.se', '16:25:00', '16:40:00'), // overlaps the first
      segment(5, 'a@x.se', '16:40:00', '16:45:00'), // touches the third
      segment(6, 'a@x.se', '16:50:00', '16:55:00'), // after a gap
    ]);
    expect(people).toEqual([{ email: 'a@x.se', name: 'a@x.se', minutes: 45 + 5, segments: 5, firstLine: 2 }]);
  });

  it('rounds down to whole minutes and keeps zero-length segments', () => {
    expect(minutesPerPerson([segment(2, 'a@x.se', '16:00:00', '16:59:59')])[0]!.minutes).toBe(59);
    expect(minutesPerPerson([segment(2, 'a@x.se', '16:00:00', '16:00:00')])).toEqual([
      { email: 'a@x.se', name: 'a@x.se', minutes: 0, segments: 1, firstLine: 2 },
    ]);
  });

  it('leaves organisers out and keeps rows without email apart, in file order', () => {
    const people = minutesPerPerson([
      segment(4, null, '16:00:00', '16:10:00'),
      segment(2, 'host@x.org', '15:55:00', '17:05:00', true),
      segment(3, 'b@x.se', '16:00:00', '16:20:00'),
      segment(5, null, '16:00:00', '16:30:00'),
    ]);
    expect(people.map((p) => [p.email, p.minutes, p.firstLine])).toEqual([
      ['b@x.se', 20, 3],
      [null, 10, 4],
      [null, 30, 5],
    ]);
  });

  it('takes the name of the person’s first row in the file', () => {
    const people = minutesPerPerson([
      { ...segment(7, 'a@x.se', '16:30:00', '16:40:00'), name: 'Anna N.' },
      { ...segment(3, 'a@x.se', '16:00:00', '16:10:00'), name: 'Anna Nilsson' },
    ]);
    expect(people).toEqual([{ email: 'a@x.se', name: 'Anna Nilsson', minutes: 20, segments: 2, firstLine: 3 }]);
  });
});

describe('determinism', () => {
  it('gives equal results for equal bytes, and the same people whatever the order of segments', () => {
    for (const [bytes, options] of [
      [ZOOM, BRUSSELS],
      [TEAMS, BRUSSELS],
      [GENERIC, { timeZone: null }],
    ] as const) {
      const first = parseAttendanceReport(bytes, options);
      expect(parseAttendanceReport(new Uint8Array(bytes), options)).toEqual(first);
      const segments = segmentsOf(first);
      expect(minutesPerPerson([...segments].reverse())).toEqual(minutesPerPerson(segments));
    }
  });

  it('does not modify the bytes it is given', () => {
    const copy = new Uint8Array(TEAMS);
    parseAttendanceReport(copy, BRUSSELS);
    expect(copy).toEqual(TEAMS);
  });
});
