import type { AppLoadContext, LoaderFunctionArgs } from '@remix-run/node';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activities, auditLog, liveSessions, modules, offeringTrainers, offerings } from '#db/schema';
import { createOffering } from '~/modules/offerings/authoring.server';
import { loader as homeLoader } from '~/routes/trainer._index';
import { action as copyAction, loader as copyLoader } from '~/routes/trainer.offerings.$id.copy';
import { action as detailsAction, loader as detailsLoader } from '~/routes/trainer.offerings.$id._index';
import { action as sessionsAction, loader as sessionsLoader } from '~/routes/trainer.offerings.$id.sessions';
import { loader as layoutLoader } from '~/routes/trainer.offerings.$id';
import { action as newAction, loader as newLoader } from '~/routes/trainer.offerings.new';
import { createTestContext, recordingJobQueue, type TestContext } from '../support/context';
import { createUser, signIn, type UserOverrides } from '../support/factories';
import { makeRequest, requestContext } from '../support/requests';

/** What a loader or action answered, whether it returned or threw (redirects, 404s). */
interface Outcome {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
  location: string | null;
}

type Handler = (args: LoaderFunctionArgs) => unknown;
type FormValues = Record<string, string | string[]>;

function toForm(values: FormValues): URLSearchParams {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    for (const v of Array.isArray(value) ? value : [value]) form.append(key, v);
  }
  return form;
}

const ZONE = 'Europe/Oslo';
const MALFORMED_IDS = ['not-a-uuid', '123', "1' or '1'='1", '00000000-0000-0000-0000-00000000000g'];

/** A MOOC's details form that satisfies every rule (six weeks across the March clock change). */
function moocForm(overrides: FormValues = {}): FormValues {
  return {
    intent: 'save',
    title: 'Digital tools 2026',
    summary: 'Hands-on ideas for everyday teaching.',
    description: '# Welcome\n\nSix weeks of **practice**.',
    language: 'en',
    topics: 'digital tools, Assessment ,  digital tools,assessment',
    targetAudiences: ['primary', 'lower_secondary'],
    eligibility: 'validated',
    expectedHours: '15,5',
    organiserTimeZone: ZONE,
    enrolmentOpensAt: '2026-02-01T09:00',
    enrolmentClosesAt: '2026-03-02T09:00',
    startsAt: '2026-03-02T09:00',
    endsAt: '2026-04-13T09:00',
    completionDeadline: '2026-04-27T23:59',
    capacity: '120',
    waitlistEnabled: 'on',
    certificateEnabled: 'on',
    pacingMode: 'self_paced',
    maxDeadlineShifts: '3',
    requiredSessions: '1',
    ...overrides,
  };
}

