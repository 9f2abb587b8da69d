import type { AppLoadContext, LoaderFunctionArgs } from '@remix-run/node';
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, enrolments, invitations, offeringTrainers, offerings, outboxEmails, users } from '#db/schema';
import { verifyEmail } from '~/modules/auth/accounts.server';
import { hashToken } from '~/modules/auth/tokens.server';
import { readFlash } from '~/modules/ui/flash.server';
import { action as acceptAction, loader as invitationLoader } from '~/routes/invitations.$token';
import { action as enrolmentAction } from '~/routes/offerings.$slug.enrolment';
import { action as participantsAction, loader as participantsLoader } from '~/routes/trainer.offerings.$id.participants';
import { action as registerAction } from '~/routes/register';
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
}
type Handler = (args: LoaderFunctionArgs) => unknown;
type Person = { id: string; email: string; fullName: string; cookie: string };

describe('invitations', () => {
  let ctx: TestContext;
  let trainer: Person;
  let otherTrainer: Person;

  async function call(handler: Handler, request: Request, params: Record<string, string>, clientAddress = '127.0.0.1'): Promise<Outcome> {
    let value: unknown;
    try {
      value = await handler({ request, context: requestContext(ctx, { clientAddress }) as AppLoadContext, params });
    } catch (thrown) {
      value = thrown;
    }
    if (value instanceof Response) return { status: value.status, data: null, location: value.headers.get('location'), headers: value.headers };
    if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
      const { data, init } = value as { data: unknown; init: ResponseInit | null };
      return { status: init?.status ?? 200, data, location: null, headers: new Headers(init?.headers) };
    }
    if (value instanceof Error) throw value;
    return { status: 200, data: value, location: null, headers: new Headers() };
  }

  async function person(overrides: UserOverrides = {}): Promise<Person> {
    const user = await createUser(ctx.db, overrides);
    return { id: user.id, email: user.email, fullName: user.fullName, cookie: await signIn(ctx, user.id) };
  }

  async function makeOffering(overrides: Partial<typeof offerings.$inferInsert> = {}) {
    const suffix = randomBytes(4).toString('hex');
    const now = Date.now();
    const [row] = await ctx.db
      .insert(offerings)
      .values({
        slug: `invite-${suffix}`,
        kind: 'webinar',
        title: `Leading school libraries ${suffix}`,
        language: 'fi',
        organiserTimeZone: 'Europe/Helsinki',
        eligibility: 'invite',
        enrolmentOpensAt: new Date(now - 5 * DAY),
        enrolmentClosesAt: new Date(now + 20 * DAY),
        startsAt: new Date(now + 21 * DAY),
        endsAt: new Date(now + 21 * DAY + 3_600_000),
        status: 'published',
        publishedAt: new Date(now),
        ...overrides,
      })
      .returning();
    await ctx.db.insert(offeringTrainers).values({ offeringId: row!.id, userId: trainer.id });
    return row!;
  }

  const invite = (offeringId: string, emails: string, who: Person = trainer) =>
    call(participantsAction, makeRequest(`/trainer/offerings/${offeringId}/participants`, { cookie: who.cookie, form: { intent: 'invite', emails } }), {
      id: offeringId,
    });
  const open = (token: string, who: Person | null) => call(invitationLoader, makeRequest(`/invitations/${token}`, { cookie: who?.cookie }), { token });
  const accept = (token: string, who: Person | null) =>
    call(acceptAction, makeRequest(`/invitations/${token}`, { cookie: who?.cookie, form: { intent: 'accept' } }), { token });

  /** The token of the newest invitation link emailed to an address. */
  async function tokenFor(email: string): Promise<string> {
    const rows = await ctx.db.select().from(outboxEmails).where(and(eq(outboxEmails.toAddress, email), eq(outboxEmails.template, 'invitation')));
    const links = rows
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .flatMap((row) => [...row.text.matchAll(/https?:\/\/\S+\/invitations\/(\S+)/g)].map((m) => m[1]!));
    const token = links.at(-1);
    if (!token) throw new Error(`no invitation for ${email}`);
    return token;
  }
  async function flashOf(result: Outcome) {
    const pair = /kollega_flash=[^;]*/.exec(result.headers.get('set-cookie') ?? '')?.[0];
    if (!pair) return null;
    return (await readFlash(requestContext(ctx) as never, makeRequest('/', { cookie: pair }))).flash;
  }
  const rowOf = async (offeringId: string, userId: string) =>
    (await ctx.db.select().from(enrolments).where(and(eq(enrolments.offeringId, offeringId), eq(enrolments.userId, userId))))[0] ?? null;

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    trainer = await person({ roles: [{ role: 'trainer' }], fullName: 'Tiina Trainer', locale: 'en' });
    otherTrainer = await person({ roles: [{ role: 'trainer' }] });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('emails each address a single-use link, stores only its hash, and lists the invitations', async () => {
    const offering = await makeOffering();
    const existing = await person({ locale: 'sv', email: `anna-${randomBytes(3).toString('hex')}@skola.example.se` });
    const future = `New.Teacher-${randomBytes(3).toString('hex')}@Koulu.Example.FI`;
    const result = await invite(offering.id, `${existing.email.toUpperCase()}\n\n${future}\n${existing.email}`);
    expect(result.status).toBe(302);
    expect(await flashOf(result)).toMatchObject({ key: 'enrolment.flash.invitationsSent', params: { count: '2' } });

    const rows = await ctx.db.select().from(invitations).where(eq(invitations.offeringId, offering.id));
    expect(rows.map((r) => r.email).sort()).toEqual([existing.email, future.toLowerCase()].sort());
    const token = await tokenFor(existing.email);
    expect(rows.find((r) => r.email === existing.email)?.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);

    const [toExisting] = await ctx.db.select().from(outboxEmails).where(eq(outboxEmails.toAddress, existing.email));
    expect(toExisting).toMatchObject({ template: 'invitation', locale: 'sv' });
    expect(toExisting!.subject).toBe(`Du är inbjuden: ${offering.title}`);
    expect(toExisting!.text).toContain('Tiina Trainer');
    expect(toExisting!.text).toContain(`${TEST_APP_URL}/invitations/${token}`);
    // No account yet: the offering's language.
    const [toFuture] = await ctx.db.select().from(outboxEmails).where(eq(outboxEmails.toAddress, future.toLowerCase()));
    expect(toFuture).toMatchObject({ template: 'invitation', locale: 'fi' });

    const list = await call(participantsLoader, makeRequest(`/trainer/offerings/${offering.id}/participants`, { cookie: trainer.cookie }), { id: offering.id });
    expect(list.data.invitations.map((i: { status: string }) => i.status)).toEqual(['pending', 'pending']);
    const [audit] = await ctx.db.select().from(auditLog).where(and(eq(auditLog.subjectId, offering.id), eq(auditLog.action, 'invitation.sent')));
    expect(audit?.actorId).toBe(trainer.id);
  });

  it('refuses malformed addresses, keeping the text, and sends nothing', async () => {
    const offering = await makeOffering();
    const result = await invite(offering.id, 'ok@school.example\nnot an address');
    expect(result.status).toBe(400);
    expect(result.data.result.error.emails[0]).toMatch(/^enrolment\.errors\.invalidEmails\|/);
    expect(result.data.result.initialValue.emails).toBe('ok@school.example\nnot an address');
    expect(await ctx.db.select().from(invitations).where(eq(invitations.offeringId, offering.id))).toHaveLength(0);
    const tooMany = await invite(offering.id, Array.from({ length: 201 }, (_, i) => `t${i}@school.example`).join('\n'));
    expect(tooMany.status).toBe(400);
  });

  it('lets only the offering’s own trainers invite', async () => {
    const offering = await makeOffering();
    expect((await invite(offering.id, 'someone@school.example', otherTrainer)).status).toBe(404);
    expect(await ctx.db.select().from(invitations).where(eq(invitations.offeringId, offering.id))).toHaveLength(0);
  });

  it('enrols an existing account through the link, once; opening the link alone changes nothing', async () => {
    const offering = await makeOffering({ capacity: 10 });
    const guest = await person({ locale: 'fi' });
    await invite(offering.id, guest.email);
    const token = await tokenFor(guest.email);

    // The invite-only offering refuses the guest without the link… unless they come by the address the trainer used.
    const anonymous = await open(token, null);
    expect(anonymous.status).toBe(200);
    expect(anonymous.data).toMatchObject({ state: 'sign-in', title: offering.title, signInHref: `/login?redirectTo=${encodeURIComponent(`/invitations/${token}`)}` });
    expect(anonymous.data.maskedEmail).toMatch(/^.\*\*\*@example\.test$/);
    expect(anonymous.headers.get('referrer-policy')).toBe('no-referrer');

    const shown = await open(token, guest);
    expect(shown.data).toMatchObject({ state: 'ready', offer: 'enrol', refusal: null });
    expect(await rowOf(offering.id, guest.id)).toBeNull();

    const accepted = await accept(token, guest);
    expect(accepted.status).toBe(302);
    expect(accepted.location).toBe(`/offerings/${offering.slug}#enrolment`);
    expect(await flashOf(accepted)).toMatchObject({ key: 'enrolment.flash.enrolled' });
    expect(await rowOf(offering.id, guest.id)).toMatchObject({ status: 'enrolled', source: 'invitation' });
    const [row] = await ctx.db.select().from(invitations).where(eq(invitations.offeringId, offering.id));
    expect(row).toMatchObject({ acceptedBy: guest.id });
    expect(row!.acceptedAt).not.toBeNull();
    const mails = await ctx.db.select().from(outboxEmails).where(and(eq(outboxEmails.toAddress, guest.email), eq(outboxEmails.template, 'enrolment-confirmed')));
    expect(mails).toHaveLength(1);

    // Single use.
    expect((await open(token, guest)).data.state).toBe('accepted-by-you');
    const other = await person();
    expect((await open(token, other)).status).toBe(410);
    const again = await accept(token, guest);
    expect(again.status).toBe(409);
    expect(await ctx.db.select().from(enrolments).where(eq(enrolments.offeringId, offering.id))).toHaveLength(1);
  });

  it('works for an account made after the invitation: register, confirm the address, accept', async () => {
    const offering = await makeOffering({ capacity: 10 });
    const email = `later-${randomBytes(3).toString('hex')}@school.example`;
    await invite(offering.id, email);
    const token = await tokenFor(email);

    const registered = await call(
      registerAction,
      makeRequest('/register', {
        form: {
          email,
          password: 'fjord-lantern-harbour-71',
          fullName: 'Łucja Żółkiewska',
          certificateName: '',
          country: 'PL',
          school: 'Szkoła Podstawowa nr 5',
          schoolRole: 'teacher',
          locale: 'en',
          timeZone: 'Europe/Warsaw',
          website: '',
        },
      }),
      {},
      '10.9.9.9',
    );
    expect(registered.status).toBe(302);
    const cookie = /kollega_session=[^;]*/.exec(registered.headers.get('set-cookie') ?? '')![0];
    const [user] = await ctx.db.select().from(users).where(eq(users.email, email));
    const newcomer: Person = { id: user!.id, email, fullName: user!.fullName, cookie };

    // The address is not confirmed yet: the link says so instead of enrolling.
    const early = await open(token, newcomer);
    expect(early.data).toMatchObject({ state: 'ready', offer: null, refusal: { key: 'enrolment.refusal.emailUnverified' } });
    const refused = await accept(token, newcomer);
    expect(refused.status).toBe(409);
    expect(await rowOf(offering.id, newcomer.id)).toBeNull();

    const verifyMail = (await ctx.db.select().from(outboxEmails).where(and(eq(outboxEmails.toAddress, email), eq(outboxEmails.template, 'verify-email'))))[0]!;
    const verifyToken = /verify-email\?token=(\S+)/.exec(verifyMail.text)![1]!;
    expect((await verifyEmail(ctx, verifyToken, new Date())).ok).toBe(true);

    const accepted = await accept(token, newcomer);
    expect(accepted.status).toBe(302);
    expect(await rowOf(offering.id, newcomer.id)).toMatchObject({ status: 'enrolled', source: 'invitation' });
  });

  it('refuses a signed-in account with another address, and shows only a masked address', async () => {
    const offering = await makeOffering();
    const invited = `invited-${randomBytes(3).toString('hex')}@school.example`;
    await invite(offering.id, invited);
    const token = await tokenFor(invited);
    const intruder = await person();
    const shown = await open(token, intruder);
    expect(shown.status).toBe(403);
    expect(shown.data.state).toBe('wrong-account');
    expect(JSON.stringify(shown.data)).not.toContain(invited);
    expect((await accept(token, intruder)).status).toBe(409);
    expect(await rowOf(offering.id, intruder.id)).toBeNull();
  });

  it('answers 404 for unknown links and sends anonymous acceptances to sign in', async () => {
    expect((await open('not-a-real-token', null)).status).toBe(404);
    expect((await open('x'.repeat(500), null)).status).toBe(404);
    const anonymous = await accept('whatever', null);
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/login\?redirectTo=%2Finvitations%2Fwhatever/);
  });

  it('revokes a pending invitation: the link stops working; an accepted one cannot be revoked', async () => {
    const offering = await makeOffering();
    const guest = await person();
    const [a, b] = [guest.email, `b-${randomBytes(3).toString('hex')}@school.example`];
    await invite(offering.id, `${a}\n${b}`);
    const [rowA, rowB] = await Promise.all(
      [a, b].map(async (email) => (await ctx.db.select().from(invitations).where(and(eq(invitations.offeringId, offering.id), eq(invitations.email, email))))[0]!),
    );
    const tokenA = await tokenFor(a);
    const revoke = (id: string) =>
      call(participantsAction, makeRequest(`/trainer/offerings/${offering.id}/participants`, { cookie: trainer.cookie, form: { intent: 'revoke', invitationId: id } }), {
        id: offering.id,
      });
    const result = await revoke(rowA!.id);
    expect(await flashOf(result)).toMatchObject({ key: 'enrolment.flash.invitationRevoked', params: { email: a } });
    expect((await open(tokenA, guest)).status).toBe(410);
    expect((await accept(tokenA, guest)).status).toBe(409);
    expect(await rowOf(offering.id, guest.id)).toBeNull();
    // The invite-only offering page refuses them too now.
    const viaPage = await call(enrolmentAction, makeRequest(`/offerings/${offering.slug}/enrolment`, { cookie: guest.cookie, form: { intent: 'enrol' } }), {
      slug: offering.slug,
    });
    expect(await flashOf(viaPage)).toMatchObject({ key: 'enrolment.refusal.invitationNeeded' });
    expect((await revoke(rowA!.id)).status).toBe(409);

    // Inviting again sends a new link and lifts the revocation; the old link stays dead.
    await invite(offering.id, a);
    const fresh = await tokenFor(a);
    expect(fresh).not.toBe(tokenA);
    expect((await open(tokenA, guest)).status).toBe(404);
    expect((await accept(fresh, guest)).status).toBe(302);
    expect((await revoke(rowA!.id)).data.error).toBe('enrolment.errors.invitationAccepted');
    expect((await revoke(rowB!.id)).status).toBe(302);
    // Someone with a place is not invited again.
    const skipped = await invite(offering.id, a);
    expect(await flashOf(skipped)).toMatchObject({ key: 'enrolment.flash.invitationsSentSomeSkipped', params: { count: '0', list: a } });
  });

  it('lets an invited address enrol from the offering page too, and respects the capacity and waitlist', async () => {
    const offering = await makeOffering({ capacity: 1, waitlistEnabled: true });
    const [first, second, stranger] = [await person(), await person(), await person()];
    await invite(offering.id, `${first.email}\n${second.email}`);
    const post = (who: Person) =>
      call(enrolmentAction, makeRequest(`/offerings/${offering.slug}/enrolment`, { cookie: who.cookie, form: { intent: 'enrol' } }), { slug: offering.slug });
    expect(await flashOf(await post(first))).toMatchObject({ key: 'enrolment.flash.enrolled' });
    expect(await flashOf(await post(stranger))).toMatchObject({ key: 'enrolment.refusal.invitationNeeded' });
    // Full: the link puts the second guest on the waitlist.
    const token = await tokenFor(second.email);
    expect((await open(token, second)).data).toMatchObject({ state: 'ready', offer: 'waitlist' });
    const accepted = await accept(token, second);
    expect(await flashOf(accepted)).toMatchObject({ key: 'enrolment.flash.waitlisted', params: { position: '1' } });
    expect(await rowOf(offering.id, second.id)).toMatchObject({ status: 'waitlisted', source: 'invitation' });
    const [firstInvitation] = await ctx.db.select().from(invitations).where(and(eq(invitations.offeringId, offering.id), eq(invitations.email, first.email)));
    expect(firstInvitation?.acceptedBy).toBe(first.id);
  });

  it('lets a trainer bring back someone they removed by inviting them again', async () => {
    const offering = await makeOffering({ eligibility: 'open', capacity: 5 });
    const guest = await person();
    await call(enrolmentAction, makeRequest(`/offerings/${offering.slug}/enrolment`, { cookie: guest.cookie, form: { intent: 'enrol' } }), { slug: offering.slug });
    const row = (await rowOf(offering.id, guest.id))!;
    await call(
      participantsAction,
      makeRequest(`/trainer/offerings/${offering.id}/participants`, { cookie: trainer.cookie, form: { intent: 'remove', enrolmentId: row.id } }),
      { id: offering.id },
    );
    expect((await rowOf(offering.id, guest.id))?.removedBy).toBe(trainer.id);
    await invite(offering.id, guest.email);
    const accepted = await accept(await tokenFor(guest.email), guest);
    expect(accepted.status).toBe(302);
    expect(await rowOf(offering.id, guest.id)).toMatchObject({ id: row.id, status: 'enrolled', removedBy: null });
  });
});
