import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dateFormatter, zoneOffsetMinutes } from '~/modules/catalogue/datetime';
import { describeMinutes } from '~/modules/certificates/duration';
import { usableTimeZone } from '~/modules/reminders/reminders.server';
import { cachedFormatterCount, collator, dateTimeFormat, displayNames, listFormat, numberFormat } from '~/modules/time/intl';
import { formatDate, formatDateTime } from '~/modules/time/format';

/** Counts every Intl.DateTimeFormat made (with or without `new`) while installed. */
function countDateTimeFormats() {
  const original = Intl.DateTimeFormat;
  const counter = { made: 0, restore: () => void (Intl.DateTimeFormat = original) };
  Intl.DateTimeFormat = new Proxy(original, {
    construct(target, args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
      counter.made += 1;
      return Reflect.construct(target, args) as object;
    },
    apply(target, self, args: Parameters<typeof Intl.DateTimeFormat>) {
      counter.made += 1;
      return Reflect.apply(target, self, args) as Intl.DateTimeFormat;
    },
  });
  return counter;
}

describe('the shared Intl formatter cache', () => {
  it('returns the same DateTimeFormat for the same zone, locale and options, in any order', () => {
    const first = dateTimeFormat('nb', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Oslo' });
    const again = dateTimeFormat('nb', { timeZone: 'Europe/Oslo', timeStyle: 'short', dateStyle: 'medium' });
    expect(again).toBe(first);
    // An option left undefined is the same as one left out, as Intl reads it.
    expect(dateTimeFormat('nb', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Oslo', hour12: undefined })).toBe(first);
  });

  it('makes another one for another zone, locale or option', () => {
    const oslo = dateTimeFormat('nb', { dateStyle: 'medium', timeZone: 'Europe/Oslo' });
    expect(dateTimeFormat('nb', { dateStyle: 'medium', timeZone: 'Europe/Helsinki' })).not.toBe(oslo);
    expect(dateTimeFormat('fi', { dateStyle: 'medium', timeZone: 'Europe/Oslo' })).not.toBe(oslo);
    expect(dateTimeFormat('nb', { dateStyle: 'long', timeZone: 'Europe/Oslo' })).not.toBe(oslo);
    expect(dateTimeFormat('nb', { dateStyle: 'medium', timeZone: 'Europe/Helsinki' }).resolvedOptions().timeZone).toBe('Europe/Helsinki');
  });

  it('keeps number, list and display-name formatters and collators the same way, apart from date formatters', () => {
    expect(numberFormat('sv', { maximumFractionDigits: 1 })).toBe(numberFormat('sv', { maximumFractionDigits: 1 }));
    expect(listFormat('fi', { type: 'conjunction' })).toBe(listFormat('fi', { type: 'conjunction' }));
    expect(displayNames('nb', { type: 'region' })).toBe(displayNames('nb', { type: 'region' }));
    expect(displayNames('nb', { type: 'region' })).not.toBe(displayNames('nb', { type: 'language' }));
    expect(collator('sv')).toBe(collator('sv'));
    // Same locale and (empty) options, different kinds: never mixed up.
    expect(numberFormat('en')).not.toBe(dateTimeFormat('en'));
  });

  it('lets an unknown zone fail as Intl does, and keeps nothing for it', () => {
    const before = cachedFormatterCount();
    expect(() => dateTimeFormat('en', { timeZone: 'Mars/Olympus_Mons' })).toThrow(RangeError);
    expect(cachedFormatterCount()).toBe(before);
    expect(usableTimeZone('Mars/Olympus_Mons', 'UTC')).toBe('UTC');
    expect(usableTimeZone('Europe/Kiev', 'UTC')).toBe('Europe/Kiev');
  });

  it('is where the app’s modules get theirs: the catalogue’s date formatter is the shared instance', () => {
    const catalogue = dateFormatter('date', 'Europe/Stockholm', 'en');
    expect(catalogue).toBe(dateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/Stockholm' }));
    expect(describeMinutes(90, 'nb')).toBe(`${numberFormat('nb', { style: 'unit', unit: 'hour', unitDisplay: 'long' }).format(1)} ${numberFormat('nb', { style: 'unit', unit: 'minute', unitDisplay: 'long' }).format(30)}`);
  });
});

describe('formatters made per call', () => {
  let counter: ReturnType<typeof countDateTimeFormats>;
  beforeEach(() => {
    counter = countDateTimeFormats();
  });
  afterEach(() => {
    counter.restore();
  });

  it('none after the first, for a list page’s worth of dates in one zone and language', () => {
    const instant = new Date('2026-03-29T00:30:00Z');
    formatDateTime(instant, 'America/Sao_Paulo', 'sv');
    formatDate(instant, 'America/Sao_Paulo', 'sv');
    dateFormatter('weekdayDateTime', 'America/Sao_Paulo', 'sv').format(instant);
    zoneOffsetMinutes(instant, 'America/Sao_Paulo');
    usableTimeZone('America/Sao_Paulo', 'UTC');
    const made = counter.made;
    for (let i = 0; i < 200; i++) {
      const at = new Date(instant.getTime() + i * 3_600_000);
      formatDateTime(at, 'America/Sao_Paulo', 'sv');
      formatDate(at, 'America/Sao_Paulo', 'sv');
      dateFormatter('weekdayDateTime', 'America/Sao_Paulo', 'sv').format(at);
      zoneOffsetMinutes(at, 'America/Sao_Paulo');
      usableTimeZone('America/Sao_Paulo', 'UTC');
    }
    expect(counter.made).toBe(made);
  });

  it('none after the first in luxon either: it keeps its own by locale and options (luxon/src/impl/locale.js getCachedDTF)', () => {
    const zone = 'Asia/Kathmandu';
    const at = DateTime.fromISO('2026-05-01T10:00:00Z', { zone }).setLocale('fi');
    at.toLocaleString(DateTime.DATETIME_FULL);
    const made = counter.made;
    for (let i = 0; i < 100; i++) at.plus({ hours: i }).toLocaleString(DateTime.DATETIME_FULL);
    expect(counter.made).toBe(made);
  });
});
