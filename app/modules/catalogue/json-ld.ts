import { isLiveKind, type OfferingKind } from '../offerings/kinds';

/** What the structured data says about an offering. */
export interface JsonLdOffering {
  kind: OfferingKind;
  title: string;
  summary: string;
  language: string;
  topics: string[];
  expectedMinutes: number;
  startsAt: Date | string | null;
  endsAt: Date | string | null;
  trainers: string[];
  /** Live kinds: the sessions, to take the first start and last end from. */
  sessions?: { startsAt: Date | string; durationMinutes: number }[];
}

export interface JsonLdContext {
  /** Absolute URL of the offering page. */
  url: string;
  organisation: { name: string; url: string };
}

type JsonObject = { [key: string]: JsonValue };
type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

const iso = (value: Date | string) => (typeof value === 'string' ? new Date(value) : value).toISOString();

/** ISO 8601 duration for hours of learning: 90 → "PT1H30M". */
export function isoDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `PT${hours ? `${hours}H` : ''}${rest || !hours ? `${rest}M` : ''}`;
}

/** The span of a live offering: from its first session's start to its last session's end, else the offering's own dates. */
function liveSpan(offering: JsonLdOffering): { start: string | null; end: string | null } {
  const sessions = offering.sessions ?? [];
  if (sessions.length === 0) {
    return { start: offering.startsAt ? iso(offering.startsAt) : null, end: offering.endsAt ? iso(offering.endsAt) : null };
  }
  const starts = sessions.map((s) => new Date(s.startsAt).getTime());
  const ends = sessions.map((s) => new Date(s.startsAt).getTime() + s.durationMinutes * 60_000);
  return { start: new Date(Math.min(...starts)).toISOString(), end: new Date(Math.max(...ends)).toISOString() };
}

function withoutEmpty(object: JsonObject): JsonObject {
  return Object.fromEntries(
    Object.entries(object).filter(([, value]) => value !== null && value !== '' && !(Array.isArray(value) && value.length === 0)),
  );
}

/**
 * schema.org structured data for an offering page: a `Course` with one
 * online `CourseInstance` for MOOCs and short courses, an online `Event` for
 * the live kinds (webinars, series, online events).
 */
export function offeringJsonLd(offering: JsonLdOffering, context: JsonLdContext): JsonObject {
  const organisation: JsonObject = { '@type': 'Organization', name: context.organisation.name, url: context.organisation.url };
  const people: JsonValue[] = offering.trainers.map((name) => ({ '@type': 'Person', name }));
  if (isLiveKind(offering.kind)) {
    const { start, end } = liveSpan(offering);
    return withoutEmpty({
      '@context': 'https://schema.org',
      '@type': 'Event',
      name: offering.title,
      description: offering.summary,
      url: context.url,
      inLanguage: offering.language,
      keywords: offering.topics.join(', '),
      startDate: start,
      endDate: end,
      eventAttendanceMode: 'https://schema.org/OnlineEventAttendanceMode',
      eventStatus: 'https://schema.org/EventScheduled',
      location: { '@type': 'VirtualLocation', url: context.url },
      organizer: organisation,
      performer: people,
    });
  }
  return withoutEmpty({
    '@context': 'https://schema.org',
    '@type': 'Course',
    name: offering.title,
    description: offering.summary,
    url: context.url,
    inLanguage: offering.language,
    keywords: offering.topics.join(', '),
    provider: organisation,
    timeRequired: offering.expectedMinutes > 0 ? isoDuration(offering.expectedMinutes) : null,
    hasCourseInstance: withoutEmpty({
      '@type': 'CourseInstance',
      courseMode: 'online',
      startDate: offering.startsAt ? iso(offering.startsAt) : null,
      endDate: offering.endsAt ? iso(offering.endsAt) : null,
      courseWorkload: offering.expectedMinutes > 0 ? isoDuration(offering.expectedMinutes) : null,
      instructor: people,
    }),
  });
}

/**
 * JSON for inside a <script> element. JSON.stringify alone would let a title
 * holding "</script>" close the element and run what follows; escaping <, >
 * and & (and the two line separators old parsers choke on) keeps the text
 * inert while it still parses to the same data.
 */
export function serializeJsonLd(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
