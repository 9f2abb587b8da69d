import type { AppLoadContext, LoaderFunctionArgs } from '@remix-run/node';
import { randomBytes } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activities, activityProgress, enrolments, liveSessions, mailboxMessages, offeringTrainers, offerings, outboxEmails } from '#db/schema';
import type { EmailAttachment } from '#db/schema';
import { sendSessionCalendarNotices } from '~/modules/calendar/session-notices.server';
import { deliverOutboxEmail } from '~/modules/email/delivery.server';
import { withMailer } from '~/modules/email/outbox.server';
import { createMailTransport } from '~/modules/email/transport.server';
import { removeParticipant } from '~/modules/enrolment/enrolment.server';
import { addLiveSession, cancelLiveSession, removeLiveSession, updateLiveSession, type SessionFields } from '~/modules/offerings/sessions.server';
import { describeSessionTime } from '~/modules/time/session-time';
import { readFlash } from '~/modules/ui/flash.server';
import { loader as feedLoader } from '~/routes/calendar.$token[.]ics';
import { loader as offeringIcsLoader } from '~/routes/offerings.$slug.calendar[.]ics';
import { action as enrolmentAction } from '~/routes/offerings.$slug.enrolment';
import { action as profileAction, loader as profileLoader } from '~/routes/profile._index';
import { loader as sessionIcsLoader } from '~/routes/sessions.$id[.]ics';
import { action as sessionsAction, loader as sessionsLoader } from '~/routes/trainer.offerings.$id.sessions';
import { parseCalendar } from '../support/calendar';
import { createTestContext, recordingJobQueue, TEST_APP_URL, type TestContext } from '../support/context';
import { createUser, signIn, type UserOverrides } from '../support/factories';
import { makeRequest, requestContext } from '../support/requests';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const JOIN_URL = 'https://meet.example.org/secret-room-4711';
/** Times as trainers enter them: whole minutes (iCalendar carries whole seconds). */
const wholeMinute = (ms: number) => Math.floor(ms / 60_000) * 60_000;

interface Outcome {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
  location: string | null;
  headers: Headers;
  body: string | null;
}
type Handler = (args: LoaderFunctionArgs) => unknown;
type Person = { id: string; email: string; fullName: string; cookie: string };
type Offering = typeof offerings.$inferSelect;