describe('trainer authoring', () => {
  let ctx: TestContext;
  type Person = { id: string; email: string; cookie: string };
  let owner: Person;
  let otherTrainer: Person;
  let participant: Person;
  let admin: Person;

  async function person(overrides: UserOverrides = {}): Promise<Person> {
    const user = await createUser(ctx.db, overrides);
    return { id: user.id, email: user.email, cookie: await signIn(ctx, user.id) };
  }

  async function call(handler: Handler, request: Request, params: Record<string, string> = {}): Promise<Outcome> {
    let value: unknown;
    try {
      value = await handler({ request, context: requestContext(ctx) as AppLoadContext, params });
    } catch (thrown) {
      value = thrown;
    }
    if (value instanceof Response) return { status: value.status, data: null, location: value.headers.get('location') };
    if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
      const { data, init } = value as { data: unknown; init: ResponseInit | null };
      return { status: init?.status ?? 200, data, location: null };
    }
    if (value instanceof Error) throw value;
    return { status: 200, data: value, location: null };
  }

  const get = (handler: Handler, path: string, cookie: string | undefined, params: Record<string, string> = {}) =>
    call(handler, makeRequest(path, { cookie }), params);
  const post = (handler: Handler, path: string, cookie: string | undefined, form: FormValues, params: Record<string, string> = {}) =>
    call(handler, makeRequest(path, { cookie, form: toForm(form) }), params);

  async function offeringOf(kind: 'mooc' | 'short_course' | 'webinar' | 'webinar_series' | 'online_event', title = 'Test offering', by = owner) {
    return createOffering(ctx, { kind, title, language: 'en', organiserTimeZone: ZONE, creatorId: by.id }, new Date());
  }
  const row = async (id: string) => (await ctx.db.select().from(offerings).where(eq(offerings.id, id)))[0]!;
  const audits = async (id: string) =>
    (await ctx.db.select().from(auditLog).where(eq(auditLog.subjectId, id)).orderBy(asc(auditLog.createdAt))).map((a) => a.action);

  /** A module with one required page, as the structure editor would make it. */
  async function addContent(offeringId: string) {
    const [mod] = await ctx.db.insert(modules).values({ offeringId, position: 0, title: 'Week 1' }).returning();
    await ctx.db.insert(activities).values({
      offeringId,
      moduleId: mod!.id,
      position: 0,
      kind: 'page',
      title: 'Read me',
      required: true,
      content: { kind: 'page', body: 'Hello', videoUrl: '' },
    });
  }

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    owner = await person({ roles: [{ role: 'trainer' }], timeZone: 'America/New_York' });
    otherTrainer = await person({ roles: [{ role: 'trainer' }] });
    participant = await person();
    admin = await person({ roles: [{ role: 'admin' }] });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  describe('who may do what', () => {
    let id: string;
    beforeAll(async () => {
      ({ id } = await offeringOf('webinar', 'Permissions webinar'));
    });

    const loaders: [string, Handler, (id: string) => string][] = [
      ['layout', layoutLoader, (id) => `/trainer/offerings/${id}`],
      ['details', detailsLoader, (id) => `/trainer/offerings/${id}`],
      ['sessions', sessionsLoader, (id) => `/trainer/offerings/${id}/sessions`],
      ['copy', copyLoader, (id) => `/trainer/offerings/${id}/copy`],
    ];
    const actions: [string, Handler, (id: string) => string, () => FormValues][] = [
      ['details: save', detailsAction, (id) => `/trainer/offerings/${id}`, () => moocForm({ title: 'Changed by someone' })],
      ['details: archive', detailsAction, (id) => `/trainer/offerings/${id}`, () => ({ intent: 'archive' })],
      ['details: add trainer', detailsAction, (id) => `/trainer/offerings/${id}`, () => ({ intent: 'addTrainer', email: otherTrainer.email })],
      ['details: remove trainer', detailsAction, (id) => `/trainer/offerings/${id}`, () => ({ intent: 'removeTrainer', userId: owner.id })],
      [
        'sessions: add',
        sessionsAction,
        (id) => `/trainer/offerings/${id}/sessions`,
        () => ({ intent: 'add', title: 'Live', startsAt: '2026-05-04T15:00', durationMinutes: '60', joinUrl: '', capacityNote: '' }),
      ],
      ['copy', copyAction, (id) => `/trainer/offerings/${id}/copy`, () => ({ shiftBy: 'gap', gapAmount: '52', gapUnit: 'weeks' })],
    ];

    it.each([
      ['/trainer', homeLoader],
      ['/trainer/offerings/new', newLoader],
    ] as const)('%s: anonymous → sign in, participant → 404, trainer and admin → 200', async (path, loader) => {
      const anonymous = await get(loader, path, undefined);
      expect(anonymous.status).toBe(302);
      expect(anonymous.location).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
      expect((await get(loader, path, participant.cookie)).status).toBe(404);
      expect((await get(loader, path, owner.cookie)).status).toBe(200);
      expect((await get(loader, path, admin.cookie)).status).toBe(200);
    });

    it('sends session join links only to those who may edit the offering', async () => {
      const joinUrl = 'https://meet.example.org/secret-room-42';
      await ctx.db.insert(liveSessions).values({ offeringId: id, title: 'Linked', startsAt: new Date('2026-05-04T13:00:00Z'), organiserTimeZone: ZONE, joinUrl });
      const path = `/trainer/offerings/${id}/sessions`;
      const other = await get(sessionsLoader, path, otherTrainer.cookie, { id });
      expect(other.status).toBe(200);
      const otherSessions = (other.data as { sessions: Record<string, unknown>[] }).sessions;
      expect(otherSessions.map((s) => s.title)).toContain('Linked');
      for (const session of otherSessions) expect(session).not.toHaveProperty('joinUrl');
      expect(JSON.stringify(other.data)).not.toContain('secret-room-42');
      // Nor through ?edit=…: a read-only viewer gets no editing form.
      const [session] = await ctx.db.select().from(liveSessions).where(and(eq(liveSessions.offeringId, id), eq(liveSessions.title, 'Linked')));
      const editing = await get(sessionsLoader, `${path}?edit=${session!.id}`, otherTrainer.cookie, { id });
      expect(JSON.stringify(editing.data)).not.toContain('secret-room-42');

      for (const who of [owner, admin]) {
        const own = await get(sessionsLoader, path, who.cookie, { id });
        expect((own.data as { sessions: { title: string; joinUrl?: string }[] }).sessions.find((s) => s.title === 'Linked')?.joinUrl).toBe(joinUrl);
      }
      await ctx.db.delete(liveSessions).where(eq(liveSessions.id, session!.id));
    });

    it('creating: anonymous → sign in, participant → 404, nothing created', async () => {
      const before = (await ctx.db.select({ id: offerings.id }).from(offerings)).length;
      const form = { kind: 'mooc', title: 'Not allowed', language: 'en', organiserTimeZone: ZONE };
      const anonymous = await post(newAction, '/trainer/offerings/new', undefined, form);
      expect(anonymous.status).toBe(302);
      expect(anonymous.location).toMatch(/^\/login\?redirectTo=/);
      expect((await post(newAction, '/trainer/offerings/new', participant.cookie, form)).status).toBe(404);
      expect((await ctx.db.select({ id: offerings.id }).from(offerings)).length).toBe(before);
    });

    describe.each(loaders)('%s loader', (_name, loader, path) => {
      it('sends anonymous visitors to sign in and back', async () => {
        const outcome = await get(loader, path(id), undefined, { id });
        expect(outcome.status).toBe(302);
        expect(outcome.location).toBe(`/login?redirectTo=${encodeURIComponent(path(id))}`);
      });

      it('answers 404 to a participant', async () => {
        expect((await get(loader, path(id), participant.cookie, { id })).status).toBe(404);
      });

      it('shows a trainer who does not run it the page, read-only', async () => {
        const outcome = await get(loader, path(id), otherTrainer.cookie, { id });
        expect(outcome.status).toBe(200);
        expect(outcome.data.canEdit).toBe(false);
      });

      it.each([
        ['its trainer', () => owner],
        ['an admin', () => admin],
      ])('lets %s edit', async (_who, who) => {
        const outcome = await get(loader, path(id), who().cookie, { id });
        expect(outcome.status).toBe(200);
        expect(outcome.data.canEdit).toBe(true);
      });

      it.each(MALFORMED_IDS)('answers 404 to the malformed id %j', async (bad) => {
        expect((await get(loader, path(encodeURIComponent(bad)), owner.cookie, { id: bad })).status).toBe(404);
      });

      it('answers 404 to an id nobody has', async () => {
        const unknown = '3f1e9a7c-0000-4000-8000-000000000000';
        expect((await get(loader, path(unknown), owner.cookie, { id: unknown })).status).toBe(404);
        expect((await get(loader, path(unknown), participant.cookie, { id: unknown })).status).toBe(404);
      });
    });

    describe.each(actions)('%s action', (_name, action, path, form) => {
      it('sends anonymous visitors to sign in, changing nothing', async () => {
        const before = await row(id);
        const outcome = await post(action, path(id), undefined, form(), { id });
        expect(outcome.status).toBe(302);
        expect(outcome.location).toMatch(/^\/login\?redirectTo=/);
        expect(await row(id)).toEqual(before);
      });

      it.each([
        ['a participant', () => participant],
        ['a trainer who does not run it', () => otherTrainer],
      ])('answers 404 to %s, changing nothing', async (_who, who) => {
        const before = await row(id);
        const sessionsBefore = await ctx.db.select().from(liveSessions).where(eq(liveSessions.offeringId, id));
        const count = (await ctx.db.select({ id: offerings.id }).from(offerings)).length;
        expect((await post(action, path(id), who().cookie, form(), { id })).status).toBe(404);
        expect(await row(id)).toEqual(before);
        expect(await ctx.db.select().from(liveSessions).where(eq(liveSessions.offeringId, id))).toEqual(sessionsBefore);
        expect((await ctx.db.select({ id: offerings.id }).from(offerings)).length).toBe(count);
      });

      it.each(MALFORMED_IDS)('answers 404 to the malformed id %j', async (bad) => {
        expect((await post(action, path(encodeURIComponent(bad)), owner.cookie, form(), { id: bad })).status).toBe(404);
      });
    });

    it.each([
      ['its trainer', () => owner],
      ['an admin', () => admin],
    ])('lets %s run every action', async (_who, who) => {
      const { id: fresh } = await offeringOf('webinar', 'Allowed webinar');
      const base = `/trainer/offerings/${fresh}`;
      const me = who();
      const added = await post(sessionsAction, `${base}/sessions`, me.cookie, actions[4]![3](), { id: fresh });
      expect(added).toMatchObject({ status: 302, location: `${base}/sessions` });
      const saved = await post(detailsAction, base, me.cookie, moocForm({ title: 'Renamed' }), { id: fresh });
      expect(saved).toMatchObject({ status: 302, location: base });
      expect((await row(fresh)).title).toBe('Renamed');
      expect((await post(detailsAction, base, me.cookie, { intent: 'addTrainer', email: otherTrainer.email }, { id: fresh })).status).toBe(302);
      expect((await post(detailsAction, base, me.cookie, { intent: 'removeTrainer', userId: otherTrainer.id }, { id: fresh })).status).toBe(302);
      const copied = await post(copyAction, `${base}/copy`, me.cookie, actions[5]![3](), { id: fresh });
      expect(copied.status).toBe(302);
      expect(copied.location).toMatch(/^\/trainer\/offerings\/[0-9a-f-]{36}$/);
      expect((await post(detailsAction, base, me.cookie, { intent: 'archive' }, { id: fresh })).status).toBe(302);
      expect((await row(fresh)).status).toBe('archived');
    });
  });

  describe('/trainer', () => {
    it('lists the offerings the viewer trains, and the others read-only', async () => {
      const mine = await offeringOf('mooc', 'Listed mine');
      const theirs = await offeringOf('short_course', 'Listed theirs', otherTrainer);
      const page = await get(homeLoader, '/trainer', owner.cookie);
      expect(page.data.mine.map((r: { id: string }) => r.id)).toContain(mine.id);
      expect(page.data.mine.map((r: { id: string }) => r.id)).not.toContain(theirs.id);
      expect(page.data.others.rows.map((r: { id: string }) => r.id)).toContain(theirs.id);
      expect(page.data.othersEditable).toBe(false);
      expect((await get(homeLoader, '/trainer', admin.cookie)).data.othersEditable).toBe(true);
      expect((await get(homeLoader, '/trainer?page=abc', owner.cookie)).status).toBe(400);
    });
  });

  describe('creating', () => {
    it('creates a draft with the kind’s defaults, a slug from the title, the creator as trainer, audited', async () => {
      const outcome = await post(newAction, '/trainer/offerings/new', owner.cookie, {
        kind: 'mooc',
        title: 'Matematikk i Østfold – Łódź édition',
        language: 'nb',
        organiserTimeZone: ZONE,
      });
      expect(outcome.status).toBe(302);
      const id = outcome.location!.split('/').pop()!;
      const created = await row(id);
      expect(created).toMatchObject({
        kind: 'mooc',
        status: 'draft',
        slug: 'matematikk-i-ostfold-lodz-edition',
        language: 'nb',
        organiserTimeZone: ZONE,
        expectedMinutes: 15 * 60,
        startsAt: null,
        createdBy: owner.id,
        searchText: 'matematikk i ostfold – lodz edition',
      });
      const trainers = await ctx.db.select().from(offeringTrainers).where(eq(offeringTrainers.offeringId, id));
      expect(trainers.map((t) => t.userId)).toEqual([owner.id]);
      expect(await audits(id)).toEqual(['offering.created']);
    });

    it('suffixes -2, -3… when the slug is taken', async () => {
      const slugs = [];
      for (let i = 0; i < 3; i++) slugs.push((await offeringOf('webinar', 'Same title!')).slug);
      expect(slugs).toEqual(['same-title', 'same-title-2', 'same-title-3']);
      expect((await offeringOf('webinar', '!!!')).slug).toMatch(/^offering(-\d+)?$/);
    });

    it.each([
      ['an empty form', {}, ['kind', 'title', 'language', 'organiserTimeZone']],
      ['an unknown kind', { kind: 'podcast' }, ['kind']],
      ['a 1 MB title', { title: 'x'.repeat(1_000_000) }, ['title']],
      ['an unknown language', { language: 'xx' }, ['language']],
      ['an unknown zone', { organiserTimeZone: 'Mars/Olympus_Mons' }, ['organiserTimeZone']],
    ])('refuses %s with 400 and field messages', async (_label, changes, fields) => {
      const form = Object.keys(changes).length === 0 ? {} : { kind: 'mooc', title: 'Fine', language: 'en', organiserTimeZone: ZONE, ...changes };
      const outcome = await post(newAction, '/trainer/offerings/new', owner.cookie, form);
      expect(outcome.status).toBe(400);
      expect(Object.keys(outcome.data.result.error).sort()).toEqual([...fields].sort());
    });
  });

  describe('details', () => {
    it('saves every field, dates read in the organiser’s zone and stored as UTC', async () => {
      const { id } = await offeringOf('mooc');
      const outcome = await post(detailsAction, `/trainer/offerings/${id}`, owner.cookie, moocForm(), { id });
      expect(outcome).toMatchObject({ status: 302, location: `/trainer/offerings/${id}` });
      const saved = await row(id);
      expect(saved).toMatchObject({
        title: 'Digital tools 2026',
        topics: ['digital tools', 'Assessment'],
        targetAudiences: ['primary', 'lower_secondary'],
        eligibility: 'validated',
        expectedMinutes: 930,
        capacity: 120,
        waitlistEnabled: true,
        certificateEnabled: true,
        pacingMode: 'self_paced',
        maxDeadlineShifts: 3,
        status: 'draft',
      });
      expect(saved.startsAt!.toISOString()).toBe('2026-03-02T08:00:00.000Z');
      expect(saved.endsAt!.toISOString()).toBe('2026-04-13T07:00:00.000Z');
      expect(saved.searchText).toContain('assessment');

      // The page shows the values back as the organiser entered them.
      const page = await get(detailsLoader, `/trainer/offerings/${id}`, owner.cookie, { id });
      expect(page.data.values).toMatchObject({
        startsAt: '2026-03-02T09:00',
        endsAt: '2026-04-13T09:00',
        expectedHours: '15.5',
        topics: 'digital tools, Assessment',
      });
    });

    it('clears capacity and ticks when left empty', async () => {
      const { id } = await offeringOf('mooc');
      const form = moocForm({ capacity: '' });
      delete form.waitlistEnabled;
      delete form.certificateEnabled;
      await post(detailsAction, `/trainer/offerings/${id}`, owner.cookie, form, { id });
      expect(await row(id)).toMatchObject({ capacity: null, waitlistEnabled: false, certificateEnabled: false });
    });

    it.each([
      ['a 1 MB description', { description: 'x'.repeat(1_000_000) }, ['description']],
      ['a 1 MB title', { title: 'y'.repeat(1_000_000) }, ['title']],
      ['a malformed date', { startsAt: 'next monday' }, ['startsAt']],
      ['a 1 MB date', { endsAt: '2'.repeat(1_000_000) }, ['endsAt']],
      ['a time the clocks skip', { startsAt: '2026-03-29T02:30' }, ['startsAt']],
      ['a time that happens twice', { completionDeadline: '2026-10-25T02:30' }, ['completionDeadline']],
      ['a capacity of 0', { capacity: '0' }, ['capacity']],
      ['a capacity that is not a number', { capacity: 'many' }, ['capacity']],
      ['a fractional capacity', { capacity: '2.5' }, ['capacity']],
      ['eleven topics', { topics: 'a,b,c,d,e,f,g,h,i,j,k' }, ['topics']],
      ['a 41-character topic', { topics: 'z'.repeat(41) }, ['topics']],
      ['hours that are not a number', { expectedHours: 'lots' }, ['expectedHours']],
      ['an unknown audience', { targetAudiences: ['primary', 'astronauts'] }, ['targetAudiences[1]']],
      ['an unknown eligibility', { eligibility: 'everyone' }, ['eligibility']],
      ['an unknown pacing', { pacingMode: 'whenever' }, ['pacingMode']],
      ['an unknown zone', { organiserTimeZone: 'Europe/Atlantis' }, ['organiserTimeZone']],
      ['an unknown intent', { intent: 'explode' }, ['intent']],
      ['several problems at once', { title: '', startsAt: '2026-03-29T02:30', capacity: '-1' }, ['title', 'startsAt', 'capacity']],
    ])('refuses %s with 400 and a message on the field, saving nothing', async (_label, changes, fields) => {
      const { id } = await offeringOf('mooc');
      const before = await row(id);
      const outcome = await post(detailsAction, `/trainer/offerings/${id}`, owner.cookie, moocForm(changes), { id });
      expect(outcome.status).toBe(400);
      expect(Object.keys(outcome.data.result.error).sort()).toEqual([...fields].sort());
      expect(await row(id)).toEqual(before);
    });

    it('names the daylight-saving problem in the message', async () => {
      const { id } = await offeringOf('mooc');
      const skipped = await post(detailsAction, `/trainer/offerings/${id}`, owner.cookie, moocForm({ startsAt: '2026-03-29T02:30' }), { id });
      expect(skipped.data.result.error.startsAt).toEqual(['authoring.errors.nonexistentTime']);
      const twice = await post(detailsAction, `/trainer/offerings/${id}`, owner.cookie, moocForm({ startsAt: '2026-10-25T02:30' }), { id });
      expect(twice.data.result.error.startsAt).toEqual(['authoring.errors.ambiguousTime']);
    });

    it('refuses to publish with a message next to each broken field, keeps the draft saved, and publishes once fixed', async () => {
      const { id } = await offeringOf('mooc', 'Publish me');
      const base = `/trainer/offerings/${id}`;
      const broken = moocForm({ intent: 'publish', summary: '', expectedHours: '30', endsAt: '2026-04-20T09:00', completionDeadline: '2026-04-01T09:00' });
      const refused = await post(detailsAction, base, owner.cookie, broken, { id });
      expect(refused.status).toBe(400);
      const errors = refused.data.result.error as Record<string, string[]>;
      expect(errors.summary).toEqual(['offerings.rules.summaryRequired']);
      expect(errors.expectedHours).toEqual(['offerings.rules.moocHours|{"hours":30}']);
      expect(errors.endsAt).toEqual(['offerings.rules.moocLength|{"weeks":7}']);
      expect(errors.completionDeadline).toEqual(['offerings.rules.deadlineAfterEnd']);
      expect(errors.modules).toEqual(['offerings.rules.courseNeedsContent']);
      // The top of the form lists them all after saying the draft was kept.
      expect(errors['']![0]).toBe('authoring.errors.savedNotPublished');
      expect(errors['']).toHaveLength(6);
      expect(refused.data.saved).toBe(true);
      expect(await row(id)).toMatchObject({ status: 'draft', summary: '', expectedMinutes: 30 * 60, publishedAt: null });

      // The page lists what is left to do.
      const page = await get(detailsLoader, base, owner.cookie, { id });
      expect(page.data.problems.map((p: { key: string }) => p.key)).toContain('offerings.rules.courseNeedsContent');

      await addContent(id);
      const published = await post(detailsAction, base, owner.cookie, moocForm({ intent: 'publish', title: 'Publish me' }), { id });
      expect(published).toMatchObject({ status: 302, location: base });
      const now = await row(id);
      expect(now.status).toBe('published');
      expect(now.publishedAt).toBeInstanceOf(Date);
      expect(await audits(id)).toEqual(['offering.created', 'offering.published']);
      expect((await get(detailsLoader, base, owner.cookie, { id })).data.problems).toEqual([]);
    });

    it('refuses a save that would make a published offering break a rule, changing nothing', async () => {
      const { id } = await offeringOf('mooc', 'Stays valid');
      await addContent(id);
      const base = `/trainer/offerings/${id}`;
      expect((await post(detailsAction, base, owner.cookie, moocForm({ intent: 'publish' }), { id })).status).toBe(302);
      const before = await row(id);
      const refused = await post(detailsAction, base, owner.cookie, moocForm({ expectedHours: '5', title: 'Shorter' }), { id });
      expect(refused.status).toBe(400);
      expect(refused.data.saved).toBe(false);
      expect(refused.data.result.error.expectedHours).toEqual(['offerings.rules.moocHours|{"hours":5}']);
      expect(refused.data.result.error['']![0]).toBe('authoring.errors.notSavedRules');
      expect(await row(id)).toEqual(before);
      // A change within the rules goes through and it stays published.
      expect((await post(detailsAction, base, owner.cookie, moocForm({ title: 'Still valid' }), { id })).status).toBe(302);
      expect(await row(id)).toMatchObject({ title: 'Still valid', status: 'published' });
    });

    it('unpublishes, archives and brings back, audited; a move from the wrong status is 409', async () => {
      const { id } = await offeringOf('mooc', 'Lifecycle');
      await addContent(id);
      const base = `/trainer/offerings/${id}`;
      await post(detailsAction, base, owner.cookie, moocForm({ intent: 'publish' }), { id });
      expect((await post(detailsAction, base, owner.cookie, { intent: 'unpublish' }, { id })).status).toBe(302);
      expect((await row(id)).status).toBe('draft');
      expect((await post(detailsAction, base, owner.cookie, { intent: 'unpublish' }, { id })).status).toBe(409);
      expect((await post(detailsAction, base, owner.cookie, { intent: 'restore' }, { id })).status).toBe(409);
      expect((await post(detailsAction, base, owner.cookie, { intent: 'archive' }, { id })).status).toBe(302);
      expect((await row(id)).status).toBe('archived');
      expect((await post(detailsAction, base, owner.cookie, { intent: 'restore' }, { id })).status).toBe(302);
      expect((await row(id)).status).toBe('draft');
      expect(await audits(id)).toEqual(['offering.created', 'offering.published', 'offering.unpublished', 'offering.archived', 'offering.restored']);
    });

    it('adds trainers by email, refuses people without the role, and never removes the last one', async () => {
      const { id } = await offeringOf('webinar', 'Team');
      const base = `/trainer/offerings/${id}`;
      const noRole = await post(detailsAction, base, owner.cookie, { intent: 'addTrainer', email: participant.email }, { id });
      expect(noRole.status).toBe(400);
      expect(noRole.data.result.error.email).toEqual(['authoring.errors.noSuchTrainer']);
      const badEmail = await post(detailsAction, base, owner.cookie, { intent: 'addTrainer', email: 'x'.repeat(1_000_000) }, { id });
      expect(badEmail.status).toBe(400);
      expect((await post(detailsAction, base, owner.cookie, { intent: 'addTrainer', email: otherTrainer.email.toUpperCase() }, { id })).status).toBe(302);
      const again = await post(detailsAction, base, owner.cookie, { intent: 'addTrainer', email: otherTrainer.email }, { id });
      expect(again.status).toBe(409);
      // The added trainer may now edit.
      expect((await get(detailsLoader, base, otherTrainer.cookie, { id })).data.canEdit).toBe(true);

      expect((await post(detailsAction, base, owner.cookie, { intent: 'removeTrainer', userId: otherTrainer.id }, { id })).status).toBe(302);
      const last = await post(detailsAction, base, owner.cookie, { intent: 'removeTrainer', userId: owner.id }, { id });
      expect(last.status).toBe(409);
      expect(last.data.result.error['']).toEqual(['authoring.errors.lastTrainer']);
      expect((await post(detailsAction, base, owner.cookie, { intent: 'removeTrainer', userId: 'nope' }, { id })).status).toBe(400);
      const trainers = await ctx.db.select().from(offeringTrainers).where(eq(offeringTrainers.offeringId, id));
      expect(trainers.map((t) => t.userId)).toEqual([owner.id]);
      expect(await audits(id)).toEqual(['offering.created', 'offering.trainer_added', 'offering.trainer_removed']);
    });
  });

  describe('live sessions', () => {
    const sessionForm = (overrides: FormValues = {}): FormValues => ({
      intent: 'add',
      title: 'Live session',
      startsAt: '2026-05-04T15:00',
      durationMinutes: '60',
      joinUrl: 'https://meet.example.org/abc',
      capacityNote: '',
      ...overrides,
    });

    it('adds, edits and removes sessions, keeping a live offering’s window from them', async () => {
      const { id } = await offeringOf('online_event', 'Event');
      const path = `/trainer/offerings/${id}/sessions`;
      expect((await post(sessionsAction, path, owner.cookie, sessionForm({ title: 'Opening' }), { id })).status).toBe(302);
      expect(
        (await post(sessionsAction, path, owner.cookie, sessionForm({ title: 'Closing', startsAt: '2026-05-05T14:00', durationMinutes: '90' }), { id })).status,
      ).toBe(302);
      let offering = await row(id);
      expect(offering.startsAt!.toISOString()).toBe('2026-05-04T13:00:00.000Z');
      expect(offering.endsAt!.toISOString()).toBe('2026-05-05T13:30:00.000Z');

      const page = await get(sessionsLoader, path, owner.cookie, { id });
      expect(page.data.sessions.map((s: { title: string }) => s.title)).toEqual(['Opening', 'Closing']);
      const closing = page.data.sessions[1];
      const edit = await get(sessionsLoader, `${path}?edit=${closing.id}`, owner.cookie, { id });
      expect(edit.data.editing).toMatchObject({ title: 'Closing', startsAt: '2026-05-05T14:00', durationMinutes: '90' });
      expect((await get(sessionsLoader, `${path}?edit=not-an-id`, owner.cookie, { id })).status).toBe(404);

      const updated = await post(
        sessionsAction,
        path,
        owner.cookie,
        sessionForm({ intent: 'update', sessionId: closing.id, title: 'Closing', startsAt: '2026-05-06T14:00' }),
        { id },
      );
      expect(updated.status).toBe(302);
      const [moved] = await ctx.db.select().from(liveSessions).where(eq(liveSessions.id, closing.id));
      expect(moved).toMatchObject({ sequence: 1, organiserTimeZone: ZONE });
      offering = await row(id);
      expect(offering.endsAt!.toISOString()).toBe('2026-05-06T13:00:00.000Z');

      expect((await post(sessionsAction, path, owner.cookie, { intent: 'remove', sessionId: closing.id }, { id })).status).toBe(302);
      offering = await row(id);
      expect(offering.endsAt!.toISOString()).toBe('2026-05-04T14:00:00.000Z');
      expect((await post(sessionsAction, path, owner.cookie, { intent: 'remove', sessionId: closing.id }, { id })).status).toBe(404);
      expect((await post(sessionsAction, path, owner.cookie, { intent: 'remove', sessionId: 'garbage' }, { id })).status).toBe(404);
    });

    it('keeps each session’s attendance threshold: 75 % unless the trainer sets another', async () => {
      const { id } = await offeringOf('online_event', 'Thresholds');
      const path = `/trainer/offerings/${id}/sessions`;
      expect((await post(sessionsAction, path, owner.cookie, sessionForm({ title: 'Default' }), { id })).status).toBe(302);
      expect((await post(sessionsAction, path, owner.cookie, sessionForm({ title: 'Strict', attendanceThresholdPercent: '90' }), { id })).status).toBe(302);
      const rows = await ctx.db.select().from(liveSessions).where(eq(liveSessions.offeringId, id));
      expect(Object.fromEntries(rows.map((r) => [r.title, r.attendanceThresholdPercent]))).toEqual({ Default: 75, Strict: 90 });
      const strict = rows.find((r) => r.title === 'Strict')!;
      const edit = await get(sessionsLoader, `${path}?edit=${strict.id}`, owner.cookie, { id });
      expect(edit.data.editing).toMatchObject({ attendanceThresholdPercent: '90' });
    });

    it('shows the organiser’s time beside the viewer’s when their zones differ', async () => {
      const { id } = await offeringOf('webinar', 'Zones');
      await post(sessionsAction, `/trainer/offerings/${id}/sessions`, owner.cookie, sessionForm(), { id });
      const page = await get(sessionsLoader, `/trainer/offerings/${id}/sessions`, owner.cookie, { id });
      expect(page.data.viewerTimeZone).toBe('America/New_York');
      expect(page.data.sessions[0].organiserTimeZone).toBe(ZONE);
    });

    it.each([
      ['a start the clocks skip', { startsAt: '2026-03-29T02:30' }, 'startsAt', 'authoring.errors.nonexistentTime'],
      ['a start that happens twice', { startsAt: '2026-10-25T02:30' }, 'startsAt', 'authoring.errors.ambiguousTime'],
      ['a malformed start', { startsAt: 'tomorrow' }, 'startsAt', 'authoring.errors.invalidDateTime'],
      ['a plain http link', { joinUrl: 'http://meet.example.org/abc' }, 'joinUrl', 'authoring.errors.httpsOnly'],
      ['a javascript: link', { joinUrl: 'javascript:alert(1)' }, 'joinUrl', 'authoring.errors.httpsOnly'],
      ['a 1 MB link', { joinUrl: `https://x.org/${'a'.repeat(1_000_000)}` }, 'joinUrl', 'errors.tooLong|{"max":2000}'],
      ['a 3-minute session', { durationMinutes: '3' }, 'durationMinutes', 'authoring.errors.wholeNumberBetween|{"min":5,"max":1440}'],
      ['no title', { title: '' }, 'title', 'errors.required'],
      ['an attendance threshold of 5 %', { attendanceThresholdPercent: '5' }, 'attendanceThresholdPercent', 'authoring.errors.wholeNumberBetween|{"min":10,"max":100}'],
      ['an attendance threshold over 100 %', { attendanceThresholdPercent: '101' }, 'attendanceThresholdPercent', 'authoring.errors.wholeNumberBetween|{"min":10,"max":100}'],
    ])('refuses %s with 400 and the message on the field', async (_label, changes, field, expected) => {
      const { id } = await offeringOf('webinar', 'Bad session');
      const outcome = await post(sessionsAction, `/trainer/offerings/${id}/sessions`, owner.cookie, sessionForm(changes), { id });
      expect(outcome.status).toBe(400);
      expect(outcome.data.result.error[field]).toEqual([expected]);
      expect(await ctx.db.select().from(liveSessions).where(eq(liveSessions.offeringId, id))).toEqual([]);
    });

    it('refuses an edit of a session of another offering', async () => {
      const a = await offeringOf('webinar', 'A');
      const b = await offeringOf('webinar', 'B');
      await post(sessionsAction, `/trainer/offerings/${a.id}/sessions`, owner.cookie, sessionForm(), { id: a.id });
      const [theirs] = await ctx.db.select().from(liveSessions).where(eq(liveSessions.offeringId, a.id));
      const outcome = await post(
        sessionsAction,
        `/trainer/offerings/${b.id}/sessions`,
        owner.cookie,
        sessionForm({ intent: 'update', sessionId: theirs!.id }),
        { id: b.id },
      );
      expect(outcome.status).toBe(404);
    });

    it('publishes a webinar, then refuses removing or stretching its only session', async () => {
      const { id } = await offeringOf('webinar', 'Published webinar');
      const path = `/trainer/offerings/${id}/sessions`;
      await post(sessionsAction, path, owner.cookie, sessionForm(), { id });
      const form = moocForm({
        intent: 'publish',
        enrolmentOpensAt: '2026-04-01T09:00',
        enrolmentClosesAt: '2026-05-04T15:00',
        completionDeadline: '2026-05-04T16:00',
        expectedHours: '1',
      });
      const published = await post(detailsAction, `/trainer/offerings/${id}`, owner.cookie, form, { id });
      expect(published.status).toBe(302);
      expect((await row(id)).status).toBe('published');

      const [only] = await ctx.db.select().from(liveSessions).where(eq(liveSessions.offeringId, id));
      const removal = await post(sessionsAction, path, owner.cookie, { intent: 'remove', sessionId: only!.id }, { id });
      expect(removal.status).toBe(400);
      expect(removal.data.error).toContain('offerings.rules.webinarOneSession|{"count":0}');
      const stretch = await post(sessionsAction, path, owner.cookie, sessionForm({ intent: 'update', sessionId: only!.id, durationMinutes: '240' }), { id });
      expect(stretch.status).toBe(400);
      expect(stretch.data.result.error['']).toContain('offerings.rules.webinarLength|{"minutes":240}');
      const second = await post(sessionsAction, path, owner.cookie, sessionForm({ startsAt: '2026-05-04T17:00' }), { id });
      expect(second.status).toBe(400);
      const sessions = await ctx.db.select().from(liveSessions).where(eq(liveSessions.offeringId, id));
      expect(sessions).toEqual([only]);
      expect((await row(id)).endsAt!.toISOString()).toBe('2026-05-04T14:00:00.000Z');
    });
  });

  describe('copy form', () => {
    it.each([
      ['no choice', {}, 'shiftBy'],
      ['a start date without a date', { shiftBy: 'start' }, 'startDate'],
      ['a malformed date', { shiftBy: 'start', startDate: '2027-02-30' }, 'startDate'],
      ['a 1 MB date', { shiftBy: 'start', startDate: '9'.repeat(1_000_000) }, 'startDate'],
      ['a gap of zero', { shiftBy: 'gap', gapAmount: '0', gapUnit: 'weeks' }, 'gapAmount'],
      ['an unknown unit', { shiftBy: 'gap', gapAmount: '3', gapUnit: 'fortnights' }, 'gapUnit'],
      ['a start date when the source has none', { shiftBy: 'start', startDate: '2027-03-01' }, 'startDate'],
    ])('refuses %s with 400 on the field', async (_label, form, field) => {
      const { id } = await offeringOf('mooc', 'Copy source');
      const outcome = await post(copyAction, `/trainer/offerings/${id}/copy`, owner.cookie, form, { id });
      expect(outcome.status).toBe(400);
      expect(Object.keys(outcome.data.result.error)).toContain(field);
      expect(
        await ctx.db
          .select()
          .from(offerings)
          .where(and(eq(offerings.previousEditionId, id))),
      ).toEqual([]);
    });
  });
});
