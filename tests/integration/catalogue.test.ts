import type { AppLoadContext, LoaderFunctionArgs } from '@remix-run/node';
import { drizzle } from 'drizzle-orm/postgres-js';
import { inArray } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#db/client';
import * as schema from '#db/schema';
import { activities, liveSessions, modules, offeringTrainers, offerings } from '#db/schema';
import { catalogueFacets, listCatalogue, loadCataloguePage } from '~/modules/catalogue/catalogue.server';
import { catalogueFilterSchema, type CatalogueFilters } from '~/modules/catalogue/filters';
import { offeringSearchText } from '~/modules/offerings/search-text';
import { loader as homeLoader } from '~/routes/_index';
import { loader as catalogueLoader } from '~/routes/catalogue';
import { loader as offeringLoader } from '~/routes/offerings.$slug';
import { createTestContext, recordingJobQueue, type TestContext } from '../support/context';
import { createUser, signIn } from '../support/factories';
import { makeRequest, requestContext } from '../support/requests';

/** What a loader answered, whether it returned or threw (redirects, 404s, 400s). */
interface Outcome {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
  location?: string | null;
}

async function call(
  context: AppLoadContext,
  handler: (args: LoaderFunctionArgs) => unknown,
  request: Request,
  params: Record<string, string> = {},
): Promise<Outcome> {
  let value: unknown;
  try {
    value = await handler({ request, context, params });
  } catch (thrown) {
    value = thrown;
  }
  if (value instanceof Response) return { status: value.status, data: null, location: value.headers.get('location') };
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
    const { data, init } = value as { data: unknown; init: ResponseInit | null };
    return { status: init?.status ?? 200, data };
  }
  if (value instanceof Error) throw value;
  return { status: 200, data: value };
}

const DAY = 86_400_000;
const now = new Date();
const at = (days: number, hours = 0) => new Date(now.getTime() + days * DAY + hours * 3_600_000);

type OfferingInput = Partial<typeof offerings.$inferInsert> & { title: string; slug: string };

let ctx: TestContext;

async function insertOfferings(rows: OfferingInput[]) {
  return ctx.db
    .insert(offerings)
    .values(
      rows.map((row) => {
        const topics = row.topics ?? [];
        return {
          kind: 'mooc' as const,
          summary: `About ${row.title}`,
          language: 'en',
          organiserTimeZone: 'Europe/Oslo',
          status: 'published' as const,
          expectedMinutes: 15 * 60,
          startsAt: at(10),
          endsAt: at(40),
          enrolmentOpensAt: at(-5),
          enrolmentClosesAt: at(9),
          completionDeadline: at(47),
          ...row,
          searchText: offeringSearchText({ title: row.title, summary: row.summary ?? `About ${row.title}`, topics }),
        };
      }),
    )
    .returning({ id: offerings.id, slug: offerings.slug });
}

const slugsOf = (rows: { slug: string }[]) => rows.map((row) => row.slug);

