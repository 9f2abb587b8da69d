import type { AppLoadContext, LoaderFunctionArgs } from '@remix-run/node';
import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import escapeHtml from 'escape-html';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, enrolments, offeringTrainers, offerings, outboxEmails } from '#db/schema';
import { renderEmail, type EmailLocale } from '#emails/index';
import { withMailer } from '~/modules/email/outbox.server';
import { promoteIntoFreeSeats } from '~/modules/enrolment/enrolment.server';
import { detailsFormValues } from '~/modules/offerings/authoring.server';
import { readFlash } from '~/modules/ui/flash.server';
import { action as detailsAction } from '~/routes/trainer.offerings.$id._index';
import { action as enrolmentAction, loader as enrolmentLoader } from '~/routes/offerings.$slug.enrolment';
import { loader as offeringLoader } from '~/routes/offerings.$slug';
import { action as participantsAction, loader as participantsLoader } from '~/routes/trainer.offerings.$id.participants';
import { loader as csvLoader } from '~/routes/trainer.offerings.$id.participants[.]csv';
import { createTestContext, recordingJobQueue, TEST_APP_URL, type TestContext } from '../support/context';
import { createUser, signIn, type UserOverrides } from '../support/factories';
import { makeRequest, requestContext } from '../support/requests';

const DAY = 86_400_000;

interface Outcome {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
  location: string | null;
  headers: Headers;
  response: Response | null;
}
type Handler = (args: LoaderFunctionArgs) => unknown;
type Person = { id: string; email: string; fullName: string; cookie: string };

