import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activities, activityProgress, auditLog, liveSessions, modules, offeringTrainers, offerings, type QuizQuestion } from '#db/schema';
import { message } from '~/modules/forms/messages';
import { serverT } from '~/modules/i18n/i18n';
import { publishProblems } from '~/modules/offerings/rules';
import { publishFacts } from '~/modules/offerings/publishing.server';
import { loadStructure } from '~/modules/offerings/structure.server';
import { toZonedLocal } from '~/modules/time/zoned';
import { action as activityAction, loader as activityLoader } from '~/routes/trainer.offerings.$id.activities.$activityId';
import { action as structureAction, loader as structureLoader } from '~/routes/trainer.offerings.$id.structure';
import { createTestContext, recordingJobQueue, type TestContext } from '../support/context';
import { createUser, signIn } from '../support/factories';
import { makeRequest, requestContext } from '../support/requests';

/** What a Remix loader or action returned or threw, as status, headers and body. */
async function outcome(run: () => Promise<unknown>) {
  let value: unknown;
  try {
    value = await run();
  } catch (thrown) {
    value = thrown;
  }
  if (value instanceof Response) return { status: value.status, headers: value.headers, body: null as Record<string, unknown> | null };
  const withInit = value as { type?: string; data?: Record<string, unknown>; init?: { status?: number; headers?: Record<string, string> } };
  if (withInit && withInit.type === 'DataWithResponseInit') {
    return { status: withInit.init?.status ?? 200, headers: new Headers(withInit.init?.headers), body: withInit.data ?? null };
  }
  return { status: 200, headers: new Headers(), body: value as Record<string, unknown> };
}

function errorsOf(body: Record<string, unknown> | null): Record<string, string[]> {
  return ((body?.result as { error?: Record<string, string[]> } | undefined)?.error ?? {}) as Record<string, string[]>;
}

const ZONE = 'Europe/Oslo';

