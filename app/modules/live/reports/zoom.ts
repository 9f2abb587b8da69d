import { type IANAZone } from 'luxon';
import { type CsvRecord, findColumns, normaliseHeader } from './csv';
import { normaliseEmail } from './segments';
import { type ReportSegment, type SegmentsOrProblem } from './types';
import { chooseSegmentInstants, usWallTimeReader } from './wall-time';

/**
 * Zoom's participants report (Reports → Usage → Participants): optionally a
 * meeting block (a header row starting with "Meeting ID" and one row of
 * values, whose "User Email" is the host), a blank line, then a header and
 * one row per join segment. Times carry no offset: they are in the Zoom
 * account's zone, which the importer asks for.
 *
 * The host is marked nowhere in the participant rows; a row is the
 * organiser's when its email is the meeting block's host email. Rows of time
 * spent in the waiting room ("In Waiting Room" = Yes) are not attendance and
 * are left out.
 */

const PARTICIPANT_COLUMNS = {
  name: ['Name (Original Name)', 'Name', 'Participant'],
  email: ['User Email', 'Email'],
  joinedAt: ['Join Time'],
  leftAt: ['Leave Time'],
} as const;

const HOST_EMAIL_COLUMNS = { hostEmail: ['User Email', 'Host Email'] } as const;

// Zoom rounds a segment's duration to whole minutes (up, in the samples); a minute either way still agrees.
const DURATION_TOLERANCE_SECONDS = 60;

export function isZoomHeader(cells: string[]): boolean {
  const names = cells.map(normaliseHeader);
  return names[0] === 'meeting id' || (names.includes('join time') && names.includes('leave time'));
}

export function parseZoomRecords(records: CsvRecord[], zone: IANAZone): SegmentsOrProblem {
  const rows = records.filter((record) => record.cells.length > 0);
  let position = 0;
  let hostEmail: string | null = null;

  if (rows[0] && normaliseHeader(rows[0].cells[0] ?? '') === 'meeting id') {
    const meetingHeader = rows[0];
    const meeting = rows[1];
    position = 2;
    if (meeting && isZoomHeader(meeting.cells)) {
      // A meeting header without its row of values: nothing to learn about the host.
      position = 1;
    } else if (meeting) {
      if (meeting.cells.length !== meetingHeader.cells.length) return { ok: false, problem: { code: 'bad-row', line: meeting.line } };
      const columns = findColumns(meetingHeader.cells, HOST_EMAIL_COLUMNS);
      if (columns.ok) hostEmail = normaliseEmail(meeting.cells[columns.index.hostEmail] ?? '');
    }
  }

  const header = rows[position];
  if (!header) return { ok: true, segments: [] };
  const columns = findColumns(header.cells, PARTICIPANT_COLUMNS);
  if (!columns.ok) return { ok: false, problem: { code: 'missing-columns', line: header.line, columns: columns.missing } };
  const { index } = columns;
  const names = header.cells.map(normaliseHeader);
  const durationColumn = names.findIndex((name) => name === 'duration (minutes)' || name === 'duration');
  const waitingRoomColumn = names.indexOf('in waiting room');

  const readWallTime = usWallTimeReader(zone, { twelveHour: false });
  const segments: ReportSegment[] = [];
  for (const row of rows.slice(position + 1)) {
    const { line, cells } = row;
    if (cells.length !== header.cells.length) return { ok: false, problem: { code: 'bad-row', line } };
    const joinedText = cells[index.joinedAt]!;
    const leftText = cells[index.leftAt]!;
    const joinReadings = readWallTime(joinedText);
    if (!joinReadings) return { ok: false, problem: { code: 'bad-date', line, value: joinedText } };
    const leaveReadings = readWallTime(leftText);
    if (!leaveReadings) return { ok: false, problem: { code: 'bad-date', line, value: leftText } };
    if (waitingRoomColumn >= 0 && /^(yes|y|true)$/i.test(cells[waitingRoomColumn]!)) continue;

    const durationText = durationColumn >= 0 ? cells[durationColumn]! : '';
    const statedSeconds = /^\d+$/.test(durationText) ? Number(durationText) * 60 : null;
    const instants = chooseSegmentInstants(joinReadings, leaveReadings, statedSeconds, DURATION_TOLERANCE_SECONDS);
    if (!instants) return { ok: false, problem: { code: 'bad-row', line } };

    const email = normaliseEmail(cells[index.email]!);
    segments.push({
      line,
      email,
      name: cells[index.name]!,
      joinedAt: new Date(instants.joinedAt),
      leftAt: new Date(instants.leftAt),
      organiser: hostEmail !== null && email === hostEmail,
    });
  }
  return { ok: true, segments };
}