describe('enrolment', () => {
  let ctx: TestContext;
  let trainer: Person;
  let otherTrainer: Person;
  let admin: Person;

  async function call(handler: Handler, request: Request, params: Record<string, string>): Promise<Outcome> {
    let value: unknown;
    try {
      value = await handler({ request, context: requestContext(ctx) as AppLoadContext, params });
    } catch (thrown) {
      value = thrown;
    }
    if (value instanceof Response) return { status: value.status, data: null, location: value.headers.get('location'), headers: value.headers, response: value };
    if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
      const { data, init } = value as { data: unknown; init: ResponseInit | null };
      return { status: init?.status ?? 200, data, location: null, headers: new Headers(init?.headers), response: null };
    }
    if (value instanceof Error) throw value;
    return { status: 200, data: value, location: null, headers: new Headers(), response: null };
  }

  async function person(overrides: UserOverrides = {}): Promise<Person> {
    const user = await createUser(ctx.db, overrides);
    return { id: user.id, email: user.email, fullName: user.fullName, cookie: await signIn(ctx, user.id) };
  }
  const people = (n: number, overrides: UserOverrides = {}) => Promise.all(Array.from({ length: n }, () => person(overrides)));

  /** A published offering, enrolment open now, run by `trainer`. */
  async function makeOffering(overrides: Partial<typeof offerings.$inferInsert> = {}) {
    const suffix = randomBytes(4).toString('hex');
    const now = Date.now();
    const [row] = await ctx.db
      .insert(offerings)
      .values({
        slug: `enrol-${suffix}`,
        kind: 'mooc',
        title: `Inclusive classrooms ${suffix}`,
        language: 'en',
        organiserTimeZone: 'Europe/Oslo',
        enrolmentOpensAt: new Date(now - 5 * DAY),
        enrolmentClosesAt: new Date(now + 20 * DAY),
        startsAt: new Date(now + 21 * DAY),
        endsAt: new Date(now + 56 * DAY),
        completionDeadline: new Date(now + 63 * DAY),
        status: 'published',
        publishedAt: new Date(now),
        ...overrides,
      })
      .returning();
    await ctx.db.insert(offeringTrainers).values({ offeringId: row!.id, userId: trainer.id });
    // Offerings that start with seats "taken" by nobody are left out of the final count check.
    if (overrides.seatsTaken === undefined) counted.push(row!.id);
    return row!;
  }
  const counted: string[] = [];

  const enrolPost = (slug: string, who: Person | null, intent: 'enrol' | 'unenrol' = 'enrol') =>
    call(enrolmentAction, makeRequest(`/offerings/${slug}/enrolment`, { cookie: who?.cookie, form: { intent } }), { slug });

  /** The one-time message a response set, as the next page would read it. */
  async function flashOf(result: Outcome) {
    const pair = /kollega_flash=[^;]*/.exec(result.headers.get('set-cookie') ?? '')?.[0];
    if (!pair) return null;
    return (await readFlash(requestContext(ctx) as never, makeRequest('/', { cookie: pair }))).flash;
  }

  const rowOf = async (offeringId: string, userId: string) =>
    (await ctx.db.select().from(enrolments).where(and(eq(enrolments.offeringId, offeringId), eq(enrolments.userId, userId))))[0] ?? null;
  const seatsOf = async (offeringId: string) => (await ctx.db.select().from(offerings).where(eq(offerings.id, offeringId)))[0]!.seatsTaken;
  const mailsTo = (email: string) => ctx.db.select().from(outboxEmails).where(eq(outboxEmails.toAddress, email));
  async function statusesOf(offeringId: string) {
    const rows = await ctx.db
      .select({ userId: enrolments.userId, status: enrolments.status, seq: enrolments.waitlistSeq })
      .from(enrolments)
      .where(eq(enrolments.offeringId, offeringId));
    return new Map(rows.map((r) => [r.userId, r.status]));
  }
  async function panelFor(slug: string, who: Person | null, search = '') {
    const result = await call(offeringLoader, makeRequest(`/offerings/${slug}${search}`, { cookie: who?.cookie }), { slug });
    expect(result.status).toBe(200);
    return result.data.enrolmentPanel;
  }

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    trainer = await person({ roles: [{ role: 'trainer' }] });
    otherTrainer = await person({ roles: [{ role: 'trainer' }] });
    admin = await person({ roles: [{ role: 'admin' }] });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  describe('enrolling from the offering page', () => {
    it('enrols, takes a seat, shows it on the panel and queues a confirmation in the participant’s language', async () => {
      const offering = await makeOffering({ capacity: 10 });
      const ola = await person({ locale: 'nb', fullName: 'Ola Nordmann' });
      expect(await panelFor(offering.slug, ola)).toMatchObject({ standing: 'none', offer: 'enrol', refusal: null });

      const result = await enrolPost(offering.slug, ola);
      expect(result.status).toBe(302);
      expect(result.location).toBe(`/offerings/${offering.slug}#enrolment`);
      expect(await flashOf(result)).toMatchObject({ key: 'enrolment.flash.enrolled', tone: 'success' });
      expect(await rowOf(offering.id, ola.id)).toMatchObject({ status: 'enrolled', source: 'self', waitlistSeq: null });
      expect(await seatsOf(offering.id)).toBe(1);

      const [mail, ...others] = await mailsTo(ola.email);
      expect(others).toHaveLength(0);
      expect(mail).toMatchObject({ template: 'enrolment-confirmed', locale: 'nb', subject: `Du er påmeldt: ${offering.title}` });
      expect(mail!.text).toContain(`${TEST_APP_URL}/learn/${offering.slug}`);
      expect(mail!.text).toContain('Ola Nordmann');

      expect(await panelFor(offering.slug, ola)).toMatchObject({
        standing: 'enrolled',
        offer: null,
        canLeave: true,
        courseHref: `/learn/${offering.slug}`,
        confirmLeave: false,
      });
    });

    it('treats a second submission as the same enrolment: one row, one seat, one email', async () => {
      const offering = await makeOffering({ capacity: 10 });
      const kari = await person();
      await enrolPost(offering.slug, kari);
      const again = await enrolPost(offering.slug, kari);
      expect(await flashOf(again)).toMatchObject({ key: 'enrolment.refusal.alreadyEnrolled', tone: 'error' });
      expect(await ctx.db.select().from(enrolments).where(eq(enrolments.offeringId, offering.id))).toHaveLength(1);
      expect(await seatsOf(offering.id)).toBe(1);
      expect(await mailsTo(kari.email)).toHaveLength(1);
    });

    it('sends anonymous visitors to sign in and back', async () => {
      const offering = await makeOffering();
      const result = await enrolPost(offering.slug, null);
      expect(result.status).toBe(302);
      expect(result.location).toBe(`/login?redirectTo=${encodeURIComponent(`/offerings/${offering.slug}`)}`);
      expect(await panelFor(offering.slug, null)).toMatchObject({
        standing: 'anonymous',
        refusal: { reason: 'sign-in' },
        signInHref: `/login?redirectTo=${encodeURIComponent(`/offerings/${offering.slug}`)}`,
      });
    });

    it('answers 404 for drafts and unknown offerings, and sends a GET back to the page', async () => {
      const draft = await makeOffering({ status: 'draft' });
      const someone = await person();
      expect((await enrolPost(draft.slug, someone)).status).toBe(404);
      expect((await enrolPost('no-such-offering', someone)).status).toBe(404);
      expect(await rowOf(draft.id, someone.id)).toBeNull();
      const get = await call(enrolmentLoader, makeRequest(`/offerings/${draft.slug}/enrolment`), { slug: draft.slug });
      expect(get.location).toBe(`/offerings/${draft.slug}#enrolment`);
    });

    it('refuses a malformed intent with 400', async () => {
      const offering = await makeOffering();
      const someone = await person();
      const result = await call(
        enrolmentAction,
        makeRequest(`/offerings/${offering.slug}/enrolment`, { cookie: someone.cookie, form: { intent: 'steal-a-seat' } }),
        { slug: offering.slug },
      );
      expect(result.status).toBe(400);
    });

    const opensLater = () => ({ enrolmentOpensAt: new Date('2099-05-01T08:00:00Z'), enrolmentClosesAt: new Date('2099-06-01T08:00:00Z') });
    it.each([
      ['enrolment is not open yet', opensLater, {}, 'enrolment.refusal.notOpenYet', 'not-open-yet'],
      ['enrolment has closed', () => ({ enrolmentOpensAt: new Date(Date.now() - 9 * DAY), enrolmentClosesAt: new Date(Date.now() - DAY) }), {}, 'enrolment.refusal.closed', 'closed'],
      ['the offering is for validated staff', () => ({ eligibility: 'validated' as const }), {}, 'enrolment.refusal.notValidated', 'not-validated'],
      ['validation is pending', () => ({ eligibility: 'validated' as const }), { staffStatus: 'pending' as const }, 'enrolment.refusal.validationPending', 'not-validated'],
      ['the offering is invite only', () => ({ eligibility: 'invite' as const }), {}, 'enrolment.refusal.invitationNeeded', 'invitation-needed'],
      ['the address is not confirmed', () => ({}), { emailVerifiedAt: null }, 'enrolment.refusal.emailUnverified', 'email-unverified'],
      ['the offering is archived', () => ({ status: 'archived' as const }), {}, 'enrolment.refusal.archived', 'not-published'],
      ['the offering is full and has no waitlist', () => ({ capacity: 3, seatsTaken: 3 }), {}, 'enrolment.refusal.full', 'full'],
    ] as const)('says why not when %s, on the panel and after a post, and writes nothing', async (_label, offeringChanges, userChanges, key, reason) => {
      const offering = await makeOffering(offeringChanges());
      const someone = await person({ ...userChanges });
      expect(await panelFor(offering.slug, someone)).toMatchObject({ offer: null, refusal: { key, reason } });
      const result = await enrolPost(offering.slug, someone);
      expect(result.status).toBe(302);
      expect(await flashOf(result)).toMatchObject({ key, tone: 'error' });
      expect(await rowOf(offering.id, someone.id)).toBeNull();
      expect(await seatsOf(offering.id)).toBe(offering.seatsTaken);
      expect(await mailsTo(someone.email)).toHaveLength(0);
    });

    it('says when enrolment opens in the viewer’s own zone', async () => {
      const offering = await makeOffering(opensLater());
      const helsinki = await person({ timeZone: 'Europe/Helsinki' });
      const panel = await panelFor(offering.slug, helsinki);
      expect(panel.refusal).toEqual({ key: 'enrolment.refusal.notOpenYet', params: { date: '1 May 2099, 11:00 EEST' }, reason: 'not-open-yet' });
    });

    it('lets validated staff into a validated-only offering', async () => {
      const offering = await makeOffering({ eligibility: 'validated' });
      const teacher = await person({ staffStatus: 'validated' });
      await enrolPost(offering.slug, teacher);
      expect((await rowOf(offering.id, teacher.id))?.status).toBe('enrolled');
    });
  });

  describe('the waitlist', () => {
    it('puts people in line once the seats are gone, each with their position', async () => {
      const offering = await makeOffering({ capacity: 2, waitlistEnabled: true });
      const crowd = await people(5);
      const flashes = [];
      for (const p of crowd) flashes.push(await flashOf(await enrolPost(offering.slug, p)));
      expect(flashes.map((f) => f?.key)).toEqual([
        'enrolment.flash.enrolled',
        'enrolment.flash.enrolled',
        'enrolment.flash.waitlisted',
        'enrolment.flash.waitlisted',
        'enrolment.flash.waitlisted',
      ]);
      expect(flashes.slice(2).map((f) => f?.params?.position)).toEqual(['1', '2', '3']);
      expect(await seatsOf(offering.id)).toBe(2);
      expect((await panelFor(offering.slug, crowd[4]!)).waitlistPosition).toBe(3);
      expect(await mailsTo(crowd[3]!.email)).toHaveLength(0);
      // A newcomer is offered the waitlist, not a seat.
      expect((await panelFor(offering.slug, await person())).offer).toBe('waitlist');
    });

    it('promotes the first in line into a seat someone gives back, at once, with an email; the others move up', async () => {
      const offering = await makeOffering({ capacity: 2, waitlistEnabled: true });
      const [a, b, c, d, e] = await people(5);
      for (const p of [a, b, c, d, e]) await enrolPost(offering.slug, p!);

      // Leaving needs a confirmation step, which is a plain link (works without JavaScript).
      expect(await panelFor(offering.slug, a!, '?confirm=leave')).toMatchObject({ confirmLeave: true, canLeave: true });
      const result = await enrolPost(offering.slug, a!, 'unenrol');
      expect(await flashOf(result)).toMatchObject({ key: 'enrolment.flash.unenrolled', tone: 'success' });

      const statuses = await statusesOf(offering.id);
      expect([a, b, c, d, e].map((p) => statuses.get(p!.id))).toEqual(['withdrawn', 'enrolled', 'enrolled', 'waitlisted', 'waitlisted']);
      expect(await seatsOf(offering.id)).toBe(2);
      const [promotion] = await mailsTo(c!.email).then((rows) => rows.filter((r) => r.template === 'waitlist-promoted'));
      expect(promotion?.subject).toContain(offering.title);
      expect((await panelFor(offering.slug, d!)).waitlistPosition).toBe(1);
      expect((await panelFor(offering.slug, e!)).waitlistPosition).toBe(2);
    });

    it('lets people leave the waitlist without touching the seats, and re-ranks those behind them', async () => {
      const offering = await makeOffering({ capacity: 1, waitlistEnabled: true });
      const [a, b, c, d] = await people(4);
      for (const p of [a, b, c, d]) await enrolPost(offering.slug, p!);
      const result = await enrolPost(offering.slug, b!, 'unenrol');
      expect(await flashOf(result)).toMatchObject({ key: 'enrolment.flash.leftWaitlist' });
      expect(await rowOf(offering.id, b!.id)).toMatchObject({ status: 'withdrawn', waitlistSeq: null, removedBy: null });
      expect(await seatsOf(offering.id)).toBe(1);
      expect((await panelFor(offering.slug, c!)).waitlistPosition).toBe(1);
      expect((await panelFor(offering.slug, d!)).waitlistPosition).toBe(2);
    });

    it('reuses the row when someone comes back, at the end of the line', async () => {
      const offering = await makeOffering({ capacity: 1, waitlistEnabled: true });
      const [a, b, c] = await people(3);
      for (const p of [a, b, c]) await enrolPost(offering.slug, p!);
      const before = await rowOf(offering.id, a!.id);
      await enrolPost(offering.slug, a!, 'unenrol');
      // b took a's seat; a comes back behind c.
      const back = await enrolPost(offering.slug, a!);
      expect(await flashOf(back)).toMatchObject({ key: 'enrolment.flash.waitlisted', params: { position: '2' } });
      const after = await rowOf(offering.id, a!.id);
      expect(after).toMatchObject({ id: before!.id, status: 'waitlisted', withdrawnAt: null });
      expect(await ctx.db.select().from(enrolments).where(eq(enrolments.offeringId, offering.id))).toHaveLength(3);
    });

    it('keeps completed enrolments: a completed participant cannot unenrol', async () => {
      const offering = await makeOffering({ capacity: 5 });
      const done = await person();
      await enrolPost(offering.slug, done);
      await ctx.db.update(enrolments).set({ status: 'completed', completedAt: new Date() }).where(eq(enrolments.userId, done.id));
      const result = await enrolPost(offering.slug, done, 'unenrol');
      expect(await flashOf(result)).toMatchObject({ key: 'enrolment.refusal.completedCannotUnenrol', tone: 'error' });
      expect((await rowOf(offering.id, done.id))?.status).toBe('completed');
      expect(await seatsOf(offering.id)).toBe(1);
      expect(await panelFor(offering.slug, done)).toMatchObject({ standing: 'completed', canLeave: false, courseHref: `/learn/${offering.slug}` });
      const notEnrolled = await enrolPost(offering.slug, await person(), 'unenrol');
      expect(await flashOf(notEnrolled)).toMatchObject({ key: 'enrolment.refusal.notEnrolled' });
    });

    it('fills several freed seats at once, first in line first, when the capacity goes up', async () => {
      const offering = await makeOffering({ capacity: 2, waitlistEnabled: true });
      const crowd = await people(7);
      for (const p of crowd) await enrolPost(offering.slug, p);
      await ctx.db.update(offerings).set({ capacity: 5 }).where(eq(offerings.id, offering.id));
      const promoted = await withMailer(ctx, (tx, mailer) => promoteIntoFreeSeats(tx, offering.id, { mailer, appUrl: TEST_APP_URL, now: new Date() }));
      expect(promoted.map((p) => p.userId)).toEqual(crowd.slice(2, 5).map((p) => p.id));
      const statuses = await statusesOf(offering.id);
      expect(crowd.map((p) => statuses.get(p.id))).toEqual(['enrolled', 'enrolled', 'enrolled', 'enrolled', 'enrolled', 'waitlisted', 'waitlisted']);
      expect(await seatsOf(offering.id)).toBe(5);
      for (const p of crowd.slice(2, 5)) expect((await mailsTo(p.email)).map((m) => m.template)).toContain('waitlist-promoted');
      expect((await panelFor(offering.slug, crowd[6]!)).waitlistPosition).toBe(2);
    });

    it('promotes from the details form when a trainer raises the capacity, and lets everyone in when the limit goes', async () => {
      const offering = await makeOffering({ capacity: 1, waitlistEnabled: true });
      const crowd = await people(5);
      for (const p of crowd) await enrolPost(offering.slug, p);
      // A draft saves whatever it holds, so the test needs no publishable structure.
      await ctx.db.update(offerings).set({ status: 'draft' }).where(eq(offerings.id, offering.id));
      const form = async (capacity: string) => {
        const row = (await ctx.db.select().from(offerings).where(eq(offerings.id, offering.id)))[0]!;
        const values: Record<string, string | string[]> = { ...detailsFormValues(row), intent: 'save', capacity };
        const body = new URLSearchParams();
        for (const [k, v] of Object.entries(values)) for (const item of Array.isArray(v) ? v : [v]) if (item !== '') body.append(k, item);
        return call(detailsAction, makeRequest(`/trainer/offerings/${offering.id}`, { cookie: trainer.cookie, form: body }), { id: offering.id });
      };
      expect((await form('3')).status).toBe(302);
      let statuses = await statusesOf(offering.id);
      expect(crowd.map((p) => statuses.get(p.id))).toEqual(['enrolled', 'enrolled', 'enrolled', 'waitlisted', 'waitlisted']);
      expect((await form('')).status).toBe(302);
      statuses = await statusesOf(offering.id);
      expect(crowd.map((p) => statuses.get(p.id))).toEqual(['enrolled', 'enrolled', 'enrolled', 'enrolled', 'enrolled']);
      expect(await seatsOf(offering.id)).toBe(5);
    });
  });

  describe('the participant list', () => {
    let offering: Awaited<ReturnType<typeof makeOffering>>;
    let crowd: Person[];
    const path = () => `/trainer/offerings/${offering.id}/participants`;
    const list = (who: Person | null, search = '') => call(participantsLoader, makeRequest(`${path()}${search}`, { cookie: who?.cookie }), { id: offering.id });
    const act = (who: Person, form: Record<string, string>, search = '') =>
      call(participantsAction, makeRequest(`${path()}${search}`, { cookie: who.cookie, form }), { id: offering.id });

    beforeAll(async () => {
      offering = await makeOffering({ capacity: 3, waitlistEnabled: true });
      crowd = [
        await person({ fullName: 'Anna Berg' }),
        await person({ fullName: 'Łucja Żółkiewska', country: 'PL', school: 'Szkoła Podstawowa nr 5, Kraków' }),
        await person({ fullName: 'Mikko "Mikke" Virtanen', country: 'FI' }),
        await person({ fullName: 'Sara Lind', school: 'Skola\nmed radbrytning' }),
        await person({ fullName: '=HYPERLINK("http://evil.example")' }),
      ];
      for (const p of crowd) await enrolPost(offering.slug, p);
    });

    it('lists everyone with their status, waitlist position, and counts', async () => {
      const result = await list(trainer);
      expect(result.status).toBe(200);
      expect(result.data.counts).toEqual({ enrolled: 3, waitlisted: 2, completed: 0, withdrawn: 0 });
      const rows = result.data.rows.map((r: { fullName: string; status: string; waitlistPosition: number | null }) => [r.fullName, r.status, r.waitlistPosition]);
      // Those with a place first (by name, in the database's collation), then the waitlist in its order.
      expect(rows.slice(0, 3).sort()).toEqual([
        ['Anna Berg', 'enrolled', null],
        ['Mikko "Mikke" Virtanen', 'enrolled', null],
        ['Łucja Żółkiewska', 'enrolled', null],
      ]);
      expect(rows.slice(3)).toEqual([
        ['Sara Lind', 'waitlisted', 1],
        ['=HYPERLINK("http://evil.example")', 'waitlisted', 2],
      ]);
    });

    it('filters by status and searches names and addresses from the URL', async () => {
      const waiting = await list(trainer, '?status=waitlisted');
      expect(waiting.data.rows.map((r: { fullName: string }) => r.fullName)).toEqual(['Sara Lind', '=HYPERLINK("http://evil.example")']);
      const found = await list(trainer, `?q=${encodeURIComponent('żółk')}`);
      expect(found.data.rows.map((r: { fullName: string }) => r.fullName)).toEqual(['Łucja Żółkiewska']);
      const byEmail = await list(trainer, `?q=${encodeURIComponent(crowd[0]!.email.toUpperCase())}`);
      expect(byEmail.data.total).toBe(1);
      expect((await list(trainer, '?q=%25')).data.total).toBe(0);
      expect((await list(trainer, '?status=vip')).status).toBe(400);
      expect((await list(trainer, '?page=0')).status).toBe(400);
    });

    it('is for the offering’s own trainers and admins only: everyone else gets 404, anonymous visitors a sign-in', async () => {
      const participant = crowd[0]!;
      for (const who of [participant, otherTrainer]) {
        expect((await list(who)).status).toBe(404);
        expect((await call(csvLoader, makeRequest(`${path()}.csv`, { cookie: who.cookie }), { id: offering.id })).status).toBe(404);
        expect((await act(who, { intent: 'remove', enrolmentId: (await rowOf(offering.id, crowd[1]!.id))!.id })).status).toBe(404);
      }
      expect((await list(admin)).status).toBe(200);
      const anonymous = await list(null);
      expect(anonymous.status).toBe(302);
      expect(anonymous.location).toMatch(/^\/login\?redirectTo=/);
      expect((await call(participantsLoader, makeRequest('/trainer/offerings/not-an-id/participants', { cookie: trainer.cookie }), { id: 'not-an-id' })).status).toBe(404);
      expect((await rowOf(offering.id, crowd[1]!.id))?.status).toBe('enrolled');
    });

    it('never reaches another offering’s participants by changing an id', async () => {
      const mine = await makeOffering({ capacity: 5 });
      await ctx.db.delete(offeringTrainers).where(eq(offeringTrainers.offeringId, mine.id));
      await ctx.db.insert(offeringTrainers).values({ offeringId: mine.id, userId: otherTrainer.id });
      const theirs = (await rowOf(offering.id, crowd[0]!.id))!;
      // The other trainer, on their own offering, names an enrolment of this one.
      const viaOwn = await call(
        participantsAction,
        makeRequest(`/trainer/offerings/${mine.id}/participants`, { cookie: otherTrainer.cookie, form: { intent: 'remove', enrolmentId: theirs.id } }),
        { id: mine.id },
      );
      expect(viaOwn.status).toBe(404);
      const confirm = await call(
        participantsLoader,
        makeRequest(`/trainer/offerings/${mine.id}/participants?remove=${theirs.id}`, { cookie: otherTrainer.cookie }),
        { id: mine.id },
      );
      expect(confirm.status).toBe(404);
      expect((await rowOf(offering.id, crowd[0]!.id))?.status).toBe('enrolled');
    });

    it('exports UTF-8 CSV with a byte order mark, a header row, safe quoting and inert formulas', async () => {
      const result = await call(csvLoader, makeRequest(`${path()}.csv`, { cookie: trainer.cookie }), { id: offering.id });
      expect(result.status).toBe(200);
      expect(result.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(result.headers.get('content-disposition')).toBe(`attachment; filename="participants-${offering.slug}.csv"`);
      expect(result.headers.get('cache-control')).toBe('no-store');
      const bytes = new Uint8Array(await result.response!.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
      const lines = text.slice(1).split('\r\n');
      expect(lines[0]).toBe('Name,Email,Country,School,Status,Enrolled at (UTC),Waitlist position,Completed at (UTC)');
      expect(text).toContain(`Łucja Żółkiewska,${crowd[1]!.email},Poland,"Szkoła Podstawowa nr 5, Kraków",Enrolled,`);
      expect(text).toContain('"Mikko ""Mikke"" Virtanen"');
      expect(text).toContain('"Skola\nmed radbrytning",Waitlisted,,1,');
      expect(text).toContain(`"'=HYPERLINK(""http://evil.example"")",${crowd[4]!.email}`);
      const anna = lines.find((l) => l.startsWith('Anna Berg'))!;
      expect(anna).toMatch(/,Enrolled,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z,,$/);
      // The status filter of the page applies to the file too.
      const waiting = await call(csvLoader, makeRequest(`${path()}.csv?status=waitlisted`, { cookie: trainer.cookie }), { id: offering.id });
      const waitingText = await waiting.response!.text();
      expect(waitingText).not.toContain('Anna Berg');
      expect(waitingText).toContain('Sara Lind');
    });

    it('writes the header in the trainer’s language', async () => {
      const svTrainer = await person({ locale: 'sv', roles: [{ role: 'trainer' }] });
      await ctx.db.insert(offeringTrainers).values({ offeringId: offering.id, userId: svTrainer.id });
      const result = await call(csvLoader, makeRequest(`${path()}.csv`, { cookie: svTrainer.cookie }), { id: offering.id });
      const text = await result.response!.text();
      expect(text.split('\r\n')[0]).not.toBe('\ufeffName,Email,Country,School,Status,Enrolled at (UTC),Waitlist position,Completed at (UTC)');
    });

    it('removes a participant after a confirmation step: withdrawn, recorded, and the seat goes to the first in line', async () => {
      const target = (await rowOf(offering.id, crowd[2]!.id))!;
      const confirm = await list(trainer, `?remove=${target.id}`);
      expect(confirm.data.removing).toMatchObject({ enrolmentId: target.id, fullName: 'Mikko "Mikke" Virtanen', status: 'enrolled' });
      const result = await act(trainer, { intent: 'remove', enrolmentId: target.id }, `?remove=${target.id}&status=enrolled`);
      expect(result.status).toBe(302);
      expect(result.location).toBe(`${path()}?status=enrolled`);
      expect(await flashOf(result)).toMatchObject({ key: 'enrolment.flash.removedPromoted', params: { name: 'Mikko "Mikke" Virtanen', promoted: 'Sara Lind' } });
      expect(await rowOf(offering.id, crowd[2]!.id)).toMatchObject({ status: 'withdrawn', removedBy: trainer.id });
      expect((await rowOf(offering.id, crowd[3]!.id))?.status).toBe('enrolled');
      expect(await seatsOf(offering.id)).toBe(3);
      const [entry] = await ctx.db.select().from(auditLog).where(and(eq(auditLog.subjectId, target.id), eq(auditLog.action, 'enrolment.removed')));
      expect(entry).toMatchObject({ actorId: trainer.id, details: { previous: 'enrolled', userId: crowd[2]!.id, promoted: [crowd[3]!.id] } });

      // Removed means removed: the person cannot simply enrol again.
      const again = await enrolPost(offering.slug, crowd[2]!);
      expect(await flashOf(again)).toMatchObject({ key: 'enrolment.refusal.removed' });
      // A second removal finds nothing to remove.
      const twice = await act(trainer, { intent: 'remove', enrolmentId: target.id });
      expect(twice.status).toBe(409);
      expect(twice.data.error).toMatch(/^enrolment\.errors\.alreadyRemoved/);
    });

    it('moves a waitlisted person up only into a free seat, or with the capacity raised by one when the trainer says so', async () => {
      const waiting = (await rowOf(offering.id, crowd[4]!.id))!;
      expect(waiting.status).toBe('waitlisted');
      const refused = await act(trainer, { intent: 'promote', enrolmentId: waiting.id });
      expect(refused.status).toBe(409);
      expect(refused.data).toMatchObject({ rowId: waiting.id, raiseTo: 4 });
      expect((await rowOf(offering.id, crowd[4]!.id))?.status).toBe('waitlisted');

      const raised = await act(trainer, { intent: 'promote-raise', enrolmentId: waiting.id });
      expect(await flashOf(raised)).toMatchObject({ key: 'enrolment.flash.movedRaised', params: { capacity: '4' } });
      expect((await rowOf(offering.id, crowd[4]!.id))?.status).toBe('enrolled');
      const row = (await ctx.db.select().from(offerings).where(eq(offerings.id, offering.id)))[0]!;
      expect([row.capacity, row.seatsTaken]).toEqual([4, 4]);
      expect((await mailsTo(crowd[4]!.email)).map((m) => m.template)).toContain('waitlist-promoted');
      const actions = (await ctx.db.select().from(auditLog).where(inArray(auditLog.action, ['offering.capacity_raised', 'enrolment.moved_from_waitlist']))).map(
        (a) => a.action,
      );
      expect(actions.sort()).toEqual(['enrolment.moved_from_waitlist', 'offering.capacity_raised']);

      const notWaiting = await act(trainer, { intent: 'promote', enrolmentId: waiting.id });
      expect(notWaiting.status).toBe(409);
      expect(notWaiting.data.error).toBe('enrolment.errors.notWaitlisted');
    });

    it('moves someone into a seat that is free without touching the capacity', async () => {
      const small = await makeOffering({ capacity: 1, waitlistEnabled: true });
      const [a, b] = await people(2);
      await enrolPost(small.slug, a!);
      await enrolPost(small.slug, b!);
      // The offering ended, so nobody was promoted automatically when a left.
      await ctx.db.update(offerings).set({ endsAt: new Date(Date.now() - 1000) }).where(eq(offerings.id, small.id));
      await enrolPost(small.slug, a!, 'unenrol');
      expect((await rowOf(small.id, b!.id))?.status).toBe('waitlisted');
      const waiting = (await rowOf(small.id, b!.id))!;
      const moved = await call(
        participantsAction,
        makeRequest(`/trainer/offerings/${small.id}/participants`, { cookie: trainer.cookie, form: { intent: 'promote', enrolmentId: waiting.id } }),
        { id: small.id },
      );
      expect(await flashOf(moved)).toMatchObject({ key: 'enrolment.flash.moved' });
      const row = (await ctx.db.select().from(offerings).where(eq(offerings.id, small.id)))[0]!;
      expect([row.capacity, row.seatsTaken]).toEqual([1, 1]);
    });

    it('refuses to remove a completed participant', async () => {
      const done = (await rowOf(offering.id, crowd[0]!.id))!;
      await ctx.db.update(enrolments).set({ status: 'completed', completedAt: new Date('2026-05-01T10:00:00Z') }).where(eq(enrolments.id, done.id));
      const result = await act(trainer, { intent: 'remove', enrolmentId: done.id });
      expect(result.status).toBe(409);
      expect(result.data.error).toMatch(/^enrolment\.errors\.cannotRemoveCompleted/);
      expect((await rowOf(offering.id, crowd[0]!.id))?.status).toBe('completed');
      const text = await (await call(csvLoader, makeRequest(`${path()}.csv`, { cookie: trainer.cookie }), { id: offering.id })).response!.text();
      expect(text).toMatch(/Anna Berg,.*,Completed,.*,,2026-05-01T10:00:00Z\r\n/);
    });

    it('treats unknown buttons and malformed ids as pages that do not exist', async () => {
      expect((await act(trainer, { intent: 'remove', enrolmentId: 'not-a-uuid' })).status).toBe(404);
      expect((await act(trainer, { intent: 'explode' })).status).toBe(404);
      expect((await act(trainer, { intent: 'remove', enrolmentId: '3f1c1a52-5c1e-4e7b-9a43-0c5e4a8e2b11' })).status).toBe(404);
    });
  });

  describe('emails', () => {
    const LOCALES: EmailLocale[] = ['en', 'nb', 'sv', 'fi'];
    const SITE = { appUrl: 'https://kollega.example.org', organisationName: 'Kollega' };
    const NAME = '<b>Łucja</b> Ελένη';
    const TITLE = 'Maths & "Play" <2026>';
    const URL = 'https://kollega.example.org/learn/maths?x=1&y=2';
    const cases = [
      ['enrolment-confirmed', { name: NAME, offeringTitle: TITLE, dates: '2 Mar – 13 Apr 2026', courseUrl: URL, offeringUrl: 'https://kollega.example.org/offerings/maths' }],
      ['waitlist-promoted', { name: NAME, offeringTitle: TITLE, dates: null, courseUrl: URL, offeringUrl: 'https://kollega.example.org/offerings/maths' }],
      ['invitation', { inviterName: NAME, offeringTitle: TITLE, dates: '2 Mar 2026', url: URL }],
    ] as const;

    it.each(cases)('renders %s in every language, escaped, with the link in both parts', (template, data) => {
      const rendered = LOCALES.map((locale) => renderEmail(template, locale, data as never, SITE));
      expect(new Set(rendered.map((e) => e.subject)).size).toBe(4);
      for (const [i, email] of rendered.entries()) {
        expect(email.subject).toContain(TITLE);
        expect(email.html).toContain(escapeHtml(TITLE));
        expect(email.html).not.toContain('<b>Łucja</b>');
        expect(email.html).toContain(`<html lang="${LOCALES[i]}">`);
        expect(email.html).toContain(`href="${escapeHtml(URL)}"`);
        expect(email.text).toContain(URL);
        expect(email.text).toContain(NAME);
      }
    });
  });

  it('keeps the enrolled count equal to the seat counter through all of the above', async () => {
    const rows = await ctx.db
      .select({ id: offerings.id, seats: offerings.seatsTaken, capacity: offerings.capacity })
      .from(offerings)
      .where(inArray(offerings.id, counted))
      .orderBy(asc(offerings.createdAt));
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      const held = await ctx.db
        .select({ id: enrolments.id })
        .from(enrolments)
        .where(and(eq(enrolments.offeringId, row.id), inArray(enrolments.status, ['enrolled', 'completed'])));
      expect(held.length).toBe(row.seats);
      if (row.capacity !== null) expect(row.seats).toBeLessThanOrEqual(row.capacity);
    }
  });
});
