import { describe, expect, it } from 'vitest';
import { readZonedField } from '~/modules/offerings/schemas';
import { calendarDaysBetween, parseZonedLocal, toZonedLocal } from '~/modules/time/zoned';

describe('parseZonedLocal', () => {
  it('refuses 02:30 on 29 March 2026 in Oslo: the clocks jump from 02:00 to 03:00', () => {
    expect(parseZonedLocal('2026-03-29T02:30', 'Europe/Oslo')).toEqual({ ok: false, reason: 'nonexistent' });
    expect(parseZonedLocal('2026-03-29T02:00', 'Europe/Oslo')).toEqual({ ok: false, reason: 'nonexistent' });
  });

  it('refuses 02:30 on 25 October 2026 in Oslo: it happens twice as the clocks go back', () => {
    expect(parseZonedLocal('2026-10-25T02:30', 'Europe/Oslo')).toEqual({ ok: false, reason: 'ambiguous' });
  });

  it('reads the minutes either side of the changes', () => {
    expect(parseZonedLocal('2026-03-29T01:59', 'Europe/Oslo')).toEqual({ ok: true, instant: new Date('2026-03-29T00:59:00Z') });
    expect(parseZonedLocal('2026-03-29T03:00', 'Europe/Oslo')).toEqual({ ok: true, instant: new Date('2026-03-29T01:00:00Z') });
    expect(parseZonedLocal('2026-10-25T01:59', 'Europe/Oslo')).toEqual({ ok: true, instant: new Date('2026-10-24T23:59:00Z') });
    expect(parseZonedLocal('2026-10-25T03:00', 'Europe/Oslo')).toEqual({ ok: true, instant: new Date('2026-10-25T02:00:00Z') });
  });

  it('knows other zones’ changes (New York in March, Sydney in April, Lord Howe’s half hour)', () => {
    expect(parseZonedLocal('2026-03-08T02:30', 'America/New_York')).toEqual({ ok: false, reason: 'nonexistent' });
    expect(parseZonedLocal('2026-04-05T02:30', 'Australia/Sydney')).toEqual({ ok: false, reason: 'ambiguous' });
    expect(parseZonedLocal('2026-10-04T02:15', 'Australia/Lord_Howe')).toEqual({ ok: false, reason: 'nonexistent' });
    expect(parseZonedLocal('2026-03-29T02:30', 'Europe/Oslo'.replace('Oslo', 'Lisbon'))).toEqual({ ok: true, instant: new Date('2026-03-29T01:30:00Z') });
  });

  it.each([
    ['2026-03-02T09:00', 'Europe/Oslo'],
    ['2026-07-15T23:45', 'Europe/Oslo'],
    ['2026-12-31T00:00', 'Europe/Helsinki'],
    ['2026-06-01T12:30', 'Asia/Kolkata'],
    ['2026-11-01T01:30', 'UTC'],
    ['2024-02-29T10:00', 'Europe/Warsaw'],
    ['2026-04-05T03:30', 'Australia/Sydney'],
  ])('round-trips %s in %s through toZonedLocal', (local, zone) => {
    const parsed = parseZonedLocal(local, zone);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(toZonedLocal(parsed.instant, zone)).toBe(local);
  });

  it('accepts seconds, as some browsers send them', () => {
    expect(parseZonedLocal('2026-03-02T09:00:00', 'Europe/Oslo')).toEqual({ ok: true, instant: new Date('2026-03-02T08:00:00Z') });
  });

  it.each([
    '',
    'yesterday',
    '2026-02-30T10:00',
    '2026-13-01T10:00',
    '2026-03-02',
    '2026-03-02 09:00',
    '2026-03-02T9:00',
    '2026-03-02T09:00Z',
    '2026-03-02T09:00+01:00',
    '2026-03-02T25:00',
    '02.03.2026 09:00',
    `2026-03-02T09:00${'0'.repeat(1000)}`,
  ])('calls %j invalid', (value) => {
    expect(parseZonedLocal(value, 'Europe/Oslo')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('calls an unknown zone invalid', () => {
    expect(parseZonedLocal('2026-03-02T09:00', 'Mars/Olympus_Mons')).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('toZonedLocal', () => {
  it('writes the value a datetime-local field shows, in the zone', () => {
    expect(toZonedLocal(new Date('2026-03-02T08:00:00Z'), 'Europe/Oslo')).toBe('2026-03-02T09:00');
    expect(toZonedLocal('2026-07-01T08:00:00Z', 'Europe/Oslo')).toBe('2026-07-01T10:00');
    expect(toZonedLocal(null, 'Europe/Oslo')).toBe('');
  });
});

describe('calendarDaysBetween', () => {
  it('counts calendar days, not 24-hour blocks, across daylight-saving changes', () => {
    const start = new Date('2026-03-02T08:00:00Z'); // 09:00 CET
    const end = new Date('2026-04-13T07:00:00Z'); // 09:00 CEST
    expect(calendarDaysBetween(start, end, 'Europe/Oslo')).toBe(42);
    expect(calendarDaysBetween(start, end, 'UTC')).toBeCloseTo(42 - 1 / 24);
  });
});

describe('readZonedField (the forms’ reading)', () => {
  it('treats empty as no date and gives each failure its own message', () => {
    expect(readZonedField(undefined, 'Europe/Oslo')).toEqual({ ok: true, instant: null });
    expect(readZonedField('2026-03-29T02:30', 'Europe/Oslo')).toEqual({ ok: false, error: 'authoring.errors.nonexistentTime' });
    expect(readZonedField('2026-10-25T02:30', 'Europe/Oslo')).toEqual({ ok: false, error: 'authoring.errors.ambiguousTime' });
    expect(readZonedField('soon', 'Europe/Oslo')).toEqual({ ok: false, error: 'authoring.errors.invalidDateTime' });
  });
});
