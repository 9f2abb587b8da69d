import { describe, expect, it } from 'vitest';
import { isoDuration, offeringJsonLd, serializeJsonLd, type JsonLdOffering } from '~/modules/catalogue/json-ld';

const context = { url: 'https://kollega.example.org/offerings/x', organisation: { name: 'Kollega NSO', url: 'https://kollega.example.org' } };

const base: JsonLdOffering = {
  kind: 'mooc',
  title: 'Inclusive classrooms',
  summary: 'Six weeks on inclusion.',
  language: 'sv',
  topics: ['Inclusion', 'Primary'],
  expectedMinutes: 15 * 60,
  startsAt: new Date('2026-03-02T08:00:00Z'),
  endsAt: new Date('2026-04-13T20:00:00Z'),
  trainers: ['Åsa Lind'],
};

describe('offeringJsonLd', () => {
  it.each(['mooc', 'short_course'] as const)('describes a %s as a Course with one online instance', (kind) => {
    expect(offeringJsonLd({ ...base, kind }, context)).toEqual({
      '@context': 'https://schema.org',
      '@type': 'Course',
      name: 'Inclusive classrooms',
      description: 'Six weeks on inclusion.',
      url: context.url,
      inLanguage: 'sv',
      keywords: 'Inclusion, Primary',
      provider: { '@type': 'Organization', name: 'Kollega NSO', url: 'https://kollega.example.org' },
      timeRequired: 'PT15H',
      hasCourseInstance: {
        '@type': 'CourseInstance',
        courseMode: 'online',
        startDate: '2026-03-02T08:00:00.000Z',
        endDate: '2026-04-13T20:00:00.000Z',
        courseWorkload: 'PT15H',
        instructor: [{ '@type': 'Person', name: 'Åsa Lind' }],
      },
    });
  });

  it.each(['webinar', 'webinar_series', 'online_event'] as const)('describes a %s as an online Event spanning its sessions', (kind) => {
    const ld = offeringJsonLd(
      {
        ...base,
        kind,
        sessions: [
          { startsAt: '2026-03-10T16:00:00.000Z', durationMinutes: 60 },
          { startsAt: new Date('2026-03-03T16:00:00Z'), durationMinutes: 90 },
        ],
      },
      context,
    );
    expect(ld).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Event',
      name: 'Inclusive classrooms',
      inLanguage: 'sv',
      startDate: '2026-03-03T16:00:00.000Z',
      endDate: '2026-03-10T17:00:00.000Z',
      eventAttendanceMode: 'https://schema.org/OnlineEventAttendanceMode',
      eventStatus: 'https://schema.org/EventScheduled',
      location: { '@type': 'VirtualLocation', url: context.url },
      organizer: { '@type': 'Organization', name: 'Kollega NSO' },
      performer: [{ '@type': 'Person', name: 'Åsa Lind' }],
    });
    expect(ld).not.toHaveProperty('hasCourseInstance');
  });

  it('falls back to the offering’s dates when a live offering has no sessions yet', () => {
    expect(offeringJsonLd({ ...base, kind: 'webinar', sessions: [] }, context)).toMatchObject({
      startDate: '2026-03-02T08:00:00.000Z',
      endDate: '2026-04-13T20:00:00.000Z',
    });
  });

  it('leaves out what is unknown instead of writing empty values', () => {
    const ld = offeringJsonLd({ ...base, startsAt: null, endsAt: null, topics: [], trainers: [], expectedMinutes: 0, summary: '' }, context);
    expect(ld).not.toHaveProperty('description');
    expect(ld).not.toHaveProperty('keywords');
    expect(ld).not.toHaveProperty('timeRequired');
    expect(ld.hasCourseInstance).toEqual({ '@type': 'CourseInstance', courseMode: 'online' });
  });
});

describe('serializeJsonLd', () => {
  it('keeps a title with </script> from closing the element, and parses back to the same data', () => {
    const data = offeringJsonLd({ ...base, title: 'Evil </script><script>alert(1)</script>', summary: '<!-- & -->' }, context);
    const text = serializeJsonLd(data);
    expect(text).not.toMatch(/<\/script/i);
    expect(text).not.toMatch(/[<>&]/);
    expect(JSON.parse(text)).toEqual(data);
  });

  it('escapes the line and paragraph separators', () => {
    const text = serializeJsonLd({ name: 'a\u2028b\u2029c' });
    expect(text).toBe('{"name":"a\\u2028b\\u2029c"}');
    expect(JSON.parse(text)).toEqual({ name: 'a\u2028b\u2029c' });
  });
});

describe('isoDuration', () => {
  it.each([
    [60, 'PT1H'],
    [90, 'PT1H30M'],
    [45, 'PT45M'],
    [0, 'PT0M'],
    [25 * 60, 'PT25H'],
  ])('%i minutes → %s', (minutes, expected) => {
    expect(isoDuration(minutes)).toBe(expected);
  });
});