describe('catalogue', () => {
  let trainer: Awaited<ReturnType<typeof createUser>>;
  let otherTrainer: Awaited<ReturnType<typeof createUser>>;

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    trainer = await createUser(ctx.db, { fullName: 'Kari Nordmann', roles: [{ role: 'trainer' }] });
    otherTrainer = await createUser(ctx.db, { fullName: 'Åsa Lind', roles: [{ role: 'trainer' }] });
    const inserted = await insertOfferings([
      {
        slug: 'inclusion-ostersund',
        title: 'Inclusive classrooms in Östersund',
        topics: ['Inclusion'],
        targetAudiences: ['primary'],
        startsAt: at(10),
        endsAt: at(45),
        capacity: 30,
        seatsTaken: 5,
      },
      {
        slug: 'lodz-coding',
        kind: 'short_course',
        title: 'Łódź coding club',
        language: 'pl',
        topics: ['Programming'],
        targetAudiences: ['lower_secondary'],
        eligibility: 'validated',
        startsAt: at(20),
        endsAt: at(35),
        enrolmentOpensAt: at(5),
        enrolmentClosesAt: at(19),
        capacity: 10,
        seatsTaken: 10,
        waitlistEnabled: true,
      },
      {
        slug: 'tromso-lights',
        kind: 'webinar',
        title: 'Tromsø northern lights',
        language: 'nb',
        topics: ['Science'],
        targetAudiences: ['all'],
        eligibility: 'invite',
        expectedMinutes: 60,
        startsAt: at(3),
        endsAt: at(3, 1),
        enrolmentOpensAt: at(-2),
        enrolmentClosesAt: at(2),
        capacity: 5,
        seatsTaken: 5,
      },
      {
        slug: 'assessment-series',
        kind: 'webinar_series',
        title: 'Assessment for learning',
        topics: ['Assessment', 'Inclusion'],
        targetAudiences: ['upper_secondary'],
        startsAt: at(40),
        endsAt: at(54),
        enrolmentOpensAt: at(-1),
        enrolmentClosesAt: at(39),
      },
      { slug: 'draft-ostersund', title: 'Draft from Östersund', status: 'draft', language: 'fi', topics: ['Secret'] },
      { slug: 'archived-ostersund', title: 'Archived Östersund course', status: 'archived', startsAt: at(-100), endsAt: at(-60) },
      { slug: 'past-ostersund', title: 'Past Östersund course', startsAt: at(-40), endsAt: at(-1) },
    ]);
    const id = (slug: string) => inserted.find((row) => row.slug === slug)!.id;
    await ctx.db.insert(offeringTrainers).values([
      { offeringId: id('inclusion-ostersund'), userId: trainer.id, position: 0 },
      { offeringId: id('inclusion-ostersund'), userId: otherTrainer.id, position: 1 },
      { offeringId: id('draft-ostersund'), userId: trainer.id, position: 0 },
    ]);
  });

  afterAll(async () => {
    await ctx?.close();
  });

  const view = () => ({ now, timeZone: 'Europe/Oslo' });
  const filters = (raw: Record<string, string> = {}): CatalogueFilters => catalogueFilterSchema.parse(raw);
  const list = async (raw: Record<string, string> = {}, pageSize?: number) => slugsOf((await listCatalogue(ctx.db, filters(raw), view(), pageSize)).rows);

  describe('listing', () => {
    it('lists published offerings that have not ended, soonest first, with their trainers', async () => {
      const page = await listCatalogue(ctx.db, filters(), view());
      expect(slugsOf(page.rows)).toEqual(['tromso-lights', 'inclusion-ostersund', 'lodz-coding', 'assessment-series']);
      expect(page.total).toBe(4);
      expect(page.rows.find((row) => row.slug === 'inclusion-ostersund')!.trainers).toEqual(['Kari Nordmann', 'Åsa Lind']);
      expect(page.rows.find((row) => row.slug === 'lodz-coding')!.trainers).toEqual([]);
    });

    it('leaves out drafts, archived and ended offerings, also when the search matches them', async () => {
      expect(await list({ q: 'ostersund' })).toEqual(['inclusion-ostersund']);
    });

    it.each([
      [{ kind: 'webinar' }, ['tromso-lights']],
      [{ kind: 'short_course' }, ['lodz-coding']],
      [{ language: 'pl' }, ['lodz-coding']],
      [{ language: 'de' }, []],
      // "All school levels" is for primary teachers too.
      [{ audience: 'primary' }, ['tromso-lights', 'inclusion-ostersund']],
      [{ audience: 'upper_secondary' }, ['tromso-lights', 'assessment-series']],
      [{ topic: 'Inclusion' }, ['inclusion-ostersund', 'assessment-series']],
      [{ topic: 'Secret' }, []],
      [{ open: '1' }, ['tromso-lights', 'inclusion-ostersund', 'assessment-series']],
      [{ eligibility: 'validated' }, ['lodz-coding']],
      [{ eligibility: 'invite' }, ['tromso-lights']],
      [{ eligibility: 'open' }, ['inclusion-ostersund', 'assessment-series']],
    ])('filters by %j', async (raw, expected) => {
      expect(await list(raw)).toEqual(expected);
    });

    it.each([
      [{ kind: 'mooc', language: 'en', open: '1' }, ['inclusion-ostersund']],
      [{ q: 'inclusion', audience: 'primary' }, ['inclusion-ostersund']],
      [{ topic: 'Inclusion', open: '1', kind: 'webinar_series' }, ['assessment-series']],
      [{ kind: 'webinar', eligibility: 'open' }, []],
    ])('combines filters %j', async (raw, expected) => {
      expect(await list(raw)).toEqual(expected);
    });

    it('filters by the month of the start in the viewer’s zone', async () => {
      // 22:30 UTC on 31 March is already 1 April in Oslo (UTC+2 in summer time).
      const [edge] = await insertOfferings([
        { slug: 'month-edge', title: 'Month edge', topics: ['Edge'], startsAt: new Date('2030-03-31T22:30:00Z'), endsAt: new Date('2030-04-30T10:00:00Z') },
      ]);
      try {
        const inZone = (timeZone: string, month: string) =>
          listCatalogue(ctx.db, filters({ month, topic: 'Edge' }), { now, timeZone }).then((page) => slugsOf(page.rows));
        expect(await inZone('Europe/Oslo', '2030-04')).toEqual(['month-edge']);
        expect(await inZone('Europe/Oslo', '2030-03')).toEqual([]);
        expect(await inZone('UTC', '2030-03')).toEqual(['month-edge']);
        expect(await inZone('UTC', '2030-04')).toEqual([]);
      } finally {
        await ctx.db.delete(offerings).where(inArray(offerings.id, [edge!.id]));
      }
    });

    it('pages through the results in a stable order, and counts a page past the end', async () => {
      expect(await list({ page: '1' }, 3)).toEqual(['tromso-lights', 'inclusion-ostersund', 'lodz-coding']);
      const second = await listCatalogue(ctx.db, filters({ page: '2' }), view(), 3);
      expect(slugsOf(second.rows)).toEqual(['assessment-series']);
      expect(second).toMatchObject({ total: 4, page: 2, pages: 2 });
      const beyond = await listCatalogue(ctx.db, filters({ page: '7' }), view(), 3);
      expect(beyond).toMatchObject({ rows: [], total: 4, page: 7, pages: 2 });
    });

    it('offers the languages and topics of listed offerings only', async () => {
      const facets = await catalogueFacets(ctx.db, now);
      expect([...facets.languages].sort()).toEqual(['en', 'nb', 'pl']);
      expect([...facets.topics].sort()).toEqual(['Assessment', 'Inclusion', 'Programming', 'Science']);
    });
  });

  describe('search', () => {
    it.each([
      ['Ostersund', ['inclusion-ostersund']],
      ['Östersund', ['inclusion-ostersund']],
      ['ÖSTERSUND', ['inclusion-ostersund']],
      ['Lodz', ['lodz-coding']],
      ['Łódź', ['lodz-coding']],
      ['lódz', ['lodz-coding']],
      ['Tromso', ['tromso-lights']],
      ['Tromsø', ['tromso-lights']],
    ])('ignores accents: %j', async (q, expected) => {
      expect(await list({ q })).toEqual(expected);
    });

    it.each([
      ['oster', ['inclusion-ostersund']],
      ['incl', ['inclusion-ostersund', 'assessment-series']],
      ['north trom', ['tromso-lights']],
      ['prog', ['lodz-coding']],
    ])('finds words by their beginning: %j', async (q, expected) => {
      expect(await list({ q })).toEqual(expected);
    });

    it('searches the summary and the topics as well as the title', async () => {
      expect(await list({ q: 'science' })).toEqual(['tromso-lights']);
      expect(await list({ q: 'about assessment' })).toEqual(['assessment-series']);
    });

    it('requires every word', async () => {
      expect(await list({ q: 'inclusion tromso' })).toEqual([]);
    });

    it.each(["a & !b | (c", "o'brien:*", '\\', '<script>', '***', 'ostersund)) | ('])('treats %j as words, never as query syntax', async (q) => {
      await expect(list({ q })).resolves.toBeInstanceOf(Array);
    });

    it('lists everything when the search has no letters or digits', async () => {
      expect(await list({ q: '!!!' })).toHaveLength(4);
    });
  });

  describe('the /catalogue page', () => {
    it('answers with cards in the viewer’s zone and language, the count and the choices', async () => {
      const response = await call(requestContext(ctx), catalogueLoader, makeRequest('/catalogue?q=ostersund', { headers: { cookie: 'kollega_tz=America/New_York' } }));
      expect(response.status).toBe(200);
      expect(response.data.total).toBe(1);
      expect(response.data.timeZone).toBe('America/New_York');
      expect(response.data.filters).toMatchObject({ q: 'ostersund', kind: '' });
      const [card] = response.data.cards;
      expect(card).toMatchObject({
        slug: 'inclusion-ostersund',
        kind: 'mooc',
        languageName: 'English',
        seats: { state: 'left', count: 25 },
        eligibility: 'open',
        enrolmentOpen: true,
        hours: { count: 15 },
        trainers: ['Kari Nordmann', 'Åsa Lind'],
      });
      expect(card.dates).toMatch(/\d{4}/);
      expect(response.data.choices.languages.map((c: { label: string }) => c.label)).toEqual(['English', 'Norwegian Bokmål', 'Polish']);
      expect(response.data.choices.months).toHaveLength(12);
    });

    it('shows seats as a waitlist or full when no place is left', async () => {
      const response = await call(requestContext(ctx), catalogueLoader, makeRequest('/catalogue'));
      const bySlug = Object.fromEntries(response.data.cards.map((card: { slug: string }) => [card.slug, card]));
      expect(bySlug['lodz-coding'].seats).toEqual({ state: 'waitlist' });
      expect(bySlug['tromso-lights'].seats).toEqual({ state: 'full' });
      expect(bySlug['assessment-series'].seats).toEqual({ state: 'unlimited' });
    });

    it('names languages in the viewer’s language', async () => {
      const response = await call(requestContext(ctx), catalogueLoader, makeRequest('/catalogue?language=pl', { headers: { 'accept-language': 'sv' } }));
      expect(response.data.cards[0].languageName).toBe('Polska');
    });

    it('answers an empty page past the end with the count, not an error', async () => {
      const response = await call(requestContext(ctx), catalogueLoader, makeRequest('/catalogue?page=99'));
      expect(response.status).toBe(200);
      expect(response.data).toMatchObject({ cards: [], total: 4, page: 99, pages: 1 });
    });

    it.each([
      'kind=lecture',
      'language=EN!',
      'audience=adults',
      'eligibility=everyone',
      'open=yes',
      'month=2026-13',
      'month=March',
      'page=0',
      'page=abc',
      `q=${'x'.repeat(201)}`,
      `topic=${'x'.repeat(101)}`,
    ])('refuses a bad filter (%s) with 400 and a message', async (query) => {
      const response = await call(requestContext(ctx), catalogueLoader, makeRequest(`/catalogue?${query}`));
      expect(response.status).toBe(400);
      expect(response.data.message).toMatch(/filter/);
    });

    it('ignores parameters it does not know', async () => {
      const response = await call(requestContext(ctx), catalogueLoader, makeRequest('/catalogue?utm_source=mail'));
      expect(response.status).toBe(200);
      expect(response.data.total).toBe(4);
    });

    it('redirects a form submission with blank fields to the short address', async () => {
      const response = await call(requestContext(ctx), catalogueLoader, makeRequest('/catalogue?q=&kind=mooc&language=&open=1&utm_source=mail'));
      expect(response).toMatchObject({ status: 302, location: '/catalogue?kind=mooc&open=1&utm_source=mail' });
      expect(await call(requestContext(ctx), catalogueLoader, makeRequest('/catalogue?q=&kind='))).toMatchObject({ status: 302, location: '/catalogue' });
    });
  });

  describe('the home page', () => {
    it('shows what is open now and, apart from those, what starts in the next 60 days', async () => {
      const response = await call(requestContext(ctx), homeLoader, makeRequest('/'));
      expect(response.status).toBe(200);
      expect(response.data.viewer).toBeNull();
      expect(slugsOf(response.data.openNow)).toEqual(['tromso-lights', 'inclusion-ostersund', 'assessment-series']);
      expect(slugsOf(response.data.startingSoon)).toEqual(['lodz-coding']);
    });

    it('keeps the welcome and validation status for signed-in people', async () => {
      const participant = await createUser(ctx.db, { fullName: 'Ola Lærer' });
      const response = await call(requestContext(ctx), homeLoader, makeRequest('/', { cookie: await signIn(ctx, participant.id) }));
      expect(response.data.viewer).toEqual({ fullName: 'Ola Lærer', staffStatus: 'none' });
      expect(response.data.openNow.length).toBeGreaterThan(0);
    });
  });

  describe('queries per page', () => {
    let client: postgres.Sql;
    let statements: string[];
    let counted: Database;

    beforeAll(async () => {
      // Enough offerings, each with trainers, that an N+1 would show on a page of 48.
      const many = await insertOfferings(
        Array.from({ length: 60 }, (_, i) => ({ slug: `bulk-${i}`, title: `Bulk offering ${i}`, topics: ['Bulk'], startsAt: at(100 + i), endsAt: at(130 + i) })),
      );
      await ctx.db.insert(offeringTrainers).values(many.flatMap((row) => [{ offeringId: row.id, userId: trainer.id }, { offeringId: row.id, userId: otherTrainer.id, position: 1 }]));
      statements = [];
      const url = ctx.config.database.kind === 'postgres' ? ctx.config.database.url : '';
      // One connection, opened before counting: postgres.js reads the server's array types once per connection, not per page.
      client = postgres(url, { max: 1, onnotice: () => {}, debug: (_connection, query) => statements.push(query) });
      counted = drizzle(client, { schema, casing: 'snake_case' }) as unknown as Database;
      await client`select 1`;
    });

    afterAll(async () => {
      await client?.end({ timeout: 5 });
      await ctx.db.delete(offerings).where(inArray(offerings.slug, Array.from({ length: 60 }, (_, i) => `bulk-${i}`)));
    });

    it.each([12, 48])('stays at most three for a page of %i cards, trainers included', async (pageSize) => {
      statements.length = 0;
      const page = await loadCataloguePage(counted, filters({ topic: 'Bulk' }), { now, timeZone: 'Europe/Oslo', locale: 'en' }, pageSize);
      expect(page.cards).toHaveLength(pageSize);
      expect(page.cards.every((card) => card.trainers.length === 2)).toBe(true);
      expect(statements.length, statements.join('\n---\n')).toBeLessThanOrEqual(3);
    });

    it('stays at most three for a page past the end', async () => {
      statements.length = 0;
      const page = await loadCataloguePage(counted, filters({ topic: 'Bulk', page: '40' }), { now, timeZone: 'Europe/Oslo', locale: 'en' }, 48);
      expect(page).toMatchObject({ cards: [], total: 60 });
      expect(statements.length).toBeLessThanOrEqual(3);
    });

    it('stays at most three for a whole anonymous request, filters and search included', async () => {
      statements.length = 0;
      const context = { ...requestContext(ctx), db: counted };
      const response = await call(context, catalogueLoader, makeRequest('/catalogue?q=bulk&kind=mooc&language=en&topic=Bulk'));
      expect(response.data.cards).toHaveLength(12);
      expect(statements.length).toBeLessThanOrEqual(3);
    });
  });

  describe('the offering page', () => {
    let seriesId: string;

    beforeAll(async () => {
      const [series] = await ctx.db.select({ id: offerings.id }).from(offerings).where(inArray(offerings.slug, ['assessment-series']));
      seriesId = series!.id;
      const [first, second] = await ctx.db
        .insert(liveSessions)
        .values([
          { offeringId: seriesId, title: 'Webinar 1', startsAt: at(40), organiserTimeZone: 'Europe/Helsinki', durationMinutes: 60, attendanceThresholdPercent: 80 },
          { offeringId: seriesId, title: 'Webinar 2', startsAt: at(54), organiserTimeZone: 'Europe/Helsinki', durationMinutes: 60 },
        ])
        .returning();
      await ctx.db.insert(activities).values([
        { offeringId: seriesId, position: 0, kind: 'live_session', title: 'Webinar 1', liveSessionId: first!.id, content: { kind: 'live_session' } },
        { offeringId: seriesId, position: 1, kind: 'assignment', title: 'Try it in class', dueAt: at(47), content: { kind: 'assignment', prompt: 'x', submission: 'text' } },
        { offeringId: seriesId, position: 2, kind: 'live_session', title: 'Webinar 2', liveSessionId: second!.id, content: { kind: 'live_session' } },
      ]);
      const [mooc] = await ctx.db.select({ id: offerings.id }).from(offerings).where(inArray(offerings.slug, ['inclusion-ostersund']));
      await ctx.db
        .update(offerings)
        .set({ description: '# Welcome\n\nRead **this**.<script>alert(1)</script> <img src=x onerror="alert(2)"> [x](javascript:alert(3))' })
        .where(inArray(offerings.id, [mooc!.id]));
      const [week1, week2] = await ctx.db
        .insert(modules)
        .values([
          { offeringId: mooc!.id, position: 0, title: 'Week 1', releaseAt: at(10) },
          { offeringId: mooc!.id, position: 1, title: 'Week 2', releaseAt: at(17) },
        ])
        .returning();
      await ctx.db.insert(activities).values([
        { offeringId: mooc!.id, moduleId: week1!.id, position: 0, kind: 'page', title: 'Read', content: { kind: 'page', body: '', videoUrl: '' } },
        { offeringId: mooc!.id, moduleId: week2!.id, position: 0, kind: 'quiz', title: 'Check', content: { kind: 'quiz', intro: '', passMarkPercent: 60, attemptsAllowed: 3, questions: [] } },
      ]);
    });

    const open = (slug: string, cookie?: string, headers?: Record<string, string>) =>
      call(requestContext(ctx), offeringLoader, makeRequest(`/offerings/${slug}`, { cookie, headers }), { slug });

    it('shows a published course: sanitised description, trainers, modules in the viewer’s zone, certificate rule, JSON-LD', async () => {
      const response = await open('inclusion-ostersund');
      expect(response.status).toBe(200);
      const { offering, modules: schedule, criteria, jsonLd, enrolment, places } = response.data;
      expect(offering.title).toBe('Inclusive classrooms in Östersund');
      expect(offering.trainers).toEqual(['Kari Nordmann', 'Åsa Lind']);
      expect(offering.descriptionHtml).toContain('<h2>Welcome</h2>');
      expect(offering.descriptionHtml).toContain('<strong>this</strong>');
      expect(offering.descriptionHtml).not.toMatch(/<script|onerror|javascript:/i);
      expect(schedule.map((m: { title: string }) => m.title)).toEqual(['Week 1', 'Week 2']);
      expect(schedule[0].release.type).toBe('at');
      expect(criteria.key).toBe('offeringPage.certificate.courseWithQuizzes');
      expect(enrolment.state).toBe('open');
      expect(places).toEqual({ capacity: 30, seats: { state: 'left', count: 25 } });
      const ld = JSON.parse(jsonLd);
      expect(ld).toMatchObject({
        '@type': 'Course',
        name: 'Inclusive classrooms in Östersund',
        inLanguage: 'en',
        hasCourseInstance: { '@type': 'CourseInstance', courseMode: 'online' },
        provider: { '@type': 'Organization' },
      });
    });

    it('shows a series: sessions with the organiser’s zone, the linking activity in the certificate rule, an Event', async () => {
      const response = await open('assessment-series', undefined, { cookie: 'kollega_tz=America/New_York' });
      expect(response.status).toBe(200);
      const { sessions, criteria, jsonLd } = response.data;
      expect(sessions).toHaveLength(2);
      expect(sessions[0]).toMatchObject({ title: 'Webinar 1', organiserTimeZone: 'Europe/Helsinki', durationMinutes: 60 });
      expect(response.data.timeZone).toBe('America/New_York');
      expect(criteria).toEqual({ key: 'offeringPage.certificate.series', params: { percent: 80, activity: 'Try it in class' } });
      const ld = JSON.parse(jsonLd);
      expect(ld).toMatchObject({
        '@type': 'Event',
        eventAttendanceMode: 'https://schema.org/OnlineEventAttendanceMode',
        location: { '@type': 'VirtualLocation' },
        organizer: { '@type': 'Organization' },
        startDate: sessions[0].startsAt,
      });
    });

    it('answers 404 for an unknown address', async () => {
      expect((await open('no-such-offering')).status).toBe(404);
    });

    it('hides drafts from visitors and participants (404) and shows them to trainers and admins', async () => {
      const participant = await createUser(ctx.db);
      const admin = await createUser(ctx.db, { roles: [{ role: 'admin' }] });
      expect((await open('draft-ostersund')).status).toBe(404);
      expect((await open('draft-ostersund', await signIn(ctx, participant.id))).status).toBe(404);
      const asTrainer = await open('draft-ostersund', await signIn(ctx, trainer.id));
      expect(asTrainer.status).toBe(200);
      expect(asTrainer.data.offering.status).toBe('draft');
      expect((await open('draft-ostersund', await signIn(ctx, otherTrainer.id))).status).toBe(200);
      expect((await open('draft-ostersund', await signIn(ctx, admin.id))).status).toBe(200);
    });

    it('keeps archived and ended offerings readable at their address', async () => {
      expect((await open('archived-ostersund')).status).toBe(200);
      expect((await open('past-ostersund')).status).toBe(200);
    });

    it('escapes the JSON-LD so a title cannot close the script element', async () => {
      await insertOfferings([{ slug: 'evil-title', title: 'Evil </script><script>alert(1)</script> & more', summary: '</SCRIPT>' }]);
      const response = await open('evil-title');
      expect(response.status).toBe(200);
      expect(response.data.jsonLd).not.toMatch(/<\/script/i);
      expect(response.data.jsonLd).not.toContain('<');
      expect(JSON.parse(response.data.jsonLd).name).toBe('Evil </script><script>alert(1)</script> & more');
    });
  });
});
