import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from '#db/schema';
import { offeringTrainers, offerings, userRoles, users } from '#db/schema';
import { offeringSearchText } from '~/modules/offerings/search-text';
import { OFFERING_KINDS, TARGET_AUDIENCES, type OfferingKind } from '~/modules/offerings/kinds';

const DAY = 86_400_000;

const LANGUAGES = ['en', 'en', 'en', 'nb', 'sv', 'fi', 'pl', 'de', 'fr', 'es', 'it', 'nl', 'et', 'lt'];
const TOPICS = [
  'Inclusion', 'STEM', 'Digital skills', 'Assessment', 'Wellbeing', 'Languages', 'Outdoor learning', 'Leadership',
  'Reading', 'Mathematics', 'Climate', 'Media literacy', 'Special needs', 'Project-based learning', 'Arts', 'Early years',
  'Vocational training', 'Citizenship', 'Programming', 'School libraries',
];
const PLACES = ['Östersund', 'Tromsø', 'Łódź', 'Tartu', 'Kraków', 'Göteborg', 'Jyväskylä', 'Bergen', 'Vilnius', 'Utrecht'];
const SUBJECTS = ['classrooms', 'feedback', 'reading circles', 'coding clubs', 'school gardens', 'peer learning', 'mentoring', 'field trips'];
const ZONES = ['Europe/Oslo', 'Europe/Stockholm', 'Europe/Helsinki', 'Europe/Warsaw', 'Europe/Tallinn', 'Europe/Brussels'];
const TRAINERS = 40;

/** A small deterministic generator, so every run seeds the same catalogue. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const SHAPE: Record<OfferingKind, { days: number; minutes: number }> = {
  mooc: { days: 35, minutes: 15 * 60 },
  short_course: { days: 14, minutes: 6 * 60 },
  webinar: { days: 0, minutes: 60 },
  webinar_series: { days: 14, minutes: 3 * 60 },
  online_event: { days: 1, minutes: 4 * 60 },
};

/**
 * Seeds a catalogue in bulk: `count` published offerings of every kind, with
 * one or two trainers each, topics, languages and audiences spread out, dates
 * from three weeks ago to ten months ahead (enrolment open now for many), a
 * place name with diacritics in some titles, and a few drafts and archived
 * ones that must never show. Runs VACUUM ANALYZE, as autovacuum would have
 * done long since in a settled production database: the planner knows the
 * tables, and the visibility map lets the catalogue count listed offerings
 * with an index-only scan instead of visiting every row (a bulk insert
 * leaves every page not yet all-visible).
 */
export async function seedCatalogue(databaseUrl: string, count: number, now = new Date()): Promise<{ published: number }> {
  const client = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const db = drizzle(client, { schema, casing: 'snake_case' });
  const next = random(20_260_301);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  try {
    const trainerRows = await db
      .insert(users)
      .values(
        Array.from({ length: TRAINERS }, (_, i) => ({
          email: `trainer-${i}@bench.example`,
          passwordHash: 'not-a-real-hash',
          fullName: `Trainer ${String.fromCharCode(65 + (i % 26))}${i} ${pick(['Nordmann', 'Lind', 'Virtanen', 'Kowalska', 'Tamm'])}`,
          certificateName: `Trainer ${i}`,
          country: pick(['NO', 'SE', 'FI', 'PL', 'EE']),
          school: 'Bench school',
          schoolRole: 'teacher' as const,
        })),
      )
      .returning({ id: users.id });
    await db.insert(userRoles).values(trainerRows.map((row) => ({ userId: row.id, role: 'trainer' as const })));

    const rows = Array.from({ length: count + 60 }, (_, i) => {
      const kind = OFFERING_KINDS[i % OFFERING_KINDS.length]!;
      const shape = SHAPE[kind];
      const startsAt = new Date(now.getTime() + Math.floor((next() * 320 - 20) * DAY) + 9 * 3_600_000);
      const endsAt = new Date(startsAt.getTime() + (shape.days > 0 ? shape.days * DAY : 60 * 60_000));
      const topics = Array.from(new Set([pick(TOPICS), pick(TOPICS), ...(next() < 0.3 ? [pick(TOPICS)] : [])]));
      const title = `${pick(['Inclusive', 'Creative', 'Digital', 'Outdoor', 'Playful', 'Critical'])} ${pick(SUBJECTS)}${next() < 0.15 ? ` in ${pick(PLACES)}` : ''} ${i}`;
      const summary = `A ${kind.replace('_', ' ')} on ${topics.join(', ').toLowerCase()} for school staff.`;
      const capacity = next() < 0.3 ? null : 20 + Math.floor(next() * 200);
      const status = i < count ? ('published' as const) : i < count + 40 ? ('draft' as const) : ('archived' as const);
      return {
        slug: `bench-${i}`,
        kind,
        title,
        summary,
        description: `## About\n\n${summary}\n\n- Week by week\n- With colleagues across Europe`,
        language: pick(LANGUAGES),
        topics,
        targetAudiences: [pick(TARGET_AUDIENCES)],
        eligibility: pick(['open', 'open', 'open', 'validated', 'invite'] as const),
        expectedMinutes: shape.minutes,
        organiserTimeZone: pick(ZONES),
        enrolmentOpensAt: new Date(startsAt.getTime() - 45 * DAY),
        enrolmentClosesAt: new Date(startsAt.getTime() - DAY),
        startsAt,
        endsAt,
        completionDeadline: new Date(endsAt.getTime() + 7 * DAY),
        capacity,
        seatsTaken: capacity === null ? 0 : Math.min(capacity, Math.floor(next() * capacity * 1.2)),
        waitlistEnabled: next() < 0.5,
        status,
        publishedAt: status === 'published' ? now : null,
        searchText: offeringSearchText({ title, summary, topics }),
      };
    });
    const inserted: { id: string }[] = [];
    for (let i = 0; i < rows.length; i += 250) {
      inserted.push(...(await db.insert(offerings).values(rows.slice(i, i + 250)).returning({ id: offerings.id })));
    }
    const links = inserted.flatMap((row, i) => {
      const first = trainerRows[i % TRAINERS]!.id;
      const second = trainerRows[(i * 7 + 3) % TRAINERS]!.id;
      return first === second || i % 3 === 0
        ? [{ offeringId: row.id, userId: first, position: 0 }]
        : [
            { offeringId: row.id, userId: first, position: 0 },
            { offeringId: row.id, userId: second, position: 1 },
          ];
    });
    for (let i = 0; i < links.length; i += 500) await db.insert(offeringTrainers).values(links.slice(i, i + 500));
    await db.execute(sql`vacuum analyze`);
    return { published: count };
  } finally {
    await client.end({ timeout: 5 });
  }
}
