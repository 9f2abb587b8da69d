import { describe, expect, it } from 'vitest';
import { describeSessionTime } from '~/modules/time/session-time';
import { parseZonedLocal, toZonedLocal } from '~/modules/time/zoned';

/**
 * Live sessions across zones and on Europe's daylight-saving change days of
 * 2026 and 2027 (last Sundays of March and October: 29 Mar and 25 Oct 2026,
 * 28 Mar and 31 Oct 2027). Europe changes at 01:00 UTC everywhere, so the
 * local hour that is skipped or repeated differs by zone: 01:00 in Lisbon,
 * 02:00 in Brussels, 03:00 in Helsinki.
 */

const CHANGE_DAYS = [
  { day: '2026-03-29', kind: 'spring' },
  { day: '2026-10-25', kind: 'autumn' },
  { day: '2027-03-28', kind: 'spring' },
  { day: '2027-10-31', kind: 'autumn' },
] as const;

const CHANGING_HOUR = { 'Europe/Lisbon': '01', 'Europe/Brussels': '02', 'Europe/Helsinki': '03' } as const;

function entered(local: string, zone: string): Date {
  const read = parseZonedLocal(local, zone);
  if (!read.ok) throw new Error(`${local} in ${zone}: ${read.reason}`);
  return read.instant;
}

describe('entering a session time in the organiser’s zone on change days', () => {
  for (const { day, kind } of CHANGE_DAYS) {
    for (const [zone, hour] of Object.entries(CHANGING_HOUR)) {
      it(`${day} (${kind}) in ${zone}: ${hour}:30 is ${kind === 'spring' ? 'skipped' : 'repeated'} and refused, the hours around it are read exactly`, () => {
        expect(parseZonedLocal(`${day}T${hour}:30`, zone)).toEqual({ ok: false, reason: kind === 'spring' ? 'nonexistent' : 'ambiguous' });
        // The change happens at 01:00 UTC: an hour before and two hours after, every zone reads one instant.
        const before = entered(`${day}T${String(Number(hour) - 1).padStart(2, '0')}:30`, zone);
        const after = entered(`${day}T${String(Number(hour) + 2).padStart(2, '0')}:00`, zone);
        expect(before.toISOString()).toBe(kind === 'spring' ? `${day}T00:30:00.000Z` : `${previousDay(day)}T23:30:00.000Z`);
        expect(after.toISOString()).toBe(`${day}T${kind === 'spring' ? '02:00' : '03:00'}:00.000Z`);
        // The instant round-trips to the same wall time in the organiser's form.
        expect(toZonedLocal(after, zone)).toBe(`${day}T${String(Number(hour) + 2).padStart(2, '0')}:00`);
      });
    }
  }

  it('an evening session on each change day lands at the right instant in UTC', () => {
    // 17:00 in Lisbon is UTC+0 before the spring change and UTC+1 after it.
    expect(entered('2026-03-29T17:00', 'Europe/Lisbon').toISOString()).toBe('2026-03-29T16:00:00.000Z');
    expect(entered('2026-03-28T17:00', 'Europe/Lisbon').toISOString()).toBe('2026-03-28T17:00:00.000Z');
    expect(entered('2026-10-25T17:00', 'Europe/Lisbon').toISOString()).toBe('2026-10-25T17:00:00.000Z');
    expect(entered('2026-10-24T17:00', 'Europe/Lisbon').toISOString()).toBe('2026-10-24T16:00:00.000Z');
    expect(entered('2027-03-28T17:00', 'Europe/Helsinki').toISOString()).toBe('2027-03-28T14:00:00.000Z');
    expect(entered('2027-10-31T17:00', 'Europe/Helsinki').toISOString()).toBe('2027-10-31T15:00:00.000Z');
  });
});

