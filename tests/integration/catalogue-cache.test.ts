import type { AppLoadContext, LoaderFunctionArgs } from '@remix-run/node';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { DateTime } from 'luxon';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '#db/client';
import * as schema from '#db/schema';
import { activities, modules, offerings } from '#db/schema';
import { toCard } from '~/modules/catalogue/card';
import { CATALOGUE_PAGE_TTL_MS, listCatalogue, loadCataloguePage } from '~/modules/catalogue/catalogue.server';
import { catalogueFilterSchema } from '~/modules/catalogue/filters';
import { createOffering } from '~/modules/offerings/authoring.server';
import { offeringSearchText } from '~/modules/offerings/search-text';
import { loader as catalogueLoader } from '~/routes/catalogue';
import { action as enrolmentAction } from '~/routes/offerings.$slug.enrolment';
import { action as detailsAction } from '~/routes/trainer.offerings.$id._index';
import { createTestContext, recordingJobQueue, type TestContext } from '../support/context';
import { createUser, signIn } from '../support/factories';
import { makeRequest, requestContext } from '../support/requests';

/**
 * The catalogue's short memory of query results (result-cache.server.ts):
 * reused for the same criteria, for 5 seconds, forgotten at once when this
 * process publishes, unpublishes or enrols, and never a way for one
 * viewer's page to reach another.
 */

interface Outcome {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
}

async function call(context: AppLoadContext, handler: (args: LoaderFunctionArgs) => unknown, request: Request, params: Record<string, string> = {}): Promise<Outcome> {
  let value: unknown;
  try {
    value = await handler({ request, context, params });
  } catch (thrown) {
    value = thrown;
  }
  if (value instanceof Response) return { status: value.status, data: null };
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
    const { data, init } = value as { data: unknown; init: ResponseInit | null };
    return { status: init?.status ?? 200, data };
  }
  if (value instanceof Error) throw value;
  return { status: 200, data: value };
}

const DAY = 86_400_000;
const ZONE = 'Europe/Oslo';
const at = (days: number) => new Date(Date.now() + days * DAY);
/** A wall time in Oslo as the details form takes it. */
const osloLocal = (instant: Date) => DateTime.fromJSDate(instant, { zone: ZONE }).toFormat("yyyy-MM-dd'T'HH:mm");