describe('calendars', () => {
  let ctx: TestContext;
  let trainer: Person;
  let otherTrainer: Person;

  async function call(handler: Handler, request: Request, params: Record<string, string> = {}): Promise<Outcome> {
    let value: unknown;
    try {
      value = await handler({ request, context: requestContext(ctx) as AppLoadContext, params });
    } catch (thrown) {
      value = thrown;
    }
    if (value instanceof Response) {
      const body = value.status === 200 ? await value.text() : null;
      return { status: value.status, data: null, location: value.headers.get('location'), headers: value.headers, body };
    }
    if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
      const { data, init } = value as { data: unknown; init: ResponseInit | null };
      return { status: init?.status ?? 200, data, location: null, headers: new Headers(init?.headers), body: null };
    }
    if (value instanceof Error) throw value;
    return { status: 200, data: value, location: null, headers: new Headers(), body: null };
  }

  async function person(overrides: UserOverrides = {}): Promise<Person> {
    const user = await createUser(ctx.db, overrides);
    return { id: user.id, email: user.email, fullName: user.fullName, cookie: await signIn(ctx, user.id) };
  }

  const fields = (startsAt: Date, title: string, durationMinutes = 90): SessionFields => ({
    title,
    startsAt,
    organiserTimeZone: 'Europe/Lisbon',
    durationMinutes,
    joinUrl: JOIN_URL,
    capacityNote: '',
  });

  /**
   * A published online event that keeps the publish rules through every
   * change the tests make: sessions added while it was a draft (so nobody
   * is told), then published.
   */
  async function makeEvent(sessionStarts: number[], overrides: Partial<typeof offerings.$inferInsert> = {}) {
    const suffix = randomBytes(4).toString('hex');
    const now = wholeMinute(Date.now());
    const [row] = await ctx.db
      .insert(offerings)
      .values({
        slug: `calendar-${suffix}`,
        kind: 'online_event',
        title: `Assessment for learning ${suffix}`,
        summary: 'Three evenings on feedback that moves learning forward.',
        language: 'en',
        topics: ['assessment'],
        targetAudiences: ['teachers'],
        organiserTimeZone: 'Europe/Lisbon',
        enrolmentOpensAt: new Date(now - 5 * DAY),
        enrolmentClosesAt: new Date(now + DAY),
        completionDeadline: new Date(now + 400 * DAY),
        status: 'draft',
        ...overrides,
      })
      .returning();
    await ctx.db.insert(offeringTrainers).values({ offeringId: row!.id, userId: trainer.id });
    for (const [index, offset] of sessionStarts.entries()) {
      expect(await addLiveSession(ctx, { offeringId: row!.id, actorId: trainer.id, fields: fields(new Date(now + offset), `Evening ${index + 1}`) }, new Date())).toEqual({
        ok: true,
      });
    }
    if (overrides.status !== 'draft') {
      await ctx.db.update(offerings).set({ status: 'published', publishedAt: new Date() }).where(eq(offerings.id, row!.id));
    }
    const [offering] = await ctx.db.select().from(offerings).where(eq(offerings.id, row!.id));
    return { offering: offering!, sessions: await sessionsOf(row!.id) };
  }

  const sessionsOf = (offeringId: string) => ctx.db.select().from(liveSessions).where(eq(liveSessions.offeringId, offeringId)).orderBy(asc(liveSessions.startsAt));
  const sessionRow = async (id: string) => (await ctx.db.select().from(liveSessions).where(eq(liveSessions.id, id)))[0]!;

  async function enrolIn(offering: Offering, who: Person) {
    const result = await call(enrolmentAction, makeRequest(`/offerings/${offering.slug}/enrolment`, { cookie: who.cookie, form: { intent: 'enrol' } }), { slug: offering.slug });
    expect(result.status).toBe(302);
  }

  async function place(offeringId: string, userId: string, status: 'enrolled' | 'completed' | 'waitlisted' | 'withdrawn') {
    await ctx.db.insert(enrolments).values({
      offeringId,
      userId,
      status,
      enrolledAt: status === 'enrolled' || status === 'completed' ? new Date() : null,
      waitlistSeq: status === 'waitlisted' ? Math.floor(Math.random() * 1e9) : null,
      waitlistedAt: status === 'waitlisted' ? new Date() : null,
    });
  }

  const mailsTo = (email: string, template?: string) =>
    ctx.db
      .select()
      .from(outboxEmails)
      .where(template ? and(eq(outboxEmails.toAddress, email), eq(outboxEmails.template, template)) : eq(outboxEmails.toAddress, email))
      .orderBy(asc(outboxEmails.createdAt));

  /** The one calendar file a message carries, checked for the shape the transport turns into an invitation, and parsed. */
  function calendarOf(mail: { attachments: EmailAttachment[] }, method: 'REQUEST' | 'CANCEL') {
    expect(mail.attachments).toHaveLength(1);
    const [file] = mail.attachments;
    expect(file!.contentType).toMatch(/^text\/calendar/);
    expect(file!.method).toBe(method);
    expect(file!.filename).toMatch(/\.ics$/);
    expect(file!.content).not.toContain(JOIN_URL);
    const parsed = parseCalendar(file!.content);
    expect(parsed.method).toBe(method);
    return parsed;
  }

  const uidOf = (sessionId: string) => `session-${sessionId}@localhost`;

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    trainer = await person({ roles: [{ role: 'trainer' }] });
    otherTrainer = await person({ roles: [{ role: 'trainer' }] });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  describe('downloads', () => {
    it('serves one session as an .ics file to anyone who may see the offering, with the stored instants and the join page only', async () => {
      const { offering, sessions } = await makeEvent([3 * DAY, 10 * DAY]);
      const session = sessions[0]!;
      const result = await call(sessionIcsLoader, makeRequest(`/sessions/${session.id}.ics`), { id: session.id });
      expect(result.status).toBe(200);
      expect(result.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
      expect(result.headers.get('content-disposition')).toBe(`attachment; filename="${offering.slug}-evening-1.ics"`);
      expect(result.body).not.toContain(JOIN_URL);
      const parsed = parseCalendar(result.body!);
      expect(parsed.method).toBe('PUBLISH');
      expect(parsed.events).toHaveLength(1);
      const [event] = parsed.events;
      expect(event!.uid).toBe(uidOf(session.id));
      expect(event!.start.getTime()).toBe(session.startsAt.getTime());
      expect(event!.end!.getTime()).toBe(session.startsAt.getTime() + 90 * 60_000);
      expect(event!.url).toBe(`${TEST_APP_URL}/sessions/${session.id}`);
      expect(event!.description).toContain(`${TEST_APP_URL}/sessions/${session.id}`);
      expect(event!.alarms.map((a) => a.trigger)).toEqual(['-PT15M']);
      expect(event!.summary).toBe(`${offering.title} — Evening 1`);
    });

    it('writes the file in the viewer language', async () => {
      const { sessions } = await makeEvent([3 * DAY]);
      const finn = await person({ locale: 'fi' });
      const result = await call(sessionIcsLoader, makeRequest(`/sessions/${sessions[0]!.id}.ics`, { cookie: finn.cookie }), { id: sessions[0]!.id });
      expect(parseCalendar(result.body!).events[0]!.description).toContain('Tilaisuuden sivu: ');
    });

    it('marks a cancelled session STATUS:CANCELLED, alone and in the whole offering', async () => {
      const { offering, sessions } = await makeEvent([2 * DAY, 9 * DAY, 16 * DAY]);
      const [first, second] = sessions;
      expect(await cancelLiveSession(ctx, { offeringId: offering.id, actorId: trainer.id, sessionId: second!.id, reason: 'Trainer ill' }, new Date())).toEqual({ ok: true });

      const alone = await call(sessionIcsLoader, makeRequest(`/sessions/${second!.id}.ics`), { id: second!.id });
      const cancelledEvent = parseCalendar(alone.body!).events[0]!;
      expect(cancelledEvent.status).toBe('CANCELLED');
      expect(cancelledEvent.sequence).toBe(1);

      const all = await call(offeringIcsLoader, makeRequest(`/offerings/${offering.slug}/calendar.ics`), { slug: offering.slug });
      expect(all.status).toBe(200);
      expect(all.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
      expect(all.headers.get('content-disposition')).toBe(`attachment; filename="${offering.slug}.ics"`);
      const parsed = parseCalendar(all.body!);
      expect(parsed.method).toBe('PUBLISH');
      expect(parsed.events.map((e) => [e.uid, e.status])).toEqual([
        [uidOf(first!.id), 'CONFIRMED'],
        [uidOf(second!.id), 'CANCELLED'],
        [uidOf(sessions[2]!.id), 'CONFIRMED'],
      ]);
      expect(parsed.events.map((e) => e.start.getTime())).toEqual(sessions.map((s) => s.startsAt.getTime()));
    });

    it('hides a draft from everyone who may not inspect it, signed in or not, and answers 404 for what does not exist', async () => {
      const { offering, sessions } = await makeEvent([3 * DAY], { status: 'draft' });
      const id = sessions[0]!.id;
      const participant = await person();
      expect((await call(sessionIcsLoader, makeRequest(`/sessions/${id}.ics`), { id })).status).toBe(404);
      expect((await call(sessionIcsLoader, makeRequest(`/sessions/${id}.ics`, { cookie: participant.cookie }), { id })).status).toBe(404);
      expect((await call(offeringIcsLoader, makeRequest('/x'), { slug: offering.slug })).status).toBe(404);
      expect((await call(offeringIcsLoader, makeRequest('/x', { cookie: participant.cookie }), { slug: offering.slug })).status).toBe(404);
      expect((await call(sessionIcsLoader, makeRequest(`/sessions/${id}.ics`, { cookie: trainer.cookie }), { id })).status).toBe(200);
      expect((await call(offeringIcsLoader, makeRequest('/x', { cookie: trainer.cookie }), { slug: offering.slug })).status).toBe(200);

      expect((await call(sessionIcsLoader, makeRequest('/sessions/nope.ics'), { id: 'nope' })).status).toBe(404);
      expect((await call(sessionIcsLoader, makeRequest('/x'), { id: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
      expect((await call(offeringIcsLoader, makeRequest('/x'), { slug: 'no-such-offering' })).status).toBe(404);
    });
  });

  describe('invitations', () => {
    it('attaches a REQUEST for every upcoming, not cancelled session to the enrolment confirmation, and it arrives as an invitation', async () => {
      const { offering, sessions } = await makeEvent([-3 * DAY, 2 * DAY, 9 * DAY, 16 * DAY]);
      await cancelLiveSession(ctx, { offeringId: offering.id, actorId: trainer.id, sessionId: sessions[3]!.id, reason: 'Holiday' }, new Date());
      const teacher = await person({ fullName: 'Ada Lovelace' });
      await enrolIn(offering, teacher);

      const [mail] = await mailsTo(teacher.email, 'enrolment-confirmed');
      const parsed = calendarOf(mail!, 'REQUEST');
      expect(mail!.attachments[0]!.filename).toBe('invite.ics');
      // The past session and the cancelled one are not invited to.
      expect(parsed.events.map((e) => e.uid)).toEqual([uidOf(sessions[1]!.id), uidOf(sessions[2]!.id)]);
      expect(parsed.events.map((e) => e.start.getTime())).toEqual([sessions[1]!.startsAt.getTime(), sessions[2]!.startsAt.getTime()]);
      for (const event of parsed.events) {
        expect(event.attendees).toEqual([`mailto:${teacher.email}`]);
        expect(event.sequence).toBe(0);
        expect(event.alarms).toHaveLength(1);
        expect(event.url).toBe(`${TEST_APP_URL}/sessions/${sessions.find((s) => uidOf(s.id) === event.uid)!.id}`);
      }

      // Delivered to the built-in mailbox: a text/calendar part with method=REQUEST.
      const mailbox = createMailTransport(ctx.config, ctx.db);
      try {
        expect(await deliverOutboxEmail(ctx, mailbox, mail!.id)).toBe('sent');
      } finally {
        mailbox.close();
      }
      const [delivered] = await ctx.db.select().from(mailboxMessages).where(eq(mailboxMessages.toAddress, teacher.email.toLowerCase()));
      expect(delivered!.raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
      expect(delivered!.raw).toMatch(/filename=invite\.ics/);
    });

    it('sends no calendar with the confirmation of an offering without sessions', async () => {
      const { offering } = await makeEvent([]);
      const teacher = await person();
      await enrolIn(offering, teacher);
      const [mail] = await mailsTo(teacher.email, 'enrolment-confirmed');
      expect(mail!.attachments).toEqual([]);
    });

    it('sends no calendar when every session of the offering was cancelled', async () => {
      const { offering } = await makeEvent([2 * DAY]);
      await ctx.db.update(liveSessions).set({ cancelledAt: new Date() }).where(eq(liveSessions.offeringId, offering.id));
      const teacher = await person();
      await enrolIn(offering, teacher);
      const [mail] = await mailsTo(teacher.email, 'enrolment-confirmed');
      expect(mail!.attachments).toEqual([]);
    });

    it('sends the same invitation with a promotion from the waitlist, and a CANCEL to the one who left', async () => {
      const { offering, sessions } = await makeEvent([2 * DAY, 9 * DAY], { capacity: 1, waitlistEnabled: true });
      const first = await person();
      const second = await person();
      await enrolIn(offering, first);
      await enrolIn(offering, second);
      expect(await mailsTo(second.email, 'enrolment-confirmed')).toHaveLength(0);

      const left = await call(enrolmentAction, makeRequest(`/offerings/${offering.slug}/enrolment`, { cookie: first.cookie, form: { intent: 'unenrol' } }), {
        slug: offering.slug,
      });
      expect(left.status).toBe(302);

      const [promoted] = await mailsTo(second.email, 'waitlist-promoted');
      const invitation = calendarOf(promoted!, 'REQUEST');
      expect(invitation.events.map((e) => e.uid)).toEqual(sessions.map((s) => uidOf(s.id)));
      expect(invitation.events[0]!.attendees).toEqual([`mailto:${second.email}`]);

      const [goodbye] = await mailsTo(first.email, 'session-cancelled');
      const cancel = calendarOf(goodbye!, 'CANCEL');
      expect(cancel.events.map((e) => [e.uid, e.status, e.sequence])).toEqual(sessions.map((s) => [uidOf(s.id), 'CANCELLED', s.sequence]));
      expect(cancel.events[0]!.attendees).toEqual([`mailto:${first.email}`]);
      expect(goodbye!.text).toContain('Evening 1');
      expect(goodbye!.text).toContain('Evening 2');
    });
  });

  describe('session changes', () => {
    it('sends each active participant a REQUEST with the same UID and a higher SEQUENCE when a session moves, in their language and zone', async () => {
      const { offering, sessions } = await makeEvent([2 * DAY, 9 * DAY]);
      const teacher = await person({ locale: 'en', timeZone: 'America/New_York' });
      const finn = await person({ locale: 'fi', timeZone: 'Europe/Helsinki' });
      const done = await person();
      const waiting = await person();
      const gone = await person();
      await enrolIn(offering, teacher);
      await place(offering.id, finn.id, 'enrolled');
      await place(offering.id, done.id, 'completed');
      await place(offering.id, waiting.id, 'waitlisted');
      await place(offering.id, gone.id, 'withdrawn');
      const [confirmation] = await mailsTo(teacher.email, 'enrolment-confirmed');
      const invited = calendarOf(confirmation!, 'REQUEST').events.find((e) => e.uid === uidOf(sessions[0]!.id))!;

      const session = sessions[0]!;
      const movedTo = new Date(session.startsAt.getTime() + 26 * HOUR);
      const outcome = await updateLiveSession(
        ctx,
        { offeringId: offering.id, actorId: trainer.id, sessionId: session.id, fields: fields(movedTo, session.title, 60) },
        new Date(),
      );
      expect(outcome).toEqual({ ok: true });

      const [update] = await mailsTo(teacher.email, 'session-updated');
      const event = calendarOf(update!, 'REQUEST').events[0]!;
      expect(event.uid).toBe(invited.uid);
      expect(event.sequence).toBeGreaterThan(invited.sequence);
      expect(event.sequence).toBe((await sessionRow(session.id)).sequence);
      expect(event.start.getTime()).toBe(movedTo.getTime());
      expect(event.end!.getTime()).toBe(movedTo.getTime() + 60 * 60_000);
      expect(event.attendees).toEqual([`mailto:${teacher.email}`]);
      // The new time and the old one, in New York with Lisbon beside it.
      const newTime = describeSessionTime(movedTo, 'Europe/Lisbon', 'America/New_York', 'en');
      const oldTime = describeSessionTime(session.startsAt, 'Europe/Lisbon', 'America/New_York', 'en');
      expect(update!.subject).toBe(`Session moved: “Evening 1” (${offering.title})`);
      expect(update!.text).toContain(`When: ${newTime.viewer} (${newTime.organiser!.time} in ${newTime.organiser!.place})`);
      expect(update!.text).toContain(`Before the change: ${oldTime.viewer}`);
      expect(update!.text).toContain(`${TEST_APP_URL}/sessions/${session.id}`);

      const [finnish] = await mailsTo(finn.email, 'session-updated');
      expect(finnish!.locale).toBe('fi');
      expect(finnish!.subject).toContain('Tilaisuuden aika muuttui');
      expect(finnish!.text).toContain(describeSessionTime(movedTo, 'Europe/Lisbon', 'Europe/Helsinki', 'fi').viewer);
      expect(calendarOf(finnish!, 'REQUEST').events[0]!.description).toContain('Tilaisuuden sivu');

      expect(await mailsTo(done.email, 'session-updated')).toHaveLength(1);
      expect(await mailsTo(waiting.email, 'session-updated')).toHaveLength(0);
      expect(await mailsTo(gone.email, 'session-updated')).toHaveLength(0);
    });

    it('sends one message per participant and SEQUENCE: telling twice changes nothing', async () => {
      const { offering, sessions } = await makeEvent([2 * DAY, 9 * DAY]);
      const teacher = await person();
      await place(offering.id, teacher.id, 'enrolled');
      const session = await sessionRow(sessions[1]!.id);
      const change = { kind: 'rescheduled' as const, offering, session, previous: session };
      await withMailer(ctx, (tx, mailer) => sendSessionCalendarNotices(tx, mailer, ctx, change, new Date()));
      await withMailer(ctx, (tx, mailer) => sendSessionCalendarNotices(tx, mailer, ctx, change, new Date()));
      expect(await mailsTo(teacher.email, 'session-updated')).toHaveLength(1);
    });

    it('invites participants to an added session and tells them of an edit, each with the SEQUENCE of the row', async () => {
      const { offering, sessions } = await makeEvent([2 * DAY, 9 * DAY]);
      const teacher = await person();
      await place(offering.id, teacher.id, 'enrolled');

      const addedAt = new Date(wholeMinute(Date.now()) + 20 * DAY);
      expect(await addLiveSession(ctx, { offeringId: offering.id, actorId: trainer.id, fields: fields(addedAt, 'Extra evening') }, new Date())).toEqual({ ok: true });
      const added = (await sessionsOf(offering.id)).find((s) => s.title === 'Extra evening')!;
      const edited = sessions[1]!;
      expect(
        await updateLiveSession(
          ctx,
          { offeringId: offering.id, actorId: trainer.id, sessionId: edited.id, fields: fields(edited.startsAt, 'Evening 2: feedback') },
          new Date(),
        ),
      ).toEqual({ ok: true });

      const mails = await mailsTo(teacher.email, 'session-updated');
      expect(mails.map((m) => m.subject)).toEqual([`New session: “Extra evening” (${offering.title})`, `Session details changed: “Evening 2: feedback” (${offering.title})`]);
      const [addedEvent, editedEvent] = mails.map((m) => calendarOf(m, 'REQUEST').events[0]!);
      expect([addedEvent!.uid, addedEvent!.sequence, addedEvent!.start.getTime()]).toEqual([uidOf(added.id), 0, addedAt.getTime()]);
      expect([editedEvent!.uid, editedEvent!.sequence, editedEvent!.summary]).toEqual([uidOf(edited.id), 1, `${offering.title} — Evening 2: feedback`]);
    });

    it('sends a CANCEL when a session is cancelled (with the trainer’s note) or removed, outranking what calendars hold', async () => {
      const { offering, sessions } = await makeEvent([2 * DAY, 9 * DAY, 16 * DAY]);
      const teacher = await person();
      await enrolIn(offering, teacher);
      const [first, second] = sessions;

      expect(await cancelLiveSession(ctx, { offeringId: offering.id, actorId: trainer.id, sessionId: first!.id, reason: 'The trainer is ill; the recording of last year follows.' }, new Date())).toEqual({
        ok: true,
      });
      expect(await removeLiveSession(ctx, { offeringId: offering.id, actorId: trainer.id, sessionId: second!.id }, new Date())).toEqual({ ok: true });

      const mails = await mailsTo(teacher.email, 'session-cancelled');
      expect(mails).toHaveLength(2);
      const cancelled = calendarOf(mails[0]!, 'CANCEL').events[0]!;
      expect([cancelled.uid, cancelled.status, cancelled.sequence]).toEqual([uidOf(first!.id), 'CANCELLED', 1]);
      expect(cancelled.start.getTime()).toBe(first!.startsAt.getTime());
      expect(cancelled.attendees).toEqual([`mailto:${teacher.email}`]);
      expect(mails[0]!.subject).toBe(`Session cancelled: “Evening 1” (${offering.title})`);
      expect(mails[0]!.text).toContain('Message from the organisers: The trainer is ill; the recording of last year follows.');

      const removed = calendarOf(mails[1]!, 'CANCEL').events[0]!;
      // The deleted row was at SEQUENCE 0, what the invitation said; the CANCEL goes one above.
      expect([removed.uid, removed.status, removed.sequence]).toEqual([uidOf(second!.id), 'CANCELLED', 1]);
      expect(mails[1]!.text).not.toContain('Message from the organisers');
    });

    it('tells nobody about changes to a draft or to sessions long over', async () => {
      const { offering: draft, sessions: draftSessions } = await makeEvent([2 * DAY], { status: 'draft' });
      const teacher = await person();
      await place(draft.id, teacher.id, 'enrolled');
      await updateLiveSession(
        ctx,
        { offeringId: draft.id, actorId: trainer.id, sessionId: draftSessions[0]!.id, fields: fields(new Date(Date.now() + 3 * DAY), 'Moved') },
        new Date(),
      );

      const { offering, sessions } = await makeEvent([-10 * DAY, 5 * DAY]);
      await place(offering.id, teacher.id, 'enrolled');
      await updateLiveSession(
        ctx,
        { offeringId: offering.id, actorId: trainer.id, sessionId: sessions[0]!.id, fields: fields(sessions[0]!.startsAt, 'Renamed afterwards') },
        new Date(),
      );
      expect(await mailsTo(teacher.email)).toEqual([]);
    });
  });

  describe('leaving', () => {
    it('sends a trainer-removed participant a CANCEL for every upcoming session; waitlisted people get none', async () => {
      const { offering, sessions } = await makeEvent([-2 * DAY, 2 * DAY, 9 * DAY]);
      const teacher = await person();
      const waiting = await person();
      await enrolIn(offering, teacher);
      await place(offering.id, waiting.id, 'waitlisted');
      // Removed from the waitlist first: with the teacher gone, they would otherwise be promoted into the free seat.
      const [waitRow] = await ctx.db.select().from(enrolments).where(and(eq(enrolments.offeringId, offering.id), eq(enrolments.userId, waiting.id)));
      expect((await removeParticipant(ctx, { offeringId: offering.id, enrolmentId: waitRow!.id, actorId: trainer.id }, new Date())).ok).toBe(true);
      expect(await mailsTo(waiting.email, 'session-cancelled')).toHaveLength(0);

      const [row] = await ctx.db.select().from(enrolments).where(and(eq(enrolments.offeringId, offering.id), eq(enrolments.userId, teacher.id)));
      const outcome = await removeParticipant(ctx, { offeringId: offering.id, enrolmentId: row!.id, actorId: trainer.id, reason: 'Duplicate account' }, new Date());
      expect(outcome.ok).toBe(true);

      const [mail] = await mailsTo(teacher.email, 'session-cancelled');
      expect(mail!.subject).toBe(`Taken out of your calendar: ${offering.title}`);
      const cancel = calendarOf(mail!, 'CANCEL');
      expect(cancel.events.map((e) => e.uid)).toEqual([uidOf(sessions[1]!.id), uidOf(sessions[2]!.id)]);
    });
  });

  describe('the trainers’ Sessions tab', () => {
    const tab = (offeringId: string) => `/trainer/offerings/${offeringId}/sessions`;

    it('cancels a session with a reason, shows it as cancelled, and answers a second try with 409', async () => {
      const { offering, sessions } = await makeEvent([2 * DAY, 9 * DAY]);
      const target = sessions[0]!;

      const shown = await call(sessionsLoader, makeRequest(`${tab(offering.id)}?cancel=${target.id}`, { cookie: trainer.cookie }), { id: offering.id });
      expect(shown.data.cancelling).toEqual({ id: target.id, title: target.title });

      const noReason = await call(sessionsAction, makeRequest(tab(offering.id), { cookie: trainer.cookie, form: { intent: 'cancel', sessionId: target.id, reason: '  ' } }), {
        id: offering.id,
      });
      expect(noReason.status).toBe(400);
      expect(noReason.data.result.error.reason).toEqual(['errors.required']);
      expect((await sessionRow(target.id)).cancelledAt).toBeNull();

      const done = await call(sessionsAction, makeRequest(tab(offering.id), { cookie: trainer.cookie, form: { intent: 'cancel', sessionId: target.id, reason: 'Storm warning' } }), {
        id: offering.id,
      });
      expect(done.status).toBe(302);
      expect(done.location).toBe(tab(offering.id));
      const pair = /kollega_flash=[^;]*/.exec(done.headers.get('set-cookie') ?? '')![0];
      expect((await readFlash(requestContext(ctx) as never, makeRequest('/', { cookie: pair }))).flash).toMatchObject({ key: 'calendar.sessions.cancelledFlash' });
      expect((await sessionRow(target.id)).cancelledAt).not.toBeNull();

      const list = await call(sessionsLoader, makeRequest(tab(offering.id), { cookie: trainer.cookie }), { id: offering.id });
      expect(list.data.sessions.find((s: { id: string }) => s.id === target.id).cancelled).toBe(true);
      // A stale cancel link shows the list, not a form for a session that is already off.
      const stale = await call(sessionsLoader, makeRequest(`${tab(offering.id)}?cancel=${target.id}`, { cookie: trainer.cookie }), { id: offering.id });
      expect(stale.data.cancelling).toBeNull();

      const again = await call(sessionsAction, makeRequest(tab(offering.id), { cookie: trainer.cookie, form: { intent: 'cancel', sessionId: target.id, reason: 'Again' } }), {
        id: offering.id,
      });
      expect(again.status).toBe(409);
      expect(again.data.alreadyCancelled).toBe(true);

      const edit = await call(
        sessionsAction,
        makeRequest(tab(offering.id), {
          cookie: trainer.cookie,
          form: {
            intent: 'update',
            sessionId: target.id,
            title: 'Revived',
            startsAt: '2031-01-10T18:00',
            durationMinutes: '60',
            joinUrl: JOIN_URL,
            capacityNote: '',
          },
        }),
        { id: offering.id },
      );
      expect(edit.status).toBe(409);
      expect(edit.data.alreadyCancelled).toBe(true);
    });

    it('refuses cancelling for trainers of other offerings and for unknown sessions with 404', async () => {
      const { offering, sessions } = await makeEvent([2 * DAY, 9 * DAY]);
      const form = { intent: 'cancel', sessionId: sessions[0]!.id, reason: 'No' };
      expect((await call(sessionsAction, makeRequest(tab(offering.id), { cookie: otherTrainer.cookie, form }), { id: offering.id })).status).toBe(404);
      const unknown = { ...form, sessionId: '00000000-0000-4000-8000-000000000000' };
      expect((await call(sessionsAction, makeRequest(tab(offering.id), { cookie: trainer.cookie, form: unknown }), { id: offering.id })).status).toBe(404);
      expect((await sessionRow(sessions[0]!.id)).cancelledAt).toBeNull();
    });
  });

  describe('the personal feed', () => {
    async function feedUrlOf(who: Person) {
      const page = await call(profileLoader, makeRequest('/profile', { cookie: who.cookie }));
      return page.data.calendar.urls as { https: string; webcal: string } | null;
    }
    const tokenOf = (url: string) => /\/calendar\/([^/]+)\.ics$/.exec(url)![1]!;
    const fetchFeed = (token: string) => call(feedLoader, makeRequest(`/calendar/${token}.ics`), { token });

    it('is made from the profile and serves my sessions and personal deadlines without signing in', async () => {
      const teacher = await person({ locale: 'sv' });
      expect(await feedUrlOf(teacher)).toBeNull();
      const created = await call(profileAction, makeRequest('/profile', { cookie: teacher.cookie, form: { intent: 'calendar-create' } }));
      expect(created.status).toBe(302);
      const urls = (await feedUrlOf(teacher))!;
      expect(urls.https).toMatch(new RegExp(`^${TEST_APP_URL}/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
      expect(urls.webcal).toBe(urls.https.replace('http://', 'webcal://'));
      // A second press (another tab) keeps the address.
      await call(profileAction, makeRequest('/profile', { cookie: teacher.cookie, form: { intent: 'calendar-create' } }));
      expect((await feedUrlOf(teacher))!.https).toBe(urls.https);

      const { offering: active, sessions: activeSessions } = await makeEvent([2 * DAY, 9 * DAY]);
      await cancelLiveSession(ctx, { offeringId: active.id, actorId: trainer.id, sessionId: activeSessions[1]!.id, reason: 'Off' }, new Date());
      const { offering: finished, sessions: finishedSessions } = await makeEvent([-20 * DAY]);
      const { offering: waitedFor } = await makeEvent([4 * DAY]);
      const { offering: left } = await makeEvent([5 * DAY]);
      await place(active.id, teacher.id, 'enrolled');
      await place(finished.id, teacher.id, 'completed');
      await place(waitedFor.id, teacher.id, 'waitlisted');
      await place(left.id, teacher.id, 'withdrawn');

      const dueAt = new Date(wholeMinute(Date.now()) + 7 * DAY);
      const [open, handedIn] = await ctx.db
        .insert(activities)
        .values([
          { offeringId: active.id, position: 1, kind: 'assignment', title: 'Reflection', dueAt, content: { kind: 'assignment', prompt: 'Write', submission: 'text' } },
          { offeringId: active.id, position: 2, kind: 'assignment', title: 'Handed in', dueAt, content: { kind: 'assignment', prompt: 'Write', submission: 'text' } },
        ])
        .returning();
      await ctx.db.insert(activityProgress).values({ userId: teacher.id, activityId: handedIn!.id, status: 'submitted' });

      const feed = await fetchFeed(tokenOf(urls.https));
      expect(feed.status).toBe(200);
      expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
      expect(feed.headers.get('cache-control')).toBe('private, no-cache');
      expect(feed.body).not.toContain(JOIN_URL);
      const parsed = parseCalendar(feed.body!);
      expect(parsed.method).toBe('PUBLISH');
      expect(parsed.name).toBe('Kollega: mina sessioner och deadlines');
      expect(parsed.refreshInterval).toBe('PT1H');
      const byUid = new Map(parsed.events.map((e) => [e.uid, e]));
      expect(byUid.get(uidOf(activeSessions[0]!.id))!.status).toBe('CONFIRMED');
      expect(byUid.get(uidOf(activeSessions[0]!.id))!.start.getTime()).toBe(activeSessions[0]!.startsAt.getTime());
      expect(byUid.get(uidOf(activeSessions[1]!.id))!.status).toBe('CANCELLED');
      expect(byUid.get(uidOf(finishedSessions[0]!.id))).toBeDefined();
      expect(parsed.events.filter((e) => e.uid.startsWith('session-'))).toHaveLength(3);
      const deadline = byUid.get(`deadline-activity-${open!.id}@localhost`)!;
      expect(deadline.summary).toBe(`Deadline: Reflection (${active.title})`);
      expect(deadline.start.getTime()).toBe(dueAt.getTime());
      expect(byUid.has(`deadline-activity-${handedIn!.id}@localhost`)).toBe(false);
      expect(byUid.get(`deadline-offering-${active.id}@localhost`)!.start.getTime()).toBe(active.completionDeadline!.getTime());
      // A completed offering has no deadlines left.
      expect(byUid.has(`deadline-offering-${finished.id}@localhost`)).toBe(false);
    });

    it('serves a feed with nothing in it to someone enrolled nowhere', async () => {
      const teacher = await person();
      await call(profileAction, makeRequest('/profile', { cookie: teacher.cookie, form: { intent: 'calendar-create' } }));
      const feed = await fetchFeed(tokenOf((await feedUrlOf(teacher))!.https));
      expect(feed.status).toBe(200);
      expect(parseCalendar(feed.body!).events).toEqual([]);
    });

    it('asks before a reset, and after it the old address is 404 and the new one works', async () => {
      const teacher = await person();
      await call(profileAction, makeRequest('/profile', { cookie: teacher.cookie, form: { intent: 'calendar-create' } }));
      const before = (await feedUrlOf(teacher))!;
      expect((await call(profileLoader, makeRequest('/profile', { cookie: teacher.cookie }))).data.calendar.confirmReset).toBe(false);
      expect((await call(profileLoader, makeRequest('/profile?confirm=calendar-reset', { cookie: teacher.cookie }))).data.calendar.confirmReset).toBe(true);

      const reset = await call(profileAction, makeRequest('/profile', { cookie: teacher.cookie, form: { intent: 'calendar-reset' } }));
      expect(reset.status).toBe(302);
      const after = (await feedUrlOf(teacher))!;
      expect(after.https).not.toBe(before.https);
      expect((await fetchFeed(tokenOf(before.https))).status).toBe(404);
      expect((await fetchFeed(tokenOf(after.https))).status).toBe(200);
    });

    it('answers 404 for malformed and unknown tokens', async () => {
      expect((await fetchFeed('short')).status).toBe(404);
      expect((await fetchFeed(`${'a'.repeat(42)}.`)).status).toBe(404);
      expect((await fetchFeed(randomBytes(32).toString('base64url'))).status).toBe(404);
    });
  });
});
