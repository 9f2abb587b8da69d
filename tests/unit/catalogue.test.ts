import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { SessionTime } from '~/components/session-time';
import { seatsOf } from '~/modules/catalogue/card';
import { certificateCriteria, type CriteriaInput } from '~/modules/catalogue/criteria';
import { formatHours, formatRunDates, languageName, zoneOffsetMinutes, zonePlace } from '~/modules/catalogue/datetime';
import { catalogueFilterSchema, catalogueHref, monthChoices, monthRange, prefixTsQuery } from '~/modules/catalogue/filters';
import { createI18n } from '~/modules/i18n/i18n';

describe('prefixTsQuery', () => {
  it.each([
    ['Östersund', 'ostersund:*'],
    ['  Łódź   coding ', 'lodz:* & coding:*'],
    ['Tromsø', 'tromso:*'],
    ["a & !b | (c", 'a:* & b:* & c:*'],
    ["o'brien:*", 'o:* & brien:*'],
    ['e-learning', 'e:* & learning:*'],
    ['Αθήνα', 'αθηνα:*'],
    ['2026', '2026:*'],
  ])('%j → %j', (text, expected) => {
    expect(prefixTsQuery(text)).toBe(expected);
  });

  it.each([undefined, '', '   ', '!!!', '&|!():*'])('has nothing to search in %j', (text) => {
    expect(prefixTsQuery(text)).toBeNull();
  });

  it('keeps at most eight words', () => {
    expect(prefixTsQuery('a b c d e f g h i j')?.split(' & ')).toHaveLength(8);
  });
});

describe('catalogue filters', () => {
  it('reads a full set of filters', () => {
    expect(
      catalogueFilterSchema.parse({ q: 'x', kind: 'mooc', language: 'pt-BR', audience: 'primary', topic: 'STEM', open: '1', month: '2026-03', eligibility: 'validated', page: '3' }),
    ).toEqual({ q: 'x', kind: 'mooc', language: 'pt-BR', audience: 'primary', topic: 'STEM', open: '1', month: '2026-03', eligibility: 'validated', page: 3 });
  });

  it.each([{ month: '1999-12' }, { month: '2026-00' }, { language: 'english' }, { open: 'true' }, { page: '-1' }])('refuses %j', (raw) => {
    expect(catalogueFilterSchema.safeParse(raw).success).toBe(false);
  });

  it('reads a month in the viewer’s calendar, across a clock change', () => {
    expect(monthRange('2026-03', 'Europe/Oslo')).toEqual({ from: new Date('2026-02-28T23:00:00Z'), until: new Date('2026-03-31T22:00:00Z') });
    expect(monthRange('2026-03', 'UTC')).toEqual({ from: new Date('2026-03-01T00:00:00Z'), until: new Date('2026-04-01T00:00:00Z') });
  });

  it('offers twelve months from the current one, and keeps a chosen one outside them', () => {
    const months = monthChoices(new Date('2026-01-31T23:30:00Z'), 'Europe/Helsinki');
    expect(months[0]).toBe('2026-02');
    expect(months).toHaveLength(12);
    expect(monthChoices(new Date('2026-01-15T12:00:00Z'), 'UTC', '2030-05')[0]).toBe('2030-05');
  });

  it('builds catalogue links without empty filters', () => {
    expect(catalogueHref({})).toBe('/catalogue');
    expect(catalogueHref({ topic: 'Inclusion & equity', kind: '', open: '1' })).toBe('/catalogue?topic=Inclusion+%26+equity&open=1');
  });
});

describe('dates and names for the viewer', () => {
  it('shows a course’s dates as a range of days', () => {
    const text = formatRunDates(new Date('2026-03-02T08:00:00Z'), new Date('2026-04-13T20:00:00Z'), 'Europe/Oslo', 'en')!;
    expect(text).toMatch(/2 Mar.*13 Apr 2026/);
    expect(text).not.toMatch(/\d{2}:\d{2}/);
  });

  it('shows a webinar’s day with its times and zone', () => {
    const text = formatRunDates(new Date('2026-03-03T16:00:00Z'), new Date('2026-03-03T17:00:00Z'), 'Europe/Oslo', 'en')!;
    expect(text).toMatch(/3 Mar 2026/);
    expect(text).toMatch(/17:00/);
    expect(text).toMatch(/18:00/);
    expect(text).toMatch(/CET|GMT\+1/);
  });

  it('says nothing about dates not set yet', () => {
    expect(formatRunDates(null, null, 'UTC', 'en')).toBeNull();
  });

  it('names languages in the viewer’s language, with a capital', () => {
    expect(languageName('sv', 'en')).toBe('Swedish');
    expect(languageName('sv', 'fi')).toBe('Ruotsi');
    expect(languageName('pl', 'nb')).toBe('Polsk');
    expect(languageName('zz', 'en')).toBe('zz');
  });

  it('rounds hours to the half hour in the viewer’s number format', () => {
    expect(formatHours(90, 'en')).toEqual({ hours: '1.5', count: 1.5 });
    expect(formatHours(90, 'fi')).toEqual({ hours: '1,5', count: 1.5 });
    expect(formatHours(15 * 60, 'en')).toEqual({ hours: '15', count: 15 });
  });

  it('knows zone offsets and places', () => {
    expect(zoneOffsetMinutes('2026-01-10T12:00:00Z', 'Europe/Helsinki')).toBe(120);
    expect(zoneOffsetMinutes('2026-07-10T12:00:00Z', 'Europe/Helsinki')).toBe(180);
    expect(zoneOffsetMinutes('2026-07-10T12:00:00Z', 'America/St_Johns')).toBe(-150);
    expect(zoneOffsetMinutes('2026-07-10T12:00:00Z', 'UTC')).toBe(0);
    expect(zonePlace('America/Argentina/Buenos_Aires')).toBe('Buenos Aires');
    expect(zonePlace('Etc/UTC')).toBe('UTC');
  });
});

