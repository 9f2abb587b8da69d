import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolments, liveSessions, offerings, offeringTrainers, sessionJoins } from '#db/schema';
import { readFlash } from '~/modules/ui/flash.server';
import { loader as joinLoader } from '~/routes/sessions.$id.join';
import { loader as pageLoader } from '~/routes/sessions.$id';
import { createTestContext, recordingJobQueue, type TestContext } from '../support/context';
import { createUser, signIn } from '../support/factories';
import { makeRequest, requestContext } from '../support/requests';

/** What a loader returned or threw: status, headers and body. */
async function outcome(run: () => Promise<unknown>) {
  let value: unknown;
  try {
    value = await run();
  } catch (thrown) {
    value = thrown;
  }
  if (value instanceof Response) return { status: value.status, headers: value.headers, body: null as Record<string, unknown> | null };
  const withInit = value as { type?: string; data?: Record<string, unknown>; init?: { status?: number } };
  if (withInit && withInit.type === 'DataWithResponseInit') return { status: withInit.init?.status ?? 200, headers: new Headers(), body: withInit.data ?? null };
  return { status: 200, headers: new Headers(), body: value as Record<string, unknown> };
}

const MIN = 60_000;
const PROVIDER = 'https://meet.example.org/j/123?pwd=abc';

describe('session page and tracked join', () => {
  let ctx: TestContext;
  let trainer: { id: string; cookie: string };

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    const user = await createUser(ctx.db, { roles: [{ role: 'trainer' }] });
    trainer = { id: user.id, cookie: await signIn(ctx, user.id) };
  });
  afterAll(async () => {
    await ctx?.close();
  });

  /** A webinar with one session starting `startsIn` minutes from now (negative: already begun). */
  async function webinar(options: { startsIn: number; status?: 'draft' | 'published'; joinUrl?: string; cancelled?: boolean; recordingUrl?: string }) {
    const slug = `join-${randomBytes(4).toString('hex')}`;
    const startsAt = new Date(Date.now() + options.startsIn * MIN);
    const [offering] = await ctx.db
      .insert(offerings)
      .values({ slug, kind: 'webinar', title: `Webinar ${slug}`, language: 'en', organiserTimeZone: 'Europe/Lisbon', status: options.status ?? 'published' })
      .returning({ id: offerings.id });
    await ctx.db.insert(offeringTrainers).values({ offeringId: offering!.id, userId: trainer.id });
    const [session] = await ctx.db
      .insert(liveSessions)
      .values({
        offeringId: offering!.id,
        title: `Live ${slug}`,
        startsAt,
        organiserTimeZone: 'Europe/Lisbon',
        durationMinutes: 60,
        joinUrl: options.joinUrl ?? PROVIDER,
        cancelledAt: options.cancelled ? new Date() : null,
        recordingUrl: options.recordingUrl ?? null,
      })
      .returning({ id: liveSessions.id });
    return { offeringId: offering!.id, slug, sessionId: session!.id, startsAt };
  }

  async function person(offeringId: string | null, status: 'enrolled' | 'waitlisted' | 'completed' | 'withdrawn' = 'enrolled', roles: { role: 'trainer' }[] = []) {
    const user = await createUser(ctx.db, { timeZone: 'Europe/Helsinki', roles });
    if (offeringId) {
      await ctx.db.insert(enrolments).values({
        offeringId,
        userId: user.id,
        status,
        enrolledAt: status === 'waitlisted' ? null : new Date(),
        waitlistSeq: status === 'waitlisted' ? Math.floor(Math.random() * 1e9) : null,
      });
    }
    return { id: user.id, cookie: await signIn(ctx, user.id) };
  }

  const page = (sessionId: string, cookie?: string) =>
    outcome(() => pageLoader({ request: makeRequest(`/sessions/${sessionId}`, { cookie }), context: requestContext(ctx), params: { id: sessionId } }));
  const join = (sessionId: string, cookie?: string) =>
    outcome(() => joinLoader({ request: makeRequest(`/sessions/${sessionId}/join`, { cookie }), context: requestContext(ctx), params: { id: sessionId } }));
  const joinsOf = (sessionId: string) => ctx.db.select().from(sessionJoins).where(eq(sessionJoins.sessionId, sessionId));
  const area = (body: Record<string, unknown> | null) => (body?.area as { kind: string; opens?: string }) ?? null;
  async function flashOf(response: { headers: Headers }) {
    const setCookie = response.headers.get('set-cookie');
    expect(setCookie).toBeTruthy();
    return (await readFlash(requestContext(ctx) as never, makeRequest('/', { cookie: setCookie!.split(';')[0] }))).flash;
  }

  it('before the window: the page says when the link opens in the viewer’s zone, and the join route sends back', async () => {
    const w = await webinar({ startsIn: 16 });
    const p = await person(w.offeringId);
    const shown = await page(w.sessionId, p.cookie);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ session: { status: 'upcoming', organiserTimeZone: 'Europe/Lisbon' }, recordingUrl: null });
    const opensAt = new Date(w.startsAt.getTime() - 15 * MIN);
    const helsinki = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Helsinki' }).format(opensAt);
    expect(area(shown.body)).toMatchObject({ kind: 'not-yet' });
    expect(area(shown.body)!.opens).toContain(helsinki);
    expect(JSON.stringify(shown.body)).not.toContain(PROVIDER);

    const refused = await join(w.sessionId, p.cookie);
    expect(refused.status).toBe(302);
    expect(refused.headers.get('location')).toBe(`/sessions/${w.sessionId}`);
    expect(await flashOf(refused)).toMatchObject({ key: 'sessionPage.flash.notYet', params: { time: expect.stringContaining(helsinki) } });
    expect(await joinsOf(w.sessionId)).toHaveLength(0);
  });

  it('from 15 minutes before the start: the link is the tracked route, and joining records the time and redirects 303 to the provider', async () => {
    const w = await webinar({ startsIn: 14 });
    const p = await person(w.offeringId);
    const shown = await page(w.sessionId, p.cookie);
    expect(area(shown.body)).toEqual({ kind: 'open' });
    expect(shown.body).toMatchObject({ joinHref: `/sessions/${w.sessionId}/join`, session: { status: 'open' } });
    expect(JSON.stringify(shown.body)).not.toContain(PROVIDER);

    const before = Date.now();
    const joined = await join(w.sessionId, p.cookie);
    expect(joined.status).toBe(303);
    expect(joined.headers.get('location')).toBe(PROVIDER);
    const rows = await joinsOf(w.sessionId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ userId: p.id });
    expect(rows[0]!.joinedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('during the session: every pass is recorded (a rejoin too); completed participants may join', async () => {
    const w = await webinar({ startsIn: -30 });
    const p = await person(w.offeringId);
    expect((await join(w.sessionId, p.cookie)).status).toBe(303);
    expect((await join(w.sessionId, p.cookie)).status).toBe(303);
    const done = await person(w.offeringId, 'completed');
    expect((await join(w.sessionId, done.cookie)).status).toBe(303);
    expect(await joinsOf(w.sessionId)).toHaveLength(3);
  });

  it('after the end: no link, the page says it has ended, and shows a published recording to participants only', async () => {
    const w = await webinar({ startsIn: -120, recordingUrl: 'https://video.example.org/rec/1' });
    const p = await person(w.offeringId);
    const shown = await page(w.sessionId, p.cookie);
    expect(area(shown.body)).toEqual({ kind: 'ended' });
    expect(shown.body).toMatchObject({ session: { status: 'ended' }, recordingUrl: 'https://video.example.org/rec/1' });
    const refused = await join(w.sessionId, p.cookie);
    expect(refused.status).toBe(302);
    expect(await flashOf(refused)).toMatchObject({ key: 'sessionPage.flash.ended' });
    expect(await joinsOf(w.sessionId)).toHaveLength(0);

    const outsider = await person(null);
    expect((await page(w.sessionId, outsider.cookie)).body).toMatchObject({ recordingUrl: null, area: { kind: 'participants-only' } });
    expect((await page(w.sessionId)).body).toMatchObject({ recordingUrl: null, area: { kind: 'sign-in' } });
  });

  it('a cancelled session says so to everyone and cannot be joined', async () => {
    const w = await webinar({ startsIn: 5, cancelled: true });
    const p = await person(w.offeringId);
    expect((await page(w.sessionId, p.cookie)).body).toMatchObject({ area: { kind: 'cancelled' }, session: { status: 'cancelled' } });
    expect((await page(w.sessionId)).body).toMatchObject({ area: { kind: 'cancelled' } });
    const refused = await join(w.sessionId, p.cookie);
    expect(refused.status).toBe(302);
    expect(await flashOf(refused)).toMatchObject({ key: 'sessionPage.flash.cancelled' });
    expect(await joinsOf(w.sessionId)).toHaveLength(0);
  });

  it('a session without a join link explains that instead of sending anyone anywhere', async () => {
    const w = await webinar({ startsIn: 0, joinUrl: '' });
    const p = await person(w.offeringId);
    expect(area((await page(w.sessionId, p.cookie)).body)).toEqual({ kind: 'no-link' });
    const refused = await join(w.sessionId, p.cookie);
    expect(refused.status).toBe(302);
    expect(await flashOf(refused)).toMatchObject({ key: 'sessionPage.flash.noLink' });
    expect(await joinsOf(w.sessionId)).toHaveLength(0);
  });

  it('gives no link to another offering’s participant, the waitlisted, anonymous visitors or another trainer', async () => {
    const w = await webinar({ startsIn: 0 });
    const other = await webinar({ startsIn: 0 });
    const elsewhere = await person(other.offeringId);
    const waitlisted = await person(w.offeringId, 'waitlisted');
    const withdrawn = await person(w.offeringId, 'withdrawn');
    const otherTrainer = await person(null, 'enrolled', [{ role: 'trainer' }]);

    for (const [who, expected, flashKey] of [
      [elsewhere, 'participants-only', 'sessionPage.flash.participantsOnly'],
      [waitlisted, 'waitlisted', 'sessionPage.flash.waitlisted'],
      [withdrawn, 'participants-only', 'sessionPage.flash.participantsOnly'],
      [otherTrainer, 'participants-only', 'sessionPage.flash.participantsOnly'],
    ] as const) {
      const shown = await page(w.sessionId, who.cookie);
      expect(shown.status).toBe(200);
      expect(area(shown.body)).toEqual({ kind: expected });
      expect(JSON.stringify(shown.body)).not.toContain(PROVIDER);
      const refused = await join(w.sessionId, who.cookie);
      expect(refused.status).toBe(302);
      expect(refused.headers.get('location')).toBe(`/sessions/${w.sessionId}`);
      expect(await flashOf(refused)).toMatchObject({ key: flashKey });
    }

    const anonymous = await page(w.sessionId);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toMatchObject({ area: { kind: 'sign-in' }, signInHref: `/login?redirectTo=${encodeURIComponent(`/sessions/${w.sessionId}`)}` });
    const toLogin = await join(w.sessionId);
    expect(toLogin.status).toBe(302);
    expect(toLogin.headers.get('location')).toBe(`/login?redirectTo=${encodeURIComponent(`/sessions/${w.sessionId}/join`)}`);
    expect(await joinsOf(w.sessionId)).toHaveLength(0);
  });

  it('sends the offering’s own trainer to the provider without recording a join', async () => {
    const w = await webinar({ startsIn: 0 });
    const shown = await page(w.sessionId, trainer.cookie);
    expect(shown.body).toMatchObject({ area: { kind: 'open' }, manageHref: `/trainer/offerings/${w.offeringId}/sessions/${w.sessionId}` });
    const joined = await join(w.sessionId, trainer.cookie);
    expect(joined.status).toBe(303);
    expect(joined.headers.get('location')).toBe(PROVIDER);
    expect(await joinsOf(w.sessionId)).toHaveLength(0);
  });

  it('answers 404 for a draft’s session to those who may not see the draft, and for ids that name nothing', async () => {
    const w = await webinar({ startsIn: 0, status: 'draft' });
    const p = await person(w.offeringId);
    expect((await page(w.sessionId, p.cookie)).status).toBe(404);
    expect((await join(w.sessionId, p.cookie)).status).toBe(404);
    expect(await joinsOf(w.sessionId)).toHaveLength(0);
    const anonymous = await page(w.sessionId);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toMatch(/^\/login/);
    expect((await page(w.sessionId, trainer.cookie)).body).toMatchObject({ offering: { draft: true } });

    expect((await page('00000000-0000-4000-8000-000000000000', p.cookie)).status).toBe(404);
    expect((await page('not-a-uuid', p.cookie)).status).toBe(404);
    expect((await join('00000000-0000-4000-8000-000000000000', p.cookie)).status).toBe(404);
  });
});
