import type { AppLoadContext, LoaderFunctionArgs } from '@remix-run/node';
import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, enrolments, liveSessions, offeringMessages, offeringTrainers, offerings, outboxEmails, users } from '#db/schema';
import { deliverOutboxEmail, MAX_DELIVERY_ATTEMPTS } from '~/modules/email/delivery.server';
import { createMailTransport, type MailTransport } from '~/modules/email/transport.server';
import { QUEUES } from '~/modules/jobs/jobs.server';
import { readFlash } from '~/modules/ui/flash.server';
import { messageGroupKey } from '~/modules/reminders/messages.server';
import { loader as layoutLoader } from '~/routes/trainer.offerings.$id';
import { action as messagesAction, loader as messagesLoader } from '~/routes/trainer.offerings.$id.messages';
import { createTestContext, recordingJobQueue, TEST_APP_URL, type TestContext } from '../support/context';
import { createUser, signIn, testPasswordHash, type UserOverrides } from '../support/factories';
import { makeRequest, requestContext } from '../support/requests';

interface Outcome {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
  location: string | null;
  headers: Headers;
}
type Handler = (args: LoaderFunctionArgs) => unknown;
type Person = { id: string; email: string; fullName: string; cookie: string };

describe('messages to participants', () => {
  let ctx: TestContext;
  let jobs: ReturnType<typeof recordingJobQueue>;
  let trainer: Person;
  let otherTrainer: Person;
  let admin: Person;
  let mailbox: MailTransport;

  async function call(handler: Handler, request: Request, params: Record<string, string>): Promise<Outcome> {
    let value: unknown;
    try {
      value = await handler({ request, context: requestContext(ctx) as AppLoadContext, params });
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

  async function makeOffering() {
    const suffix = randomBytes(4).toString('hex');
    const [row] = await ctx.db
      .insert(offerings)
      .values({ slug: `messages-${suffix}`, kind: 'webinar_series', title: `Outdoor maths ${suffix}`, language: 'en', organiserTimeZone: 'Europe/Stockholm', status: 'published' })
      .returning();
    await ctx.db.insert(offeringTrainers).values({ offeringId: row!.id, userId: trainer.id });
    return row!;
  }

  async function enrol(offeringId: string, userId: string, status: 'enrolled' | 'completed' | 'waitlisted' | 'withdrawn') {
    await ctx.db.insert(enrolments).values({
      offeringId,
      userId,
      status,
      enrolledAt: status === 'waitlisted' ? null : new Date(),
      waitlistSeq: status === 'waitlisted' ? Math.floor(Math.random() * 1e9) : null,
      waitlistedAt: status === 'waitlisted' ? new Date() : null,
    });
  }

  const page = (offeringId: string) => `/trainer/offerings/${offeringId}/messages`;
  const load = (offeringId: string, who: Person | null) => call(messagesLoader, makeRequest(page(offeringId), { cookie: who?.cookie }), { id: offeringId });
  const post = (offeringId: string, who: Person | null, form: Record<string, string>) =>
    call(messagesAction, makeRequest(page(offeringId), { cookie: who?.cookie, form }), { id: offeringId });

  async function flashOf(result: Outcome) {
    const pair = /kollega_flash=[^;]*/.exec(result.headers.get('set-cookie') ?? '')?.[0];
    if (!pair) return null;
    return (await readFlash(requestContext(ctx) as never, makeRequest('/', { cookie: pair }))).flash;
  }

  const mailsOf = (messageId: string) => ctx.db.select().from(outboxEmails).where(eq(outboxEmails.groupKey, messageGroupKey(messageId)));

  beforeAll(async () => {
    jobs = recordingJobQueue();
    ctx = await createTestContext({ jobs });
    mailbox = createMailTransport(ctx.config, ctx.db);
    trainer = await person({ roles: [{ role: 'trainer' }], fullName: 'Tove Trainer' });
    otherTrainer = await person({ roles: [{ role: 'trainer' }] });
    admin = await person({ roles: [{ role: 'admin' }] });
  });
  afterAll(async () => {
    mailbox?.close();
    await ctx?.close();
  });

  describe('who may use the page', () => {
    it('answers the offering’s trainers and admins, and 404 to another trainer, a participant and a made-up id', async () => {
      const offering = await makeOffering();
      const participant = await person();
      await enrol(offering.id, participant.id, 'enrolled');

      expect((await load(offering.id, trainer)).status).toBe(200);
      expect((await load(offering.id, admin)).status).toBe(200);
      expect((await load(offering.id, otherTrainer)).status).toBe(404);
      expect((await load(offering.id, participant)).status).toBe(404);
      expect((await load(randomUUID(), trainer)).status).toBe(404);
      const anonymous = await load(offering.id, null);
      expect(anonymous.status).toBe(302);
      expect(anonymous.location).toMatch(/^\/login\?redirectTo=/);

      const form = { token: randomUUID(), subject: 'Hello', body: 'Probe' };
      expect((await post(offering.id, otherTrainer, form)).status).toBe(404);
      expect((await post(offering.id, participant, form)).status).toBe(404);
      expect(await ctx.db.select().from(offeringMessages).where(eq(offeringMessages.offeringId, offering.id))).toEqual([]);
    });

    it('shows the Messages tab to those who may send, not to a trainer who may only look', async () => {
      const offering = await makeOffering();
      const own = await call(layoutLoader, makeRequest(`/trainer/offerings/${offering.id}`, { cookie: trainer.cookie }), { id: offering.id });
      expect(own.data.canMessage).toBe(true);
      const other = await call(layoutLoader, makeRequest(`/trainer/offerings/${offering.id}`, { cookie: otherTrainer.cookie }), { id: offering.id });
      expect(other.status).toBe(200);
      expect(other.data.canMessage).toBe(false);
    });
  });

  describe('sending', () => {
    it('queues one email per active participant in their language, escaped, with line breaks kept, and sends a form only once', async () => {
      const offering = await makeOffering();
      const ola = await person({ locale: 'nb', fullName: 'Ola Nordmann' });
      const anna = await person({ locale: 'sv' });
      const done = await person({ locale: 'en' });
      const waiting = await person();
      const left = await person();
      await enrol(offering.id, ola.id, 'enrolled');
      await enrol(offering.id, anna.id, 'enrolled');
      await enrol(offering.id, done.id, 'completed');
      await enrol(offering.id, waiting.id, 'waitlisted');
      await enrol(offering.id, left.id, 'withdrawn');

      const shown = await load(offering.id, trainer);
      expect(shown.data.participantCount).toBe(3);
      const token = shown.data.token as string;
      const form = { token, sessionId: '', subject: 'Bring a <b>ruler</b>', body: 'Line one\r\nLine two & <i>three</i>\r\n\r\nNew paragraph' };
      const sentBefore = jobs.sent.length;

      const result = await post(offering.id, trainer, form);
      expect(result.status).toBe(302);
      expect(result.location).toBe(page(offering.id));
      expect(await flashOf(result)).toMatchObject({ key: 'messages.flash.sent', params: { count: '3' } });

      const [stored] = await ctx.db.select().from(offeringMessages).where(eq(offeringMessages.id, token));
      expect(stored).toMatchObject({ offeringId: offering.id, senderId: trainer.id, sessionId: null, subject: 'Bring a <b>ruler</b>', recipientCount: 3 });
      expect(stored!.body).toBe('Line one\nLine two & <i>three</i>\n\nNew paragraph');

      const mails = await mailsOf(token);
      expect(mails.map((m) => m.toAddress).sort()).toEqual([ola.email, anna.email, done.email].sort());
      expect(mails.every((m) => m.template === 'offering-message' && m.status === 'queued')).toBe(true);
      // Handed to the delivery workers after commit, one job per email.
      const delivery = jobs.sent.slice(sentBefore).filter((j) => j.queue === QUEUES.deliverEmail);
      expect(delivery.map((j) => (j.data as { outboxId: string }).outboxId).sort()).toEqual(mails.map((m) => m.id).sort());

      const nb = mails.find((m) => m.toAddress === ola.email)!;
      expect(nb.locale).toBe('nb');
      expect(nb.subject).toBe(`Bring a <b>ruler</b> – ${offering.title}`);
      expect(nb.text).toContain('Tove Trainer har sendt denne meldingen til deltakerne');
      expect(nb.text).toContain('Line one\nLine two & <i>three</i>\n\nNew paragraph');
      expect(nb.html).not.toContain('<i>three</i>');
      expect(nb.html).toContain('Line one\nLine two &amp; &lt;i&gt;three&lt;/i&gt;</p>');
      expect(nb.html).toContain('white-space:pre-line');
      expect(nb.text).toContain(`${TEST_APP_URL}/learn/${offering.slug}`);

      const [audit] = await ctx.db.select().from(auditLog).where(and(eq(auditLog.subjectId, offering.id), eq(auditLog.action, 'offering.message_sent')));
      expect(audit?.actorId).toBe(trainer.id);

      // The same form again (a double click, a resent POST): nothing more goes out.
      const again = await post(offering.id, trainer, form);
      expect(again.status).toBe(302);
      expect(await flashOf(again)).toMatchObject({ key: 'messages.flash.alreadySent', params: { count: '3' } });
      expect(await mailsOf(token)).toHaveLength(3);
      expect(await ctx.db.select().from(offeringMessages).where(eq(offeringMessages.offeringId, offering.id))).toHaveLength(1);
    });

    it('names the session and its time in each recipient’s zone when the message is about one session', async () => {
      const offering = await makeOffering();
      const [session] = await ctx.db
        .insert(liveSessions)
        .values({ offeringId: offering.id, title: 'Measuring trees', startsAt: new Date('2030-05-14T12:00:00Z'), organiserTimeZone: 'Europe/Stockholm' })
        .returning();
      const lisbon = await person({ locale: 'en', timeZone: 'Europe/Lisbon' });
      await enrol(offering.id, lisbon.id, 'enrolled');
      const token = randomUUID();
      const result = await post(offering.id, trainer, { token, sessionId: session!.id, subject: 'Wear boots', body: 'It may rain.' });
      expect(result.status).toBe(302);
      const [stored] = await ctx.db.select().from(offeringMessages).where(eq(offeringMessages.id, token));
      expect(stored!.sessionId).toBe(session!.id);
      const [mail] = await mailsOf(token);
      // 12:00 UTC is 13:00 in Lisbon (summer time).
      expect(mail!.text).toMatch(/about the session “Measuring trees” \(Tue, 14 May 2030, 13:00 \S+\):/);
    });

    it('refuses a session of another offering, bad lengths and empty fields with a clear message, keeping what was typed', async () => {
      const offering = await makeOffering();
      const other = await makeOffering();
      const [foreign] = await ctx.db
        .insert(liveSessions)
        .values({ offeringId: other.id, title: 'Elsewhere', startsAt: new Date('2030-05-14T12:00:00Z'), organiserTimeZone: 'Europe/Stockholm' })
        .returning();
      const someone = await person();
      await enrol(offering.id, someone.id, 'enrolled');

      const foreignSession = await post(offering.id, trainer, { token: randomUUID(), sessionId: foreign!.id, subject: 'Hi', body: 'Text' });
      expect(foreignSession.status).toBe(400);
      expect(foreignSession.data.result.error.sessionId).toEqual(['messages.errors.unknownSession']);

      const empty = await post(offering.id, trainer, { token: randomUUID(), subject: '   ', body: '' });
      expect(empty.status).toBe(400);
      expect(empty.data.result.error.subject).toEqual(['errors.required']);
      expect(empty.data.result.error.body).toEqual(['errors.required']);

      const long = await post(offering.id, trainer, { token: randomUUID(), subject: 'x'.repeat(201), body: 'y'.repeat(10_001) });
      expect(long.status).toBe(400);
      expect(long.data.result.error.subject).toEqual(['errors.tooLong|{"max":200}']);
      expect(long.data.result.error.body).toEqual(['errors.tooLong|{"max":10000}']);
      expect(long.data.result.initialValue.subject).toBe('x'.repeat(201));

      const atLimits = await post(offering.id, trainer, { token: randomUUID(), subject: 's'.repeat(200), body: 'b'.repeat(10_000) });
      expect(atLimits.status).toBe(302);

      const stale = await post(offering.id, trainer, { token: 'not-a-token', subject: 'Hi', body: 'Text' });
      expect(stale.status).toBe(400);
      expect(stale.data.result.error.token).toEqual(['messages.errors.staleForm']);

      expect(await ctx.db.select().from(offeringMessages).where(eq(offeringMessages.offeringId, offering.id))).toHaveLength(1);
    });

    it('sends nothing when nobody takes part, and says so', async () => {
      const offering = await makeOffering();
      const loner = await person();
      await enrol(offering.id, loner.id, 'withdrawn');
      const shown = await load(offering.id, trainer);
      expect(shown.data.participantCount).toBe(0);
      const result = await post(offering.id, trainer, { token: randomUUID(), subject: 'Anyone?', body: 'Hello' });
      expect(result.status).toBe(409);
      expect(result.data.result.error['']).toEqual(['messages.errors.noRecipients']);
      expect(await ctx.db.select().from(offeringMessages).where(eq(offeringMessages.offeringId, offering.id))).toEqual([]);
    });
  });

  describe('delivery counts', () => {
    it('lists sent messages with delivered, failed and waiting counts from the outbox', async () => {
      const offering = await makeOffering();
      const people = await Promise.all(Array.from({ length: 4 }, () => person()));
      for (const p of people) await enrol(offering.id, p.id, 'enrolled');
      const token = randomUUID();
      expect((await post(offering.id, trainer, { token, subject: 'Counts', body: 'Body' })).status).toBe(302);

      const before = await load(offering.id, trainer);
      expect(before.data.sent[0]).toMatchObject({ id: token, subject: 'Counts', recipients: 4, delivered: 0, failed: 0, pending: 4, senderName: 'Tove Trainer', session: null });

      const [first, second, third] = await mailsOf(token);
      expect(await deliverOutboxEmail(ctx, mailbox, first!.id)).toBe('sent');
      expect(await deliverOutboxEmail(ctx, mailbox, second!.id)).toBe('sent');
      // The last attempt of a message the mail server keeps refusing.
      await ctx.db
        .update(outboxEmails)
        .set({ attempts: MAX_DELIVERY_ATTEMPTS - 1 })
        .where(eq(outboxEmails.id, third!.id));
      const refusing: MailTransport = {
        kind: 'smtp',
        async send() {
          throw new Error('550 mailbox unavailable');
        },
        close() {},
      };
      expect(await deliverOutboxEmail(ctx, refusing, third!.id)).toBe('failed');

      const after = await load(offering.id, trainer);
      expect(after.data.sent[0]).toMatchObject({ id: token, recipients: 4, delivered: 2, failed: 1, pending: 1 });
    });

    it('sends to a thousand participants in one go', async () => {
      const offering = await makeOffering();
      const hash = await testPasswordHash();
      const suffix = randomBytes(4).toString('hex');
      const many = await ctx.db
        .insert(users)
        .values(
          Array.from({ length: 1000 }, (_, i) => ({
            email: `crowd-${suffix}-${i}@example.test`,
            emailVerifiedAt: new Date(),
            passwordHash: hash,
            fullName: `Crowd ${i}`,
            certificateName: `Crowd ${i}`,
            country: 'FI',
            school: 'Big School',
            schoolRole: 'teacher' as const,
            locale: (['en', 'nb', 'sv', 'fi'] as const)[i % 4],
            timeZone: 'Europe/Helsinki',
          })),
        )
        .returning({ id: users.id });
      await ctx.db.insert(enrolments).values(many.map((u) => ({ offeringId: offering.id, userId: u.id, status: 'enrolled' as const, enrolledAt: new Date() })));

      const token = randomUUID();
      const result = await post(offering.id, trainer, { token, subject: 'To everyone', body: 'A short note.' });
      expect(result.status).toBe(302);
      expect(await flashOf(result)).toMatchObject({ params: { count: '1000' } });
      const rows = await ctx.db
        .select({ id: outboxEmails.id, locale: outboxEmails.locale })
        .from(outboxEmails)
        .where(eq(outboxEmails.groupKey, messageGroupKey(token)));
      expect(rows).toHaveLength(1000);
      expect(new Set(rows.map((r) => r.locale))).toEqual(new Set(['en', 'nb', 'sv', 'fi']));
      const queued = new Set(jobs.sent.filter((j) => j.queue === QUEUES.deliverEmail).map((j) => (j.data as { outboxId: string }).outboxId));
      expect(rows.every((r) => queued.has(r.id))).toBe(true);
    });
  });
});