describe('offering structure', () => {
  let ctx: TestContext;
  let trainerCookie: string;
  let otherTrainerCookie: string;
  let participantCookie: string;
  let adminCookie: string;
  let trainerId: string;
  let participants: string[];

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    const trainer = await createUser(ctx.db, { roles: [{ role: 'trainer' }], timeZone: 'America/New_York' });
    const otherTrainer = await createUser(ctx.db, { roles: [{ role: 'trainer' }] });
    const participant = await createUser(ctx.db);
    const admin = await createUser(ctx.db, { roles: [{ role: 'admin' }] });
    trainerId = trainer.id;
    trainerCookie = await signIn(ctx, trainer.id);
    otherTrainerCookie = await signIn(ctx, otherTrainer.id);
    participantCookie = await signIn(ctx, participant.id);
    adminCookie = await signIn(ctx, admin.id);
    participants = [participant.id, (await createUser(ctx.db)).id, (await createUser(ctx.db)).id];
  });
  afterAll(async () => {
    await ctx?.close();
  });

  async function makeOffering(overrides: Partial<typeof offerings.$inferInsert> = {}) {
    const suffix = randomBytes(4).toString('hex');
    const [row] = await ctx.db
      .insert(offerings)
      .values({
        slug: `structure-${suffix}`,
        kind: 'mooc',
        title: `Teaching with data ${suffix}`,
        language: 'en',
        organiserTimeZone: ZONE,
        // Monday 16 March 2026, 09:00 in Oslo (CET, UTC+1).
        startsAt: new Date('2026-03-16T08:00:00Z'),
        endsAt: new Date('2026-04-27T08:00:00Z'),
        ...overrides,
      })
      .returning({ id: offerings.id });
    await ctx.db.insert(offeringTrainers).values({ offeringId: row!.id, userId: trainerId });
    return row!.id;
  }

  async function insertModule(offeringId: string, position: number, title = `Module ${position}`) {
    const [row] = await ctx.db.insert(modules).values({ offeringId, position, title }).returning({ id: modules.id });
    return row!.id;
  }

  async function insertActivity(offeringId: string, moduleId: string | null, position: number, overrides: Partial<typeof activities.$inferInsert> = {}) {
    const [row] = await ctx.db
      .insert(activities)
      .values({ offeringId, moduleId, position, kind: 'page', title: `Activity ${position}`, content: { kind: 'page', body: '', videoUrl: '' }, ...overrides })
      .returning({ id: activities.id });
    return row!.id;
  }

  const structureUrl = (id: string) => `/trainer/offerings/${id}/structure`;
  const activityUrl = (id: string, activityId: string) => `/trainer/offerings/${id}/activities/${activityId}`;

  const postStructure = (offeringId: string, form: Record<string, string> | URLSearchParams, cookie = trainerCookie) =>
    outcome(() =>
      structureAction({ request: makeRequest(structureUrl(offeringId), { form, cookie }), context: requestContext(ctx), params: { id: offeringId } }),
    );
  const getStructure = (offeringId: string, cookie = trainerCookie) =>
    outcome(() => structureLoader({ request: makeRequest(structureUrl(offeringId), { cookie }), context: requestContext(ctx), params: { id: offeringId } }));
  const postActivity = (offeringId: string, activityId: string, form: Record<string, string> | URLSearchParams, cookie = trainerCookie) =>
    outcome(() =>
      activityAction({
        request: makeRequest(activityUrl(offeringId, activityId), { form, cookie }),
        context: requestContext(ctx),
        params: { id: offeringId, activityId },
      }),
    );
  const getActivity = (offeringId: string, activityId: string, cookie = trainerCookie) =>
    outcome(() =>
      activityLoader({ request: makeRequest(activityUrl(offeringId, activityId), { cookie }), context: requestContext(ctx), params: { id: offeringId, activityId } }),
    );

  const moduleRows = (offeringId: string) => ctx.db.select().from(modules).where(eq(modules.offeringId, offeringId)).orderBy(asc(modules.position));
  const activityRow = async (id: string) => (await ctx.db.select().from(activities).where(eq(activities.id, id)))[0];

  describe('modules', () => {
    it('adds modules at the end, with the release time read in the organiser zone', async () => {
      const id = await makeOffering();
      const first = await postStructure(id, { intent: 'addModule', title: 'Getting started', summary: 'Who we are', releaseAt: '2026-03-16T09:00' });
      expect(first.status).toBe(302);
      const second = await postStructure(id, { intent: 'addModule', title: 'Data literacy', releaseAt: '' });
      expect(second.status).toBe(302);
      const rows = await moduleRows(id);
      expect(rows.map((m) => [m.position, m.title])).toEqual([
        [1, 'Getting started'],
        [2, 'Data literacy'],
      ]);
      expect(rows[0]!.releaseAt?.toISOString()).toBe('2026-03-16T08:00:00.000Z');
      expect(rows[0]!.summary).toBe('Who we are');
      expect(rows[1]!.releaseAt).toBeNull();
      expect(first.headers.get('location')).toBe(`${structureUrl(id)}#module-${rows[0]!.id}`);
    });

    it('refuses bad module input with 400 and messages on the fields', async () => {
      const id = await makeOffering();
      const cases: [Record<string, string>, string, string][] = [
        [{ title: '' }, 'title', 'errors.required'],
        [{ title: 'x'.repeat(1_000_000) }, 'title', 'errors.tooLong'],
        // 02:30 does not exist in Oslo on 29 March 2026: the clocks jump from 02:00 to 03:00.
        [{ title: 'Gap', releaseAt: '2026-03-29T02:30' }, 'releaseAt', 'structure.errors.timeSkipped'],
        [{ title: 'Twice', releaseAt: '2026-10-25T02:30' }, 'releaseAt', 'structure.errors.timeAmbiguous'],
        [{ title: 'Nonsense', releaseAt: 'next tuesday' }, 'releaseAt', 'structure.errors.timeInvalid'],
      ];
      for (const [form, field, key] of cases) {
        const result = await postStructure(id, { intent: 'addModule', ...form });
        expect(result.status).toBe(400);
        expect(errorsOf(result.body)[field]?.[0]).toMatch(new RegExp(`^${key.replaceAll('.', '\\.')}`));
      }
      expect(await moduleRows(id)).toHaveLength(0);
    });

    it('reads day offsets for self-paced offerings and leaves release times alone', async () => {
      const id = await makeOffering({ pacingMode: 'self_paced' });
      expect((await postStructure(id, { intent: 'addModule', title: 'Later', releaseOffsetDays: '14', releaseAt: '2026-03-16T09:00' })).status).toBe(302);
      const bad = await postStructure(id, { intent: 'addModule', title: 'Too late', releaseOffsetDays: '400' });
      expect(bad.status).toBe(400);
      expect(errorsOf(bad.body).releaseOffsetDays).toBeDefined();
      const [row] = await moduleRows(id);
      expect(row).toMatchObject({ releaseOffsetDays: 14, releaseAt: null });
    });

    it('edits a module and moves modules up and down, renumbering positions', async () => {
      const id = await makeOffering();
      const a = await insertModule(id, 1, 'A');
      const b = await insertModule(id, 2, 'B');
      // A gap, as left by an older removal: moves close it.
      const c = await insertModule(id, 5, 'C');
      expect((await postStructure(id, { intent: 'editModule', moduleId: b, title: 'B renamed', summary: 'Now with a summary', releaseAt: '2026-03-23T09:00' })).status).toBe(302);
      expect((await postStructure(id, { intent: 'moveModule', moduleId: c, direction: 'up' })).status).toBe(302);
      expect((await moduleRows(id)).map((m) => [m.id, m.position])).toEqual([
        [a, 1],
        [c, 2],
        [b, 3],
      ]);
      // The first cannot go further up: nothing changes, nothing fails.
      expect((await postStructure(id, { intent: 'moveModule', moduleId: a, direction: 'up' })).status).toBe(302);
      expect((await postStructure(id, { intent: 'moveModule', moduleId: a, direction: 'down' })).status).toBe(302);
      const rows = await moduleRows(id);
      expect(rows.map((m) => m.title)).toEqual(['C', 'A', 'B renamed']);
      expect(rows[2]).toMatchObject({ summary: 'Now with a summary', releaseAt: new Date('2026-03-23T08:00:00Z') });
    });

    it('answers 404 for malformed or foreign module ids and 400 for an unknown direction or intent', async () => {
      const id = await makeOffering();
      const foreign = await insertModule(await makeOffering(), 1);
      expect((await postStructure(id, { intent: 'moveModule', moduleId: 'not-a-uuid', direction: 'up' })).status).toBe(404);
      expect((await postStructure(id, { intent: 'moveModule', moduleId: foreign, direction: 'up' })).status).toBe(404);
      expect((await postStructure(id, { intent: 'editModule', moduleId: foreign, title: 'Mine now' })).status).toBe(404);
      expect((await postStructure(id, { intent: 'removeModule', moduleId: foreign })).status).toBe(404);
      const own = await insertModule(id, 1);
      expect((await postStructure(id, { intent: 'moveModule', moduleId: own, direction: 'sideways' })).status).toBe(400);
      expect((await postStructure(id, { intent: 'explode' })).status).toBe(400);
      expect((await postStructure(id, {})).status).toBe(400);
    });

    it('refuses modules for live kinds', async () => {
      const id = await makeOffering({ kind: 'webinar_series' });
      const result = await postStructure(id, { intent: 'addModule', title: 'Nope' });
      expect(result.status).toBe(400);
      expect(errorsOf(result.body)['']).toEqual(['structure.errors.noModules']);
    });
  });

  describe('weekly schedule helper', () => {
    it('creates N modules a week apart that open at 09:00 Oslo time across the March 2026 clock change', async () => {
      const id = await makeOffering();
      await insertModule(id, 1, 'Welcome');
      const result = await postStructure(id, { intent: 'weekly', count: '4' });
      expect(result.status).toBe(302);
      const rows = await moduleRows(id);
      expect(rows.map((m) => m.title)).toEqual(['Welcome', 'Week 1', 'Week 2', 'Week 3', 'Week 4']);
      expect(rows.map((m) => m.position)).toEqual([1, 2, 3, 4, 5]);
      const weeks = rows.slice(1);
      expect(weeks.map((m) => m.releaseAt!.toISOString())).toEqual([
        '2026-03-16T08:00:00.000Z',
        '2026-03-23T08:00:00.000Z',
        // Summer time from 29 March: 09:00 in Oslo is 07:00 UTC.
        '2026-03-30T07:00:00.000Z',
        '2026-04-06T07:00:00.000Z',
      ]);
      expect(weeks.map((m) => toZonedLocal(m.releaseAt, ZONE))).toEqual(['2026-03-16T09:00', '2026-03-23T09:00', '2026-03-30T09:00', '2026-04-06T09:00']);
    });

    it('titles the weeks in the trainer language', async () => {
      const nbTrainer = await createUser(ctx.db, { roles: [{ role: 'trainer' }], locale: 'nb' });
      const id = await makeOffering();
      await ctx.db.insert(offeringTrainers).values({ offeringId: id, userId: nbTrainer.id });
      expect((await postStructure(id, { intent: 'weekly', count: '2' }, await signIn(ctx, nbTrainer.id))).status).toBe(302);
      const t = serverT('nb');
      expect((await moduleRows(id)).map((m) => m.title)).toEqual([t('structure.weekly.weekTitle', { n: 1 }), t('structure.weekly.weekTitle', { n: 2 })]);
    });

    it('counts days for self-paced offerings', async () => {
      const id = await makeOffering({ pacingMode: 'self_paced', startsAt: null });
      expect((await postStructure(id, { intent: 'weekly', count: '3' })).status).toBe(302);
      expect((await moduleRows(id)).map((m) => [m.releaseOffsetDays, m.releaseAt])).toEqual([
        [0, null],
        [7, null],
        [14, null],
      ]);
    });

    it('refuses without a start date, and outside 1 to 12 weeks', async () => {
      const undated = await makeOffering({ startsAt: null, endsAt: null });
      const noStart = await postStructure(undated, { intent: 'weekly', count: '4' });
      expect(noStart.status).toBe(400);
      expect(errorsOf(noStart.body)['']).toEqual(['structure.errors.noStart']);
      const id = await makeOffering();
      for (const count of ['0', '13', 'four', '']) {
        const result = await postStructure(id, { intent: 'weekly', count });
        expect(result.status).toBe(400);
        expect(errorsOf(result.body).count?.[0]).toMatch(/^structure\.errors\.wholeNumber/);
      }
      expect(await moduleRows(undated)).toHaveLength(0);
      expect(await moduleRows(id)).toHaveLength(0);
    });
  });

  describe('activities', () => {
    it('adds an activity to a module and opens its editor', async () => {
      const id = await makeOffering();
      const moduleId = await insertModule(id, 1);
      const result = await postStructure(id, { intent: 'addActivity', moduleId, kind: 'quiz', title: 'Check yourself' });
      expect(result.status).toBe(302);
      const [row] = await ctx.db.select().from(activities).where(eq(activities.moduleId, moduleId));
      // Optional until the trainer saves it with real content: an empty quiz must not block anyone's completion.
      expect(row).toMatchObject({ kind: 'quiz', title: 'Check yourself', position: 1, required: false });
      expect(row!.content).toMatchObject({ kind: 'quiz', questions: [] });
      expect(result.headers.get('location')).toBe(activityUrl(id, row!.id));
    });

    it('refuses a wrong kind, a missing title and a malformed module id', async () => {
      const id = await makeOffering();
      const moduleId = await insertModule(id, 1);
      const wrongKind = await postStructure(id, { intent: 'addActivity', moduleId, kind: 'essay', title: 'X' });
      expect(wrongKind.status).toBe(400);
      expect(errorsOf(wrongKind.body).kind).toEqual(['errors.invalidChoice']);
      const noTitle = await postStructure(id, { intent: 'addActivity', moduleId, kind: 'page', title: '   ' });
      expect(noTitle.status).toBe(400);
      expect(errorsOf(noTitle.body).title).toEqual(['errors.required']);
      expect((await postStructure(id, { intent: 'addActivity', moduleId: '123', kind: 'page', title: 'X' })).status).toBe(404);
      const noModule = await postStructure(id, { intent: 'addActivity', moduleId: '', kind: 'page', title: 'X' });
      expect(noModule.status).toBe(400);
      expect(errorsOf(noModule.body)['']).toEqual(['structure.errors.moduleRequired']);
      expect(await ctx.db.select().from(activities).where(eq(activities.offeringId, id))).toHaveLength(0);
    });

    it('adds offering-level tasks to live kinds, and no live-session task there', async () => {
      const id = await makeOffering({ kind: 'webinar_series' });
      expect((await postStructure(id, { intent: 'addActivity', moduleId: '', kind: 'assignment', title: 'Try it in class' })).status).toBe(302);
      const live = await postStructure(id, { intent: 'addActivity', kind: 'live_session', title: 'Another webinar' });
      expect(live.status).toBe(400);
      expect(errorsOf(live.body).kind).toEqual(['structure.errors.liveAtOfferingLevel']);
      const rows = await ctx.db.select().from(activities).where(eq(activities.offeringId, id));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ moduleId: null, kind: 'assignment' });
    });

    it('reorders activities within their module only', async () => {
      const id = await makeOffering();
      const m1 = await insertModule(id, 1);
      const m2 = await insertModule(id, 2);
      const a = await insertActivity(id, m1, 1);
      const b = await insertActivity(id, m1, 2);
      const c = await insertActivity(id, m1, 3);
      const other = await insertActivity(id, m2, 1);
      expect((await postStructure(id, { intent: 'moveActivity', activityId: c, direction: 'up' })).status).toBe(302);
      expect((await postStructure(id, { intent: 'moveActivity', activityId: a, direction: 'down' })).status).toBe(302);
      const rows = await ctx.db.select().from(activities).where(eq(activities.moduleId, m1)).orderBy(asc(activities.position));
      expect(rows.map((r) => r.id)).toEqual([c, a, b]);
      expect(rows.map((r) => r.position)).toEqual([1, 2, 3]);
      expect((await activityRow(other))!.position).toBe(1);
      expect((await postStructure(id, { intent: 'moveActivity', activityId: 'x', direction: 'up' })).status).toBe(404);
    });

    it('lists modules with their activities in order for the viewer, due dates as instants', async () => {
      const id = await makeOffering();
      const m1 = await insertModule(id, 2, 'Second');
      const m2 = await insertModule(id, 1, 'First');
      await insertActivity(id, m1, 2, { title: 'Later', required: false, estimatedMinutes: 45 });
      await insertActivity(id, m1, 1, { title: 'Sooner', dueAt: new Date('2026-03-20T16:00:00Z') });
      await insertActivity(id, m2, 1, { title: 'Gone', removedAt: new Date() });
      const result = await getStructure(id);
      expect(result.status).toBe(200);
      const body = result.body as Awaited<ReturnType<typeof structureLoader>>;
      expect(body.canEdit).toBe(true);
      expect(body.timeZone).toBe('America/New_York');
      expect(body.modules.map((m) => [m.title, m.activities.map((a) => a.title)])).toEqual([
        ['First', []],
        ['Second', ['Sooner', 'Later']],
      ]);
      expect(body.modules[1]!.activities[0]!.dueAt).toEqual(new Date('2026-03-20T16:00:00Z'));
      expect(body.modules[1]!.activities[1]).toMatchObject({ required: false, estimatedMinutes: 45 });
      expect(body.removed.map((a) => a.title)).toEqual(['Gone']);
    });
  });

  describe('activity editor', () => {
    it('saves the common fields and a page, with the due date in the organiser zone', async () => {
      const id = await makeOffering();
      const activityId = await insertActivity(id, await insertModule(id, 1), 1);
      const result = await postActivity(id, activityId, {
        intent: 'save',
        title: 'Reading: formative assessment',
        required: 'on',
        estimatedMinutes: '40',
        dueAt: '2026-03-30T17:00',
        body: '# Why it matters\n\nRead *this* first.',
        videoUrl: 'https://video.example.org/watch/42',
      });
      expect(result.status).toBe(302);
      expect(result.headers.get('location')).toBe(activityUrl(id, activityId));
      const row = await activityRow(activityId);
      expect(row).toMatchObject({ title: 'Reading: formative assessment', required: true, estimatedMinutes: 40, dueAt: new Date('2026-03-30T15:00:00Z') });
      expect(row!.content).toEqual({ kind: 'page', body: '# Why it matters\n\nRead *this* first.', videoUrl: 'https://video.example.org/watch/42' });
      // Unticked means optional; an empty due date clears it.
      expect((await postActivity(id, activityId, { title: 'Reading', estimatedMinutes: '0', dueAt: '', body: '' })).status).toBe(302);
      expect(await activityRow(activityId)).toMatchObject({ required: false, dueAt: null, estimatedMinutes: 0 });
    });

    it('refuses overlong, insecure and out-of-range page input with 400 and keeps the stored page', async () => {
      const id = await makeOffering();
      const activityId = await insertActivity(id, await insertModule(id, 1), 1, { content: { kind: 'page', body: 'Kept', videoUrl: '' } });
      const cases: [Record<string, string>, string, RegExp][] = [
        [{ body: 'x'.repeat(1_000_000) }, 'body', /^errors\.tooLong/],
        [{ videoUrl: 'http://video.example.org/1' }, 'videoUrl', /^structure\.errors\.httpsOnly/],
        [{ videoUrl: 'javascript:alert(1)' }, 'videoUrl', /^structure\.errors\.httpsOnly/],
        [{ estimatedMinutes: '6001' }, 'estimatedMinutes', /^structure\.errors\.wholeNumber/],
        [{ estimatedMinutes: '-5' }, 'estimatedMinutes', /^structure\.errors\.wholeNumber/],
        [{ estimatedMinutes: '2.5' }, 'estimatedMinutes', /^structure\.errors\.wholeNumber/],
        [{ title: '' }, 'title', /^errors\.required/],
        [{ dueAt: '2026-03-29T02:15' }, 'dueAt', /^structure\.errors\.timeSkipped/],
      ];
      for (const [change, field, pattern] of cases) {
        const result = await postActivity(id, activityId, { title: 'Page', estimatedMinutes: '10', body: 'New', ...change });
        expect(result.status, field).toBe(400);
        expect(errorsOf(result.body)[field]?.[0]).toMatch(pattern);
      }
      expect((await activityRow(activityId))!.content).toEqual({ kind: 'page', body: 'Kept', videoUrl: '' });
    });

    it('previews Markdown without saving, sanitised', async () => {
      const id = await makeOffering();
      const activityId = await insertActivity(id, await insertModule(id, 1), 1, { content: { kind: 'page', body: 'Stored', videoUrl: '' } });
      const result = await postActivity(id, activityId, {
        intent: 'preview',
        title: 'Page',
        body: '# Heading\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) **bold**',
      });
      expect(result.status).toBe(200);
      const html = result.body!.previewHtml as string;
      expect(html).toContain('<h2>Heading</h2>');
      expect(html).toContain('<strong>bold</strong>');
      expect(html).not.toMatch(/script|javascript:/);
      expect((await activityRow(activityId))!.content).toEqual({ kind: 'page', body: 'Stored', videoUrl: '' });
      expect((await getActivity(id, activityId)).body!.previewHtml).toBe('<p>Stored</p>\n');
    });

    it('links a live-session activity to one of the offering sessions only', async () => {
      const id = await makeOffering();
      const [session] = await ctx.db
        .insert(liveSessions)
        .values({ offeringId: id, title: 'Kick-off', startsAt: new Date('2026-03-17T15:00:00Z'), organiserTimeZone: ZONE })
        .returning({ id: liveSessions.id });
      const [foreign] = await ctx.db
        .insert(liveSessions)
        .values({ offeringId: await makeOffering(), title: 'Elsewhere', startsAt: new Date('2026-03-17T15:00:00Z'), organiserTimeZone: ZONE })
        .returning({ id: liveSessions.id });
      const activityId = await insertActivity(id, await insertModule(id, 1), 1, { kind: 'live_session', content: { kind: 'live_session' } });
      const bad = await postActivity(id, activityId, { title: 'Join us', liveSessionId: foreign!.id });
      expect(bad.status).toBe(400);
      expect(errorsOf(bad.body).liveSessionId).toEqual(['structure.errors.chooseSession']);
      expect((await postActivity(id, activityId, { title: 'Join us', liveSessionId: session!.id })).status).toBe(302);
      expect(await activityRow(activityId)).toMatchObject({ liveSessionId: session!.id, content: { kind: 'live_session' } });
      const loaded = await getActivity(id, activityId);
      expect((loaded.body as { sessions: { id: string }[] }).sessions.map((s) => s.id)).toEqual([session!.id]);
    });

    it('saves assignment and discussion prompts', async () => {
      const id = await makeOffering();
      const moduleId = await insertModule(id, 1);
      const assignment = await insertActivity(id, moduleId, 1, { kind: 'assignment', content: { kind: 'assignment', prompt: '', submission: 'text' } });
      const discussion = await insertActivity(id, moduleId, 2, { kind: 'discussion', content: { kind: 'discussion', prompt: '' } });
      const noPrompt = await postActivity(id, assignment, { title: 'Plan a lesson', submission: 'link' });
      expect(noPrompt.status).toBe(400);
      expect(errorsOf(noPrompt.body).prompt).toEqual(['errors.required']);
      expect((await postActivity(id, assignment, { title: 'Plan a lesson', submission: 'pdf', prompt: 'Write it' })).status).toBe(400);
      expect((await postActivity(id, assignment, { title: 'Plan a lesson', submission: 'link', prompt: 'Share a **link**' })).status).toBe(302);
      expect((await postActivity(id, discussion, { title: 'Introduce yourself', prompt: 'Who are you?' })).status).toBe(302);
      expect((await activityRow(assignment))!.content).toEqual({ kind: 'assignment', prompt: 'Share a **link**', submission: 'link' });
      expect((await activityRow(discussion))!.content).toEqual({ kind: 'discussion', prompt: 'Who are you?' });
    });

    it('answers 404 for a malformed, removed or foreign activity id', async () => {
      const id = await makeOffering();
      const moduleId = await insertModule(id, 1);
      const removed = await insertActivity(id, moduleId, 1, { removedAt: new Date() });
      const otherOffering = await makeOffering();
      const foreign = await insertActivity(otherOffering, await insertModule(otherOffering, 1), 1);
      for (const activityId of ['not-a-uuid', removed, foreign, randomUUID()]) {
        expect((await getActivity(id, activityId)).status).toBe(404);
        expect((await postActivity(id, activityId, { title: 'X' })).status).toBe(404);
      }
    });
  });

  describe('quiz editor', () => {
    const quizForm = (questions: { id?: string; prompt: string; type: string; choices: { id?: string; label: string; correct?: boolean }[] }[], extra: Record<string, string> = {}) => {
      const form = new URLSearchParams({ intent: 'save', title: 'Check yourself', required: 'on', estimatedMinutes: '15', passMarkPercent: '70', attemptsAllowed: '3', intro: 'Five minutes.', ...extra });
      questions.forEach((q, i) => {
        if (q.id !== undefined) form.append(`questions[${i}].id`, q.id);
        form.append(`questions[${i}].prompt`, q.prompt);
        form.append(`questions[${i}].type`, q.type);
        q.choices.forEach((c, j) => {
          if (c.id !== undefined) form.append(`questions[${i}].choices[${j}].id`, c.id);
          form.append(`questions[${i}].choices[${j}].label`, c.label);
          if (c.correct) form.append(`questions[${i}].choices[${j}].correct`, 'on');
        });
      });
      return form;
    };
    let offeringId: string;
    let quizId: string;
    beforeAll(async () => {
      offeringId = await makeOffering();
      quizId = await insertActivity(offeringId, await insertModule(offeringId, 1), 1, {
        kind: 'quiz',
        content: { kind: 'quiz', intro: '', passMarkPercent: 80, attemptsAllowed: 0, questions: [] },
      });
    });

    it('names each question with a problem: no correct choice, several for single choice, too few choices', async () => {
      const result = await postActivity(
        offeringId,
        quizId,
        quizForm([
          { prompt: 'Fine', type: 'single', choices: [{ label: 'Yes', correct: true }, { label: 'No' }] },
          { prompt: 'None correct', type: 'multiple', choices: [{ label: 'A' }, { label: 'B' }] },
          { prompt: 'Two correct', type: 'single', choices: [{ label: 'A', correct: true }, { label: 'B', correct: true }] },
          { prompt: 'Lonely', type: 'single', choices: [{ label: 'A', correct: true }] },
        ]),
      );
      expect(result.status).toBe(400);
      const errors = errorsOf(result.body);
      expect(errors['questions[0]']).toBeUndefined();
      expect(errors['questions[1]']).toEqual(['structure.errors.noCorrectChoice']);
      expect(errors['questions[2]']).toEqual(['structure.errors.singleNeedsOne']);
      expect(errors['questions[3].choices']?.[0]).toMatch(/^structure\.errors\.choiceCount/);
      expect((await activityRow(quizId))!.content).toMatchObject({ questions: [] });
    });

    it('refuses a quiz without questions, a bad pass mark or attempts, malformed ids and nine choices', async () => {
      const ok = { prompt: 'Q', type: 'single', choices: [{ label: 'A', correct: true }, { label: 'B' }] };
      const empty = await postActivity(offeringId, quizId, quizForm([]));
      expect(empty.status).toBe(400);
      expect(errorsOf(empty.body).questions?.[0]).toMatch(/^structure\.errors\.questionCount/);
      const badNumbers = await postActivity(offeringId, quizId, quizForm([ok], { passMarkPercent: '101', attemptsAllowed: '11' }));
      expect(Object.keys(errorsOf(badNumbers.body)).sort()).toEqual(['attemptsAllowed', 'passMarkPercent']);
      const badId = await postActivity(offeringId, quizId, quizForm([{ ...ok, id: "1' or 1=1" }]));
      expect(badId.status).toBe(400);
      expect(errorsOf(badId.body)['questions[0].id']).toEqual(['structure.errors.badId']);
      const shared = randomUUID();
      const duplicate = await postActivity(offeringId, quizId, quizForm([{ ...ok, id: shared }, { ...ok, id: shared }]));
      expect(duplicate.status).toBe(400);
      expect(errorsOf(duplicate.body).questions).toEqual(['structure.errors.badId']);
      const nine = await postActivity(
        offeringId,
        quizId,
        quizForm([{ prompt: 'Many', type: 'multiple', choices: Array.from({ length: 9 }, (_, i) => ({ label: `C${i}`, correct: i === 0 })) }]),
      );
      expect(errorsOf(nine.body)['questions[0].choices']?.[0]).toMatch(/^structure\.errors\.choiceCount/);
      expect((await activityRow(quizId))!.content).toMatchObject({ questions: [] });
    });

    it('saves a valid quiz with fresh ids and keeps them across later edits', async () => {
      const first = await postActivity(
        offeringId,
        quizId,
        quizForm([
          { prompt: 'What is formative assessment?', type: 'single', choices: [{ label: 'Assessment for learning', correct: true }, { label: 'A final exam' }] },
          { prompt: 'Which help?', type: 'multiple', choices: [{ label: 'Exit tickets', correct: true }, { label: 'Peer review', correct: true }, { label: 'Silence' }] },
        ]),
      );
      expect(first.status).toBe(302);
      const saved = (await activityRow(quizId))!.content as { kind: 'quiz'; questions: QuizQuestion[]; passMarkPercent: number; attemptsAllowed: number };
      expect(saved).toMatchObject({ kind: 'quiz', passMarkPercent: 70, attemptsAllowed: 3, intro: 'Five minutes.' });
      expect(saved.questions.map((q) => [q.prompt, q.multiple, q.choices.map((c) => [c.label, c.correct])])).toEqual([
        ['What is formative assessment?', false, [['Assessment for learning', true], ['A final exam', false]]],
        ['Which help?', true, [['Exit tickets', true], ['Peer review', true], ['Silence', false]]],
      ]);
      const ids = saved.questions.flatMap((q) => [q.id, ...q.choices.map((c) => c.id)]);
      expect(new Set(ids).size).toBe(ids.length);
      for (const value of ids) expect(value).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

      // The editor posts the stored ids back: drop the first question, edit the second, add a third.
      const [q1, q2] = saved.questions as [QuizQuestion, QuizQuestion];
      const second = await postActivity(
        offeringId,
        quizId,
        quizForm(
          [
            {
              id: q2.id,
              prompt: 'Which help learning?',
              type: 'multiple',
              choices: [...q2.choices.map((c) => ({ id: c.id, label: c.label, correct: c.correct })), { label: 'Hinge questions', correct: true }],
            },
            { prompt: 'New one', type: 'single', choices: [{ label: 'Yes', correct: true }, { label: 'No' }] },
          ],
          { attemptsAllowed: '0' },
        ),
      );
      expect(second.status).toBe(302);
      const edited = (await activityRow(quizId))!.content as { questions: QuizQuestion[]; attemptsAllowed: number };
      expect(edited.attemptsAllowed).toBe(0);
      expect(edited.questions).toHaveLength(2);
      expect(edited.questions[0]!.id).toBe(q2.id);
      expect(edited.questions[0]!.prompt).toBe('Which help learning?');
      expect(edited.questions[0]!.choices.slice(0, 3).map((c) => c.id)).toEqual(q2.choices.map((c) => c.id));
      expect(edited.questions[0]!.choices[3]!.id).toMatch(/^[0-9a-f-]{36}$/);
      expect([q1.id, q2.id]).not.toContain(edited.questions[1]!.id);

      // The editor starts from what is stored, ids included.
      const loaded = (await getActivity(offeringId, quizId)).body as { defaultValue: { questions: { id: string }[] } };
      expect(loaded.defaultValue.questions.map((q) => q.id)).toEqual(edited.questions.map((q) => q.id));
    });

    it('adds and removes questions and choices as submit intents, saving nothing', async () => {
      const before = (await activityRow(quizId))!.content;
      const q = { prompt: 'Q', type: 'single', choices: [{ label: 'A', correct: true }, { label: 'B' }] };
      const add = quizForm([q]);
      add.set('__intent__', JSON.stringify({ type: 'insert', payload: { name: 'questions', defaultValue: { type: 'single', choices: [{}, {}] } } }));
      const added = await postActivity(offeringId, quizId, add);
      expect(added.status).toBe(200);
      const value = (added.body!.result as { initialValue: { questions: unknown[] } }).initialValue;
      expect(value.questions).toHaveLength(2);

      const remove = quizForm([q]);
      remove.set('__intent__', JSON.stringify({ type: 'remove', payload: { name: 'questions[0].choices', index: 1 } }));
      const removed = await postActivity(offeringId, quizId, remove);
      expect(removed.status).toBe(200);
      expect((removed.body!.result as { initialValue: { questions: { choices: unknown[] }[] } }).initialValue.questions[0]!.choices).toHaveLength(1);
      expect((await activityRow(quizId))!.content).toEqual(before);
    });

    it('answers 400, not 500, to forged intents and absurd list indexes', async () => {
      const forged: [string, string][] = [
        ['__intent__', '{not json'],
        ['__intent__', JSON.stringify({ type: 'remove', payload: { name: 'title', index: 0 } })],
        ['__intent__', JSON.stringify({ type: 'update', payload: { name: 'questions[99999999]', value: 'x' } })],
        ['questions[99999999].prompt', 'far away'],
      ];
      for (const [name, value] of forged) {
        const form = quizForm([{ prompt: 'Q', type: 'single', choices: [{ label: 'A', correct: true }, { label: 'B' }] }]);
        form.set(name, value);
        const result = await postActivity(offeringId, quizId, form);
        expect(result.status, `${name}=${value}`).toBe(400);
        expect(errorsOf(result.body)['']).toEqual(['structure.errors.badForm']);
      }
    });
  });

  describe('removal', () => {
    async function withProgress(offeringId: string, moduleId: string | null, position: number, users: string[]) {
      const activityId = await insertActivity(offeringId, moduleId, position);
      if (users.length > 0) await ctx.db.insert(activityProgress).values(users.map((userId) => ({ userId, activityId, status: 'done' as const })));
      return activityId;
    }
    const progressRows = (activityId: string) => ctx.db.select().from(activityProgress).where(eq(activityProgress.activityId, activityId));

    it('deletes an activity nobody has worked on', async () => {
      const id = await makeOffering();
      const moduleId = await insertModule(id, 1);
      const a = await withProgress(id, moduleId, 1, []);
      const b = await withProgress(id, moduleId, 2, []);
      const result = await postStructure(id, { intent: 'removeActivity', activityId: a });
      expect(result.status).toBe(302);
      expect(await activityRow(a)).toBeUndefined();
      expect((await activityRow(b))!.position).toBe(1);
      const [entry] = await ctx.db.select().from(auditLog).where(and(eq(auditLog.subjectType, 'activity'), eq(auditLog.subjectId, a)));
      expect(entry).toMatchObject({ action: 'activity.deleted', actorId: trainerId });
    });

    it('asks first when participants have progress, then hides the activity and keeps the progress rows', async () => {
      const id = await makeOffering();
      const moduleId = await insertModule(id, 1);
      const activityId = await withProgress(id, moduleId, 1, participants.slice(0, 2));

      const first = await postStructure(id, { intent: 'removeActivity', activityId });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ confirm: { kind: 'activity', id: activityId, participants: 2, title: 'Activity 1' } });
      expect((await activityRow(activityId))!.removedAt).toBeNull();

      const second = await postStructure(id, { intent: 'removeActivity', activityId, confirm: 'yes' });
      expect(second.status).toBe(302);
      expect((await activityRow(activityId))!.removedAt).toBeInstanceOf(Date);
      expect(await progressRows(activityId)).toHaveLength(2);

      const listed = (await getStructure(id)).body as Awaited<ReturnType<typeof structureLoader>>;
      expect(listed.modules[0]!.activities).toHaveLength(0);
      expect(listed.removed.map((a) => a.id)).toEqual([activityId]);
      const facts = await publishFacts(ctx.db, id);
      expect(facts).toEqual({ moduleCount: 1, activities: [] });
      // Already removed: nothing more to remove.
      expect((await postStructure(id, { intent: 'removeActivity', activityId, confirm: 'yes' })).status).toBe(404);
      expect((await getActivity(id, activityId)).status).toBe(404);

      // Restored, it is listed again at the end of the chosen module.
      expect((await postStructure(id, { intent: 'restoreActivity', activityId, moduleId })).status).toBe(302);
      expect(await activityRow(activityId)).toMatchObject({ removedAt: null, moduleId });
    });

    it('removes a module after confirmation, keeping the activities with progress hidden and deleting the rest', async () => {
      const id = await makeOffering();
      const keepModule = await insertModule(id, 1, 'Stays');
      const moduleId = await insertModule(id, 2, 'Goes');
      const last = await insertModule(id, 3, 'Moves up');
      const worked = await withProgress(id, moduleId, 1, participants);
      const untouched = await withProgress(id, moduleId, 2, []);

      const first = await postStructure(id, { intent: 'removeModule', moduleId });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ confirm: { kind: 'module', id: moduleId, participants: 3, title: 'Goes' } });
      expect(await moduleRows(id)).toHaveLength(3);

      expect((await postStructure(id, { intent: 'removeModule', moduleId, confirm: 'yes' })).status).toBe(302);
      expect((await moduleRows(id)).map((m) => [m.id, m.position])).toEqual([
        [keepModule, 1],
        [last, 2],
      ]);
      expect(await activityRow(untouched)).toBeUndefined();
      expect(await activityRow(worked)).toMatchObject({ moduleId: null });
      expect((await activityRow(worked))!.removedAt).toBeInstanceOf(Date);
      expect(await progressRows(worked)).toHaveLength(3);
    });

    it('removes a module without progress at once', async () => {
      const id = await makeOffering();
      const moduleId = await insertModule(id, 1);
      const activityId = await withProgress(id, moduleId, 1, []);
      expect((await postStructure(id, { intent: 'removeModule', moduleId })).status).toBe(302);
      expect(await moduleRows(id)).toHaveLength(0);
      expect(await activityRow(activityId)).toBeUndefined();
    });
  });

  describe('permissions', () => {
    let id: string;
    let moduleId: string;
    let activityId: string;
    beforeAll(async () => {
      id = await makeOffering();
      moduleId = await insertModule(id, 1);
      activityId = await insertActivity(id, moduleId, 1, { content: { kind: 'page', body: '**Hello**', videoUrl: '' } });
    });

    const everyAction = (): Record<string, string>[] => [
      { intent: 'addModule', title: 'M' },
      { intent: 'editModule', moduleId, title: 'M' },
      { intent: 'moveModule', moduleId, direction: 'down' },
      { intent: 'removeModule', moduleId, confirm: 'yes' },
      { intent: 'weekly', count: '2' },
      { intent: 'addActivity', moduleId, kind: 'page', title: 'A' },
      { intent: 'moveActivity', activityId, direction: 'down' },
      { intent: 'removeActivity', activityId, confirm: 'yes' },
      { intent: 'restoreActivity', activityId, moduleId },
    ];

    it('sends anonymous visitors to sign in', async () => {
      const result = await getStructure(id, '');
      expect(result.status).toBe(302);
      expect(result.headers.get('location')).toBe(`/login?redirectTo=${encodeURIComponent(structureUrl(id))}`);
      expect((await getActivity(id, activityId, '')).status).toBe(302);
      expect((await postStructure(id, { intent: 'addModule', title: 'M' }, '')).status).toBe(302);
      expect((await postActivity(id, activityId, { title: 'M' }, '')).status).toBe(302);
    });

    it('answers 404 to participants', async () => {
      expect((await getStructure(id, participantCookie)).status).toBe(404);
      expect((await getActivity(id, activityId, participantCookie)).status).toBe(404);
      for (const form of everyAction()) expect((await postStructure(id, form, participantCookie)).status).toBe(404);
      expect((await postActivity(id, activityId, { title: 'Mine' }, participantCookie)).status).toBe(404);
    });

    it('shows other trainers everything read-only and refuses every change with 404', async () => {
      const structure = await getStructure(id, otherTrainerCookie);
      expect(structure.status).toBe(200);
      expect(structure.body).toMatchObject({ canEdit: false });
      expect((structure.body as Awaited<ReturnType<typeof structureLoader>>).modules[0]!.activities.map((a) => a.id)).toEqual([activityId]);
      const activity = await getActivity(id, activityId, otherTrainerCookie);
      expect(activity.status).toBe(200);
      expect(activity.body).toMatchObject({ canEdit: false, previewHtml: '<p><strong>Hello</strong></p>\n' });
      for (const form of everyAction()) expect((await postStructure(id, form, otherTrainerCookie)).status, form.intent).toBe(404);
      expect((await postActivity(id, activityId, { title: 'Mine', body: '' }, otherTrainerCookie)).status).toBe(404);
      expect(await moduleRows(id)).toHaveLength(1);
      expect((await activityRow(activityId))!.title).toBe('Activity 1');
    });

    it('lets admins change any offering', async () => {
      const result = await postStructure(id, { intent: 'addModule', title: 'By the admin' }, adminCookie);
      expect(result.status).toBe(302);
      expect((await moduleRows(id)).map((m) => m.title)).toContain('By the admin');
    });

    it('answers 404 for malformed and unknown offering ids', async () => {
      for (const bad of ['nope', '00000000-0000-0000-0000-00000000000g', randomUUID()]) {
        expect((await getStructure(bad)).status).toBe(404);
        expect((await postStructure(bad, { intent: 'addModule', title: 'M' })).status).toBe(404);
        expect((await getActivity(bad, activityId)).status).toBe(404);
      }
    });
  });

  describe('published offerings keep to the publish rules', () => {
    const SERIES_FIRST = new Date('2026-04-07T15:00:00Z');
    const SERIES_SECOND = new Date('2026-04-14T15:00:00Z');
    const publishable = {
      status: 'published' as const,
      summary: 'Ready to run',
      topics: ['assessment'],
      targetAudiences: ['primary'],
      enrolmentOpensAt: new Date('2026-03-01T00:00:00Z'),
      enrolmentClosesAt: new Date('2026-03-15T00:00:00Z'),
    };

    async function publishedSeries() {
      const id = await makeOffering({
        ...publishable,
        kind: 'webinar_series',
        expectedMinutes: 180,
        startsAt: SERIES_FIRST,
        endsAt: new Date(SERIES_SECOND.getTime() + 60 * 60_000),
        completionDeadline: new Date('2026-04-30T00:00:00Z'),
      });
      await ctx.db.insert(liveSessions).values([
        { offeringId: id, title: 'Webinar 1', startsAt: SERIES_FIRST, organiserTimeZone: ZONE },
        { offeringId: id, title: 'Webinar 2', startsAt: SERIES_SECOND, organiserTimeZone: ZONE },
      ]);
      const linking = await insertActivity(id, null, 1, {
        kind: 'assignment',
        title: 'Try it in class',
        dueAt: new Date('2026-04-10T15:00:00Z'),
        content: { kind: 'assignment', prompt: 'Try it', submission: 'text' },
      });
      return { id, linking };
    }

    async function publishedMooc() {
      // Six weeks on the Oslo calendar: Monday 16 March 09:00 CET to Monday 27 April 09:00 CEST.
      const id = await makeOffering({
        ...publishable,
        expectedMinutes: 15 * 60,
        endsAt: new Date('2026-04-27T07:00:00Z'),
        completionDeadline: new Date('2026-05-11T07:00:00Z'),
      });
      const moduleId = await insertModule(id, 1);
      const activityId = await insertActivity(id, moduleId, 1);
      return { id, moduleId, activityId };
    }

    const linkingForm = (required: boolean): Record<string, string> => ({
      intent: 'save',
      title: 'Try it in class',
      ...(required ? { required: 'on' } : {}),
      estimatedMinutes: '30',
      dueAt: '2026-04-10T17:00',
      prompt: 'Try it',
      submission: 'text',
    });

    it('starts valid, so the refusals below are the changes’ own doing', async () => {
      const series = await publishedSeries();
      const mooc = await publishedMooc();
      for (const id of [series.id, mooc.id]) {
        const [row] = await ctx.db.select().from(offerings).where(eq(offerings.id, id));
        const facts = await publishFacts(ctx.db, id);
        const sessions = await ctx.db.select().from(liveSessions).where(eq(liveSessions.offeringId, id));
        expect(publishProblems({ ...row!, sessions, ...facts, requiredSessions: undefined })).toEqual([]);
      }
    });

    it('webinar series: refuses unticking the linking task’s “required” with the rule message, and saves nothing', async () => {
      const { id, linking } = await publishedSeries();
      const refused = await postActivity(id, linking, linkingForm(false));
      expect(refused.status).toBe(400);
      expect(errorsOf(refused.body)['']).toEqual([message('authoring.errors.notSavedRules'), message('offerings.rules.seriesLinkingActivity')]);
      expect(await activityRow(linking)).toMatchObject({ required: true, estimatedMinutes: 0 });

      // The same save that keeps it required goes through.
      expect((await postActivity(id, linking, linkingForm(true))).status).toBe(302);
      expect(await activityRow(linking)).toMatchObject({ required: true, estimatedMinutes: 30 });
    });

    it('webinar series: refuses removing the linking task, and lets a draft do it', async () => {
      const { id, linking } = await publishedSeries();
      const refused = await postStructure(id, { intent: 'removeActivity', activityId: linking, confirm: 'yes' });
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({ refused: [message('authoring.errors.notSavedRules'), message('offerings.rules.seriesLinkingActivity')] });
      expect(await activityRow(linking)).toMatchObject({ removedAt: null });

      await ctx.db.update(offerings).set({ status: 'draft' }).where(eq(offerings.id, id));
      expect((await postStructure(id, { intent: 'removeActivity', activityId: linking })).status).toBe(302);
      expect(await activityRow(linking)).toBeUndefined();
    });

    it('MOOC: refuses removing the only module, rolling back the removal and its audit entry', async () => {
      const { id, moduleId, activityId } = await publishedMooc();
      const refused = await postStructure(id, { intent: 'removeModule', moduleId, confirm: 'yes' });
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({ refused: [message('authoring.errors.notSavedRules'), message('offerings.rules.courseNeedsContent')] });
      expect((await moduleRows(id)).map((m) => m.id)).toEqual([moduleId]);
      expect(await activityRow(activityId)).toMatchObject({ moduleId, removedAt: null });
      expect(await ctx.db.select().from(auditLog).where(and(eq(auditLog.subjectId, moduleId), eq(auditLog.action, 'module.removed')))).toEqual([]);

      // With a second module holding required content, the first may go.
      const second = await insertModule(id, 2);
      await insertActivity(id, second, 1);
      expect((await postStructure(id, { intent: 'removeModule', moduleId, confirm: 'yes' })).status).toBe(302);
      expect((await moduleRows(id)).map((m) => m.id)).toEqual([second]);
    });

    it('MOOC: allows adding activities (they start optional) and refuses restoring a required quiz without questions', async () => {
      const { id, moduleId } = await publishedMooc();
      expect((await postStructure(id, { intent: 'addActivity', moduleId, kind: 'quiz', title: 'Check yourself' })).status).toBe(302);

      const emptyQuiz = await insertActivity(id, moduleId, 3, {
        kind: 'quiz',
        title: 'Empty',
        required: true,
        removedAt: new Date(),
        content: { kind: 'quiz', intro: '', passMarkPercent: 80, attemptsAllowed: 0, questions: [] },
      });
      const refused = await postStructure(id, { intent: 'restoreActivity', activityId: emptyQuiz, moduleId });
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({ refused: [message('authoring.errors.notSavedRules'), message('offerings.rules.requiredQuizWithoutQuestions')] });
      expect((await activityRow(emptyQuiz))!.removedAt).toBeInstanceOf(Date);
    });

    it('does not hold problems a published offering already had against an unrelated change', async () => {
      // Published before some rule applied: no summary. Removing an optional page neither adds nor fixes that.
      const { id, moduleId } = await publishedMooc();
      await ctx.db.update(offerings).set({ summary: '' }).where(eq(offerings.id, id));
      const optional = await insertActivity(id, moduleId, 2, { required: false });
      expect((await postStructure(id, { intent: 'removeActivity', activityId: optional })).status).toBe(302);
      expect(await activityRow(optional)).toBeUndefined();
    });
  });

  describe('read-only views for trainers who do not run the offering', () => {
    it('leave the answer key out of the activity page, and the editor values with it', async () => {
      const id = await makeOffering();
      const moduleId = await insertModule(id, 1);
      const questions: QuizQuestion[] = [
        {
          id: randomUUID(),
          prompt: 'Which helps learning?',
          multiple: false,
          choices: [
            { id: randomUUID(), label: 'Feedback', correct: true },
            { id: randomUUID(), label: 'Silence', correct: false },
          ],
        },
      ];
      const quizId = await insertActivity(id, moduleId, 1, {
        kind: 'quiz',
        title: 'Check',
        content: { kind: 'quiz', intro: '', passMarkPercent: 80, attemptsAllowed: 0, questions },
      });

      const other = await getActivity(id, quizId, otherTrainerCookie);
      expect(other.status).toBe(200);
      expect(other.body).toMatchObject({ canEdit: false, defaultValue: null });
      expect(JSON.stringify(other.body)).not.toContain('correct');
      const content = (other.body as { activity: { content: { questions: QuizQuestion[] } } }).activity.content;
      expect(content.questions[0]!.choices.map((c) => c.label)).toEqual(['Feedback', 'Silence']);

      // Its own trainer (and an admin) edit it, with the answer key in the editor's values.
      for (const cookie of [trainerCookie, adminCookie]) {
        const own = await getActivity(id, quizId, cookie);
        expect(own.body).toMatchObject({ canEdit: true });
        const defaults = (own.body as { defaultValue: { questions: { choices: { correct: boolean }[] }[] } }).defaultValue;
        expect(defaults.questions[0]!.choices.map((c) => c.correct)).toEqual([true, false]);
      }
    });
  });

  describe('loadStructure and publishFacts', () => {
    it('give the catalogue and the publish rules the listed content of a webinar series', async () => {
      const id = await makeOffering({ kind: 'webinar_series', startsAt: null, endsAt: null });
      await ctx.db.insert(liveSessions).values([
        { offeringId: id, title: 'Webinar 2', startsAt: new Date('2026-04-14T15:00:00Z'), organiserTimeZone: ZONE },
        { offeringId: id, title: 'Webinar 1', startsAt: new Date('2026-04-07T15:00:00Z'), organiserTimeZone: ZONE },
      ]);
      const linking = await insertActivity(id, null, 1, {
        kind: 'assignment',
        title: 'Try it in class',
        dueAt: new Date('2026-04-10T15:00:00Z'),
        content: { kind: 'assignment', prompt: 'Try it', submission: 'text' },
      });
      await insertActivity(id, null, 2, { title: 'Removed', removedAt: new Date() });

      const structure = await loadStructure(ctx.db, id);
      expect(structure.modules).toEqual([]);
      expect(structure.offeringActivities.map((a) => a.id)).toEqual([linking]);
      expect(structure.removed.map((a) => a.title)).toEqual(['Removed']);
      expect(structure.sessions.map((s) => s.title)).toEqual(['Webinar 1', 'Webinar 2']);

      const facts = await publishFacts(ctx.db, id);
      expect(facts).toEqual({ moduleCount: 0, activities: [{ kind: 'assignment', required: true, dueAt: new Date('2026-04-10T15:00:00Z'), inModule: false }] });
      const problems = publishProblems({
        kind: 'webinar_series',
        title: 'Series',
        summary: 'Two webinars',
        language: 'en',
        topics: ['assessment'],
        targetAudiences: ['primary'],
        expectedMinutes: 180,
        organiserTimeZone: ZONE,
        enrolmentOpensAt: new Date('2026-03-01T00:00:00Z'),
        enrolmentClosesAt: new Date('2026-04-06T00:00:00Z'),
        startsAt: new Date('2026-04-07T15:00:00Z'),
        endsAt: new Date('2026-04-14T16:00:00Z'),
        completionDeadline: new Date('2026-04-20T00:00:00Z'),
        capacity: null,
        sessions: structure.sessions.map((s) => ({ startsAt: s.startsAt, durationMinutes: s.durationMinutes })),
        ...facts,
      });
      expect(problems).toEqual([]);
    });
  });
});