function previousDay(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

describe('a session created in Europe/Lisbon, viewed from Helsinki and New York', () => {
  it('on the spring change day 2026, Helsinki and Lisbon have both moved: three hours apart before and after', () => {
    const start = entered('2026-03-29T17:00', 'Europe/Lisbon');
    expect(describeSessionTime(start, 'Europe/Lisbon', 'Europe/Helsinki', 'en')).toEqual({
      viewer: 'Sun, 29 Mar 2026, 19:00 EEST',
      organiser: { time: '17:00', place: 'Lisbon' },
    });
    // New York moved on 8 March: four hours behind Lisbon's summer time.
    expect(describeSessionTime(start, 'Europe/Lisbon', 'America/New_York', 'en')).toEqual({
      viewer: 'Sun, 29 Mar 2026, 12:00 GMT-4',
      organiser: { time: '17:00', place: 'Lisbon' },
    });
    expect(describeSessionTime(start, 'Europe/Lisbon', 'Europe/Lisbon', 'en')).toEqual({ viewer: 'Sun, 29 Mar 2026, 17:00 WEST', organiser: null });
  });

  it('the day before the spring change, Lisbon is still on winter time', () => {
    const start = entered('2026-03-28T17:00', 'Europe/Lisbon');
    expect(describeSessionTime(start, 'Europe/Lisbon', 'Europe/Helsinki', 'en').viewer).toBe('Sat, 28 Mar 2026, 19:00 EET');
    expect(describeSessionTime(start, 'Europe/Lisbon', 'America/New_York', 'en').viewer).toBe('Sat, 28 Mar 2026, 13:00 GMT-4');
  });

  it('between Europe’s and America’s autumn changes (25 Oct – 1 Nov 2026) New York is an hour closer', () => {
    const inTheGap = entered('2026-10-28T17:00', 'Europe/Lisbon');
    expect(describeSessionTime(inTheGap, 'Europe/Lisbon', 'America/New_York', 'en').viewer).toBe('Wed, 28 Oct 2026, 13:00 GMT-4');
    const afterBoth = entered('2026-11-04T17:00', 'Europe/Lisbon');
    expect(describeSessionTime(afterBoth, 'Europe/Lisbon', 'America/New_York', 'en').viewer).toBe('Wed, 4 Nov 2026, 12:00 GMT-5');
    expect(describeSessionTime(afterBoth, 'Europe/Lisbon', 'Europe/Helsinki', 'en').viewer).toBe('Wed, 4 Nov 2026, 19:00 EET');
  });

  it('on the autumn change day 2027 and in the other languages', () => {
    const start = entered('2027-10-31T17:00', 'Europe/Lisbon');
    expect(start.toISOString()).toBe('2027-10-31T17:00:00.000Z');
    expect(describeSessionTime(start, 'Europe/Lisbon', 'Europe/Helsinki', 'fi')).toEqual({
      viewer: 'su 31.10.2027 klo 19.00 UTC+2',
      organiser: { time: '17.00', place: 'Lisbon' },
    });
    expect(describeSessionTime(start, 'Europe/Lisbon', 'Europe/Oslo', 'nb').viewer).toBe('søn. 31. okt. 2027, 18:00 CET');
    expect(describeSessionTime(start, 'Europe/Lisbon', 'Europe/Stockholm', 'sv').viewer).toBe('sön 31 okt. 2027 18:00 CET');
  });

  it('shows the organiser’s date too when it is another day there', () => {
    const late = entered('2026-12-01T23:30', 'Europe/Lisbon');
    expect(describeSessionTime(late, 'Europe/Lisbon', 'Europe/Helsinki', 'en')).toEqual({
      viewer: 'Wed, 2 Dec 2026, 01:30 EET',
      organiser: { time: 'Tue 1 Dec, 23:30', place: 'Lisbon' },
    });
  });

  it('shows one time for zones on the same clock (Oslo and Stockholm)', () => {
    const start = entered('2026-12-01T17:00', 'Europe/Oslo');
    expect(describeSessionTime(start, 'Europe/Oslo', 'Europe/Stockholm', 'sv')).toEqual({ viewer: 'tis 1 dec. 2026 17:00 CET', organiser: null });
  });
});