describe('the catalogue’s memory of query results', () => {
  let ctx: TestContext;
  let client: postgres.Sql;
  let statements: string[];
  /** A database handle of its own (so a memory of its own) that records every statement. */
  let counted: Database;
  let countedContext: AppLoadContext;
  let owner: { id: string; cookie: string };
  let participant: { id: string; cookie: string };

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    const trainer = await createUser(ctx.db, { fullName: 'Kari Nordmann', roles: [{ role: 'trainer' }] });
    owner = { id: trainer.id, cookie: await signIn(ctx, trainer.id) };
    const learner = await createUser(ctx.db, { fullName: 'Ola Lærer' });
    participant = { id: learner.id, cookie: await signIn(ctx, learner.id) };
    await ctx.db.insert(offerings).values(
      [
        { slug: 'harbour-maths', title: 'Harbour maths', startsAt: at(10), endsAt: at(40), capacity: 10, seatsTaken: 2 },
        // 02:00 UTC on the first of a month: that month in Oslo, the month before in New York.
        { slug: 'new-year-webinar', title: 'New year webinar', startsAt: new Date('2027-01-01T02:00:00Z'), endsAt: new Date('2027-01-01T03:00:00Z') },
      ].map((row) => ({
        kind: 'mooc' as const,
        summary: `About ${row.title}`,
        language: 'en',
        organiserTimeZone: ZONE,
        status: 'published' as const,
        expectedMinutes: 15 * 60,
        enrolmentOpensAt: at(-5),
        enrolmentClosesAt: at(9),
        completionDeadline: at(400),
        searchText: offeringSearchText({ title: row.title, summary: `About ${row.title}`, topics: [] }),
        ...row,
      })),
    );
    statements = [];
    const url = ctx.config.database.kind === 'postgres' ? ctx.config.database.url : '';
    client = postgres(url, { max: 1, onnotice: () => {}, debug: (_connection, query) => statements.push(query) });
    counted = drizzle(client, { schema, casing: 'snake_case' }) as unknown as Database;
    await client`select 1`;
    countedContext = { ...requestContext(ctx), db: counted };
  });

  afterAll(async () => {
    await client?.end({ timeout: 5 });
    await ctx?.close();
  });

  beforeEach(() => {
    statements.length = 0;
  });

  const catalogue = (path: string, headers: Record<string, string> = {}, cookie?: string) => call(countedContext, catalogueLoader, makeRequest(path, { headers, cookie }));
  const seatsOf = (data: { cards: { slug: string; seats: unknown }[] }, slug: string) => data.cards.find((card) => card.slug === slug)?.seats;

  it('answers the same criteria again without asking the database', async () => {
    const first = await catalogue('/catalogue?q=harbour');
    expect(first.data.cards.map((card: { slug: string }) => card.slug)).toEqual(['harbour-maths']);
    expect(statements.length).toBeGreaterThan(0);

    statements.length = 0;
    const second = await catalogue('/catalogue?q=harbour');
    expect(statements).toEqual([]);
    expect(second.data).toEqual(first.data);

    // The same search typed differently is the same query; other criteria are not.
    expect((await catalogue('/catalogue?q=HARBOUR')).data.total).toBe(1);
    expect(statements).toEqual([]);
    await catalogue('/catalogue?q=harbour&page=2');
    expect(statements.length).toBeGreaterThan(0);
  });

  it('keeps a page for five seconds, then asks again (another process’s change shows by then)', async () => {
    const filters = catalogueFilterSchema.parse({ q: 'harbour' });
    const t0 = new Date(Date.now() + DAY); // a moment no other test asks about
    const view = (ms: number) => ({ now: new Date(t0.getTime() + ms), timeZone: ZONE, locale: 'en' });
    expect(seatsOf(await loadCataloguePage(counted, filters, view(0)), 'harbour-maths')).toEqual({ state: 'left', count: 8 });
    // Written past this process's domain functions, as another server or a script would.
    await ctx.db.update(offerings).set({ seatsTaken: 3 }).where(eq(offerings.slug, 'harbour-maths'));
    statements.length = 0;
    expect(seatsOf(await loadCataloguePage(counted, filters, view(CATALOGUE_PAGE_TTL_MS - 1)), 'harbour-maths')).toEqual({ state: 'left', count: 8 });
    expect(statements).toEqual([]);
    expect(seatsOf(await loadCataloguePage(counted, filters, view(CATALOGUE_PAGE_TTL_MS)), 'harbour-maths')).toEqual({ state: 'left', count: 7 });
    await ctx.db.update(offerings).set({ seatsTaken: 2 }).where(eq(offerings.slug, 'harbour-maths'));
  });

  it('shows an enrolment in this process at once', async () => {
    expect(seatsOf((await catalogue('/catalogue?q=harbour')).data, 'harbour-maths')).toEqual({ state: 'left', count: 8 });
    const enrolled = await call(requestContext(ctx), enrolmentAction, makeRequest('/offerings/harbour-maths/enrolment', { cookie: participant.cookie, form: { intent: 'enrol' } }), {
      slug: 'harbour-maths',
    });
    expect(enrolled.status).toBe(302);
    expect(seatsOf((await catalogue('/catalogue?q=harbour')).data, 'harbour-maths')).toEqual({ state: 'left', count: 7 });

    await call(requestContext(ctx), enrolmentAction, makeRequest('/offerings/harbour-maths/enrolment', { cookie: participant.cookie, form: { intent: 'unenrol' } }), {
      slug: 'harbour-maths',
    });
    expect(seatsOf((await catalogue('/catalogue?q=harbour')).data, 'harbour-maths')).toEqual({ state: 'left', count: 8 });
  });

  it('shows an offering the moment it is published here, and drops it the moment it is unpublished', async () => {
    const { id } = await createOffering(ctx, { kind: 'mooc', title: 'Lantern pedagogy', language: 'en', organiserTimeZone: ZONE, creatorId: owner.id }, new Date());
    const [week] = await ctx.db.insert(modules).values({ offeringId: id, position: 0, title: 'Week 1' }).returning();
    await ctx.db
      .insert(activities)
      .values({ offeringId: id, moduleId: week!.id, position: 0, kind: 'page', title: 'Read me', required: true, content: { kind: 'page', body: 'Hello', videoUrl: '' } });

    expect((await catalogue('/catalogue?q=lantern')).data.total).toBe(0);
    expect((await catalogue('/catalogue?q=lantern')).data.total).toBe(0); // remembered

    const form = new URLSearchParams({
      intent: 'publish',
      title: 'Lantern pedagogy',
      summary: 'Light in dark classrooms.',
      description: 'Six weeks.',
      language: 'en',
      topics: 'lanterns',
      targetAudiences: 'primary',
      eligibility: 'open',
      expectedHours: '15',
      organiserTimeZone: ZONE,
      enrolmentOpensAt: osloLocal(at(-1)),
      enrolmentClosesAt: osloLocal(at(14)),
      startsAt: osloLocal(at(14)),
      endsAt: osloLocal(at(14 + 35)),
      completionDeadline: osloLocal(at(14 + 49)),
      capacity: '',
      pacingMode: 'self_paced',
      maxDeadlineShifts: '0',
      requiredSessions: '1',
    });
    const published = await call(requestContext(ctx), detailsAction, makeRequest(`/trainer/offerings/${id}`, { cookie: owner.cookie, form }), { id });
    expect(published.status, JSON.stringify(published.data)).toBe(302);
    expect((await ctx.db.select({ status: offerings.status }).from(offerings).where(eq(offerings.id, id)))[0]?.status).toBe('published');

    const found = await catalogue('/catalogue?q=lantern');
    expect(found.data.cards.map((card: { title: string }) => card.title)).toEqual(['Lantern pedagogy']);
    // The filter choices are remembered for 30 s, but forgotten too: the new topic is offered at once.
    expect((await catalogue('/catalogue')).data.choices.topics).toContain('lanterns');

    const unpublished = await call(requestContext(ctx), detailsAction, makeRequest(`/trainer/offerings/${id}`, { cookie: owner.cookie, form: { intent: 'unpublish' } }), { id });
    expect(unpublished.status).toBe(302);
    expect((await catalogue('/catalogue?q=lantern')).data.total).toBe(0);
  });

  it('shares rows, never one viewer’s page: each sees the cards in their own zone and language', async () => {
    const oslo = await catalogue('/catalogue?q=harbour', { cookie: 'kollega_tz=Europe/Oslo', 'accept-language': 'nb' });
    statements.length = 0;
    const helsinki = await catalogue('/catalogue?q=harbour', { cookie: 'kollega_tz=America/New_York', 'accept-language': 'fi' });
    const signedIn = await catalogue('/catalogue?q=harbour', {}, participant.cookie);
    // The rows come from memory; the signed-in viewer's own statement (who they are) is all that is sent.
    expect(statements.filter((text) => /"offerings"/.test(text))).toEqual([]);

    // Each answer is exactly what that viewer gets with no memory at all.
    const rows = (await listCatalogue(ctx.db, catalogueFilterSchema.parse({ q: 'harbour' }), { now: new Date(), timeZone: 'UTC' })).rows;
    for (const [outcome, expected] of [
      [oslo, { timeZone: 'Europe/Oslo', locale: 'nb' }],
      [helsinki, { timeZone: 'America/New_York', locale: 'fi' }],
      [signedIn, { timeZone: signedIn.data.timeZone as string, locale: 'en' }],
    ] as const) {
      expect(outcome.data.timeZone).toBe(expected.timeZone);
      expect(outcome.data.cards).toEqual(rows.map((row) => toCard(row, { now: new Date(), ...expected })));
    }
    expect(new Set([oslo, helsinki, signedIn].map((outcome) => outcome.data.cards[0].languageName)).size).toBe(3);
    expect(JSON.stringify(signedIn.data)).not.toContain('Ola');
  });

  it('offers the next month from the minute it begins in the viewer’s zone', async () => {
    const filters = catalogueFilterSchema.parse({});
    const lastMinuteOfNovember = new Date('2026-11-30T22:59:30Z'); // 23:59:30 in Oslo, 17:59:30 in New York
    const firstMonth = async (now: Date, timeZone: string) => (await loadCataloguePage(counted, filters, { now, timeZone, locale: 'en' })).choices.months[0];
    expect(await firstMonth(lastMinuteOfNovember, ZONE)).toEqual({ value: '2026-11', label: 'November 2026' });
    expect(await firstMonth(new Date(lastMinuteOfNovember.getTime() + 60_000), ZONE)).toEqual({ value: '2026-12', label: 'December 2026' });
    expect(await firstMonth(new Date(lastMinuteOfNovember.getTime() + 60_000), 'America/New_York')).toEqual({ value: '2026-11', label: 'November 2026' });
    expect((await loadCataloguePage(counted, filters, { now: lastMinuteOfNovember, timeZone: ZONE, locale: 'nb' })).choices.months[0]?.label).toMatch(/^november 2026$/i);
  });

  it('reads "starts in month" in each viewer’s calendar', async () => {
    const inOslo = await catalogue('/catalogue?month=2027-01', { cookie: 'kollega_tz=Europe/Oslo' });
    expect(inOslo.data.cards.map((card: { slug: string }) => card.slug)).toEqual(['new-year-webinar']);
    const inNewYork = await catalogue('/catalogue?month=2027-01', { cookie: 'kollega_tz=America/New_York' });
    expect(inNewYork.data.cards).toEqual([]);
    const december = await catalogue('/catalogue?month=2026-12', { cookie: 'kollega_tz=America/New_York' });
    expect(december.data.cards.map((card: { slug: string }) => card.slug)).toContain('new-year-webinar');
  });
});