describe('SessionTime', () => {
  const render = (startsAt: string, organiserTimeZone: string, timeZone: string, locale: 'en' | 'fi' = 'en') =>
    // createElement, not JSX: the test projects pick up *.test.ts files only.
    renderToStaticMarkup(
      createElement(I18nextProvider, { i18n: createI18n(locale) }, createElement(SessionTime, { startsAt, organiserTimeZone, timeZone, locale })),
    );

  it('shows the viewer’s time with the organiser’s beside it when the zones differ', () => {
    const html = render('2026-02-03T16:00:00Z', 'Europe/Helsinki', 'Europe/Oslo');
    expect(html).toMatch(/datetime="2026-02-03T16:00:00.000Z"/i);
    expect(html).toMatch(/17:00 CET/);
    expect(html).toContain('(18:00 in Helsinki)');
  });

  it('shows one time when the two zones keep the same clock', () => {
    const html = render('2026-02-03T16:00:00Z', 'Europe/Stockholm', 'Europe/Oslo');
    expect(html).toMatch(/17:00/);
    expect(html).not.toContain('Stockholm');
  });

  it('adds the organiser’s date when it is another day there', () => {
    const html = render('2026-02-03T23:30:00Z', 'Europe/Helsinki', 'America/New_York');
    expect(html).toMatch(/18:30/);
    expect(html).toMatch(/\(Wed 4 Feb,? 01:30 in Helsinki\)/);
  });

  it('follows each zone’s own daylight-saving dates', () => {
    // 15 March 2026: New York is already on summer time (UTC−4), Oslo not yet (UTC+1): five hours apart, not six.
    const html = render('2026-03-15T16:00:00Z', 'America/New_York', 'Europe/Oslo');
    expect(html).toMatch(/17:00/);
    expect(html).toContain('(12:00 in New York)');
  });

  it('speaks the viewer’s language', () => {
    expect(render('2026-02-03T16:00:00Z', 'Europe/Helsinki', 'Europe/Oslo', 'fi')).toMatch(/17\.00/);
  });
});

describe('seats', () => {
  it.each([
    [{ capacity: null, seatsTaken: 0, waitlistEnabled: false }, { state: 'unlimited' }],
    [{ capacity: 10, seatsTaken: 3, waitlistEnabled: false }, { state: 'left', count: 7 }],
    [{ capacity: 10, seatsTaken: 10, waitlistEnabled: true }, { state: 'waitlist' }],
    [{ capacity: 10, seatsTaken: 10, waitlistEnabled: false }, { state: 'full' }],
  ])('%j → %j', (offering, expected) => {
    expect(seatsOf(offering)).toEqual(expected);
  });
});

describe('certificateCriteria', () => {
  const input: CriteriaInput = { kind: 'mooc', certificateEnabled: true, deadline: '20 Apr 2026', requiredSessions: 1, quizCount: 2, sessions: [], tasks: [] };
  const session = (iso: string, attendanceThresholdPercent = 75) => ({ startsAt: new Date(iso), durationMinutes: 60, attendanceThresholdPercent });

  it('asks courses for every required activity, and quizzes passed, by the deadline', () => {
    expect(certificateCriteria(input)).toEqual({ key: 'offeringPage.certificate.courseWithQuizzes', params: { deadline: '20 Apr 2026' } });
    expect(certificateCriteria({ ...input, kind: 'short_course', quizCount: 0 })).toEqual({ key: 'offeringPage.certificate.course', params: { deadline: '20 Apr 2026' } });
  });

  it('asks webinars for the session’s attendance threshold', () => {
    expect(certificateCriteria({ ...input, kind: 'webinar', sessions: [session('2026-03-03T16:00:00Z')] })).toEqual({ key: 'offeringPage.certificate.webinar', params: { percent: 75 } });
    expect(certificateCriteria({ ...input, kind: 'webinar', sessions: [session('2026-03-03T16:00:00Z', 90)] }).params).toEqual({ percent: 90 });
  });

  it('names the task that links the two webinars of a series', () => {
    const criteria = certificateCriteria({
      ...input,
      kind: 'webinar_series',
      sessions: [session('2026-03-17T16:00:00Z'), session('2026-03-03T16:00:00Z')],
      tasks: [
        { title: 'Reflection after the series', dueAt: new Date('2026-03-20T00:00:00Z') },
        { title: 'Try it in class', dueAt: new Date('2026-03-10T00:00:00Z') },
      ],
    });
    expect(criteria).toEqual({ key: 'offeringPage.certificate.series', params: { percent: 75, activity: 'Try it in class' } });
  });

  it('asks events for the number of sessions the organiser set', () => {
    expect(certificateCriteria({ ...input, kind: 'online_event', requiredSessions: 3 })).toEqual({ key: 'offeringPage.certificate.event', params: { count: 3 } });
    expect(createI18n('en').t('offeringPage.certificate.event', { count: 1 })).toBe('Attend at least 1 live session.');
  });

  it('says so when there is no certificate', () => {
    expect(certificateCriteria({ ...input, certificateEnabled: false }).key).toBe('offeringPage.certificate.none');
  });
});
