import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activities,
  activityProgress,
  auditLog,
  calendarFeeds,
  certificates,
  discussionPosts,
  emailTokens,
  enrolments,
  liveSessions,
  offerings,
  offeringTrainers,
  outboxEmails,
  quizAttempts,
  sessionAttendance,
  sessionJoins,
  sessions,
  staffValidationRequests,
  submissions,
  users,
} from '#db/schema';
import { registerAccount } from '~/modules/auth/accounts.server';
import { signIn as signInWithPassword } from '~/modules/auth/login.server';
import { issueOnCompletion } from '~/modules/certificates/issue.server';
import type { RequestContext } from '~/modules/context.server';
import { enqueueEmail, withMailer } from '~/modules/email/outbox.server';
import { listParticipants } from '~/modules/enrolment/participants.server';
import { listThreads } from '~/modules/learning/discussions.server';
import { CANCELLED_FOR_DELETION, deleteAccount } from '~/modules/privacy/delete-account.server';
import type { DataExport } from '~/modules/privacy/export.server';
import { checkExportTicket, issueExportTicket } from '~/modules/privacy/export-ticket.server';
import { searchUsers } from '~/modules/users/roles.server';
import { action as exportAction } from '~/routes/profile.data';
import { loader as exportFileLoader } from '~/routes/profile.data[.]json';
import { action as deleteAction, loader as deleteLoader } from '~/routes/profile.delete';
import { loader as verifyLoader } from '~/routes/verify.$code';
import { createTestContext, recordingJobQueue, type TestContext } from '../support/context';
import { createUser, signIn, TEST_PASSWORD } from '../support/factories';
import { makeRequest, requestContext } from '../support/requests';

/** What a Remix loader or action returned or threw, as status, headers and body. */
async function outcome(run: () => Promise<unknown>) {
  let value: unknown;
  try {
    value = await run();
  } catch (thrown) {
    value = thrown;
  }
  if (value instanceof Response) return { status: value.status, headers: value.headers, body: null as Record<string, unknown> | null, response: value };
  const withInit = value as { type?: string; data?: Record<string, unknown>; init?: { status?: number; headers?: Record<string, string> } };
  if (withInit && withInit.type === 'DataWithResponseInit') {
    return { status: withInit.init?.status ?? 200, headers: new Headers(withInit.init?.headers), body: withInit.data ?? null, response: null };
  }
  return { status: 200, headers: new Headers(), body: value as Record<string, unknown>, response: null };
}

const DAY = 86_400_000;

describe('privacy: download my data and delete my account', () => {
  let ctx: TestContext;
  let trainerId: string;
  let clientAddressSeq = 0;

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    trainerId = (await createUser(ctx.db, { roles: [{ role: 'trainer' }], fullName: 'Trainer Tove' })).id;
  });
  afterAll(async () => {
    await ctx?.close();
  });

  /** Each test signs in from its own address, so the per-address limit of one test never touches another. */
  const load = () => requestContext(ctx, { clientAddress: `10.0.0.${++clientAddressSeq}` });

  async function makeOffering(overrides: Partial<typeof offerings.$inferInsert> = {}) {
    const suffix = randomBytes(4).toString('hex');
    const [row] = await ctx.db
      .insert(offerings)
      .values({
        slug: `privacy-${suffix}`,
        kind: 'short_course',
        title: `Assessment for learning ${suffix}`,
        language: 'en',
        organiserTimeZone: 'Europe/Oslo',
        status: 'published',
        expectedMinutes: 120,
        startsAt: new Date(Date.now() - 10 * DAY),
        endsAt: new Date(Date.now() + 20 * DAY),
        ...overrides,
      })
      .returning();
    await ctx.db.insert(offeringTrainers).values({ offeringId: row!.id, userId: trainerId });
    return row!;
  }

  async function activity(offeringId: string, kind: 'quiz' | 'assignment' | 'discussion', title: string) {
    const content =
      kind === 'quiz'
        ? { kind, intro: '', passMarkPercent: 50, attemptsAllowed: 3, questions: [] }
        : kind === 'assignment'
          ? { kind, prompt: 'Describe a lesson', submission: 'text' as const }
          : { kind, prompt: 'Introduce yourself' };
    const [row] = await ctx.db.insert(activities).values({ offeringId, position: 0, kind, title, content }).returning();
    return row!;
  }

  /**
   * A participant with a bit of everything: a completed course with its
   * certificate, progress, a quiz attempt, a submission, a discussion post,
   * a live-session join and attendance, a validation request, a calendar feed,
   * an email, and an audit entry about them.
   */
  async function personWithHistory(label: string) {
    const user = await createUser(ctx.db, { fullName: `${label} Ålesund`, certificateName: `${label} Certificate-Name` });
    const offering = await makeOffering();
    const [enrolment] = await ctx.db
      .insert(enrolments)
      .values({ offeringId: offering.id, userId: user.id, status: 'completed', enrolledAt: new Date(Date.now() - 9 * DAY), completedAt: new Date(Date.now() - DAY) })
      .returning();
    const quiz = await activity(offering.id, 'quiz', `${label} quiz`);
    const assignment = await activity(offering.id, 'assignment', `${label} assignment`);
    const discussion = await activity(offering.id, 'discussion', `${label} discussion`);
    await ctx.db.insert(activityProgress).values({ userId: user.id, activityId: quiz.id, status: 'done', score: 80, attempts: 1, completedAt: new Date() });
    await ctx.db.insert(quizAttempts).values({ userId: user.id, activityId: quiz.id, answers: { q1: ['a'] }, scorePercent: 80, passed: true });
    await ctx.db.insert(submissions).values({ userId: user.id, activityId: assignment.id, body: `${label} submission text`, status: 'accepted', feedback: `Well done ${label}` });
    const [post] = await ctx.db.insert(discussionPosts).values({ activityId: discussion.id, authorId: user.id, body: `${label} says hello` }).returning();
    const [session] = await ctx.db
      .insert(liveSessions)
      .values({ offeringId: offering.id, title: `${label} webinar`, startsAt: new Date(Date.now() - 2 * DAY), organiserTimeZone: 'Europe/Oslo' })
      .returning();
    await ctx.db.insert(sessionJoins).values({ sessionId: session!.id, userId: user.id, joinedAt: new Date(Date.now() - 2 * DAY) });
    await ctx.db.insert(sessionAttendance).values({ sessionId: session!.id, userId: user.id, reportMinutes: 55, updatedAt: new Date() });
    await ctx.db.insert(staffValidationRequests).values({ userId: user.id, country: 'NO', school: `${label} skole`, schoolRole: 'teacher', note: `${label} note` });
    await ctx.db.insert(calendarFeeds).values({ userId: user.id, token: `feed-${randomBytes(12).toString('hex')}`, createdAt: new Date() });
    const certificate = await withMailer(ctx, (tx, mailer) => issueOnCompletion(tx, mailer, ctx, enrolment!.id, new Date()));
    await ctx.db.insert(auditLog).values({ actorId: trainerId, action: 'attendance.marked', subjectType: 'live_session', subjectId: session!.id, details: { userId: user.id } });
    return { user, offering, enrolmentId: enrolment!.id, postId: post!.id, discussionId: discussion.id, certificate: certificate!, sessionId: session!.id };
  }

  describe('download my data', () => {
    it('gives a UTF-8 JSON attachment with each kind of data about the person and nothing of anyone else', async () => {
      const anna = await personWithHistory('Anna');
      const other = await personWithHistory('Other');
      // Anna verified an earlier address (her mail there is hers) and once the address the other person holds now (theirs).
      const earlier = `anna-earlier-${randomBytes(3).toString('hex')}@example.test`;
      const verifiedToken = (email: string) => ({ tokenHash: randomBytes(16).toString('hex'), userId: anna.user.id, purpose: 'verify_email' as const, email, expiresAt: new Date(), usedAt: new Date() });
      await ctx.db.insert(emailTokens).values([verifiedToken(earlier), verifiedToken(other.user.email)]);
      await enqueueEmail(ctx.db, ctx, { template: 'verify-email', to: earlier, locale: 'en', data: { name: 'Anna', url: 'http://localhost:3000/x' }, idempotencyKey: `earlier-${earlier}` });
      // Another person replies to Anna's post: the reply is theirs, not Anna's.
      await ctx.db.insert(discussionPosts).values({ activityId: anna.discussionId, authorId: other.user.id, parentId: anna.postId, body: 'Other private reply' });
      const cookie = await signIn(ctx, anna.user.id);

      // The password form sends the browser on to the file with a short-lived ticket for this session.
      const confirmed = await outcome(() => exportAction({ request: makeRequest('/profile/data', { cookie, form: { password: TEST_PASSWORD } }), context: load(), params: {} }));
      expect(confirmed.status).toBe(303);
      const fileUrl = confirmed.headers.get('location')!;
      expect(fileUrl).toMatch(/^\/profile\/data\.json\?ticket=\d{13}\.[\w-]{43}$/);
      // The ticket is useless to another session of the same person, and without a ticket there is no file.
      const otherSession = await signIn(ctx, anna.user.id);
      for (const attempt of [makeRequest(fileUrl, { cookie: otherSession }), makeRequest('/profile/data.json', { cookie }), makeRequest('/profile/data.json?ticket=1.x', { cookie })]) {
        const refused = await outcome(() => exportFileLoader({ request: attempt, context: load(), params: {} }));
        expect(refused.status).toBe(302);
        expect(refused.headers.get('location')).toBe('/profile/data');
      }

      const result = await outcome(() => exportFileLoader({ request: makeRequest(fileUrl, { cookie }), context: load(), params: {} }));
      expect(result.status).toBe(200);
      expect(result.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(result.headers.get('content-disposition')).toMatch(/^attachment; filename="kollega-my-data-\d{4}-\d{2}-\d{2}\.json"$/);
      const text = await result.response!.text();
      const exported = JSON.parse(text) as DataExport;

      expect(exported.profile).toMatchObject({ id: anna.user.id, email: anna.user.email, fullName: 'Anna Ålesund', certificateName: 'Anna Certificate-Name' });
      expect(exported.staffValidationRequests).toEqual([expect.objectContaining({ school: 'Anna skole', note: 'Anna note' })]);
      expect(exported.sessions).toHaveLength(2);
      expect(exported.enrolments).toEqual([expect.objectContaining({ id: anna.enrolmentId, offeringTitle: anna.offering.title, status: 'completed' })]);
      expect(exported.progress).toEqual([expect.objectContaining({ activityTitle: 'Anna quiz', status: 'done', score: 80 })]);
      expect(exported.quizAttempts).toEqual([expect.objectContaining({ scorePercent: 80, answers: { q1: ['a'] } })]);
      expect(exported.submissions).toEqual([expect.objectContaining({ body: 'Anna submission text', feedback: 'Well done Anna' })]);
      expect(exported.discussionPosts).toEqual([expect.objectContaining({ id: anna.postId, body: 'Anna says hello' })]);
      expect(exported.sessionJoins).toEqual([expect.objectContaining({ sessionId: anna.sessionId, sessionTitle: 'Anna webinar' })]);
      expect(exported.attendance).toEqual([expect.objectContaining({ sessionId: anna.sessionId, reportMinutes: 55 })]);
      expect(exported.certificates).toHaveLength(1);
      const [certificate] = exported.certificates;
      expect(certificate!.holderName).toBe('Anna Certificate-Name');
      expect(certificate!.verificationUrl).toBe(`${ctx.config.appUrl}/verify/${anna.certificate.code}`);
      expect(exported.calendarFeed).toMatchObject({ subscribed: true });
      // The certificate email went to Anna: subject, kind, status and body.
      expect(exported.emails).toEqual([
        expect.objectContaining({ kind: 'certificate-issued', to: anna.user.email, status: 'queued' }),
        expect.objectContaining({ kind: 'verify-email', to: earlier }),
      ]);
      expect(exported.emails[0]!.text.length).toBeGreaterThan(0);
      expect(exported.auditEntries).toEqual([expect.objectContaining({ action: 'attendance.marked', subjectId: anna.sessionId, byYou: false })]);

      // No secrets, and nothing of the other person: not their name, address, words or ids of their records.
      const secrets = await ctx.db.select({ tokenHash: sessions.tokenHash }).from(sessions).where(eq(sessions.userId, anna.user.id));
      const [feed] = await ctx.db.select().from(calendarFeeds).where(eq(calendarFeeds.userId, anna.user.id));
      for (const secret of [anna.user.passwordHash, ...secrets.map((s) => s.tokenHash), feed!.token]) expect(text).not.toContain(secret);
      for (const foreign of ['Other Ålesund', other.user.email, 'Other says hello', 'Other private reply', 'Other submission text', other.enrolmentId, other.certificate.code, other.user.id]) {
        expect(text).not.toContain(foreign);
      }
      expect(text).not.toContain('Trainer Tove');
    });

    it('refuses a wrong password with a 400 and a message, and locks after as many tries as sign-in allows', async () => {
      const person = await createUser(ctx.db);
      const cookie = await signIn(ctx, person.id);
      const context = load();
      const wrong = () => outcome(() => exportAction({ request: makeRequest('/profile/data', { cookie, form: { password: 'not my password' } }), context, params: {} }));
      const first = await wrong();
      expect(first.status).toBe(400);
      expect(JSON.stringify(first.body)).toContain('errors.wrongPassword');
      expect(first.headers.get('content-disposition')).toBeNull();
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await wrong()).status);
      expect(statuses.at(-1)).toBe(429);
      // Locked now even with the right password, as sign-in would be.
      const right = await outcome(() => exportAction({ request: makeRequest('/profile/data', { cookie, form: { password: TEST_PASSWORD } }), context, params: {} }));
      expect(right.status).toBe(429);
      expect(right.headers.get('retry-after')).toMatch(/^\d+$/);
    });

    it('accepts a download ticket only for its own account and session, for one minute', () => {
      const holder = { userId: 'a1b2', sessionId: 'c3d4' };
      const at = new Date();
      const ticket = issueExportTicket('secret-one', holder, at);
      expect(checkExportTicket('secret-one', ticket, holder, at)).toBe(true);
      expect(checkExportTicket('secret-one', ticket, holder, new Date(at.getTime() + 61_000))).toBe(false);
      expect(checkExportTicket('secret-one', ticket, { ...holder, sessionId: 'other' }, at)).toBe(false);
      expect(checkExportTicket('secret-two', ticket, holder, at)).toBe(false);
      expect(checkExportTicket('secret-one', `${ticket}x`, holder, at)).toBe(false);
    });

    it('sends anonymous visitors to sign in', async () => {
      const result = await outcome(() => exportAction({ request: makeRequest('/profile/data', { form: { password: 'x' } }), context: load(), params: {} }));
      expect(result.status).toBe(302);
      expect(result.headers.get('location')).toMatch(/^\/login\?redirectTo=/);
    });
  });

  describe('delete my account', () => {
    it('erases the person in one go: seat given to the next in line, certificate withdrawn, posts kept as a deleted user, mail cancelled, signed out', async () => {
      const leaving = await personWithHistory('Leaving');
      const full = await makeOffering({ capacity: 1, waitlistEnabled: true, seatsTaken: 1 });
      await ctx.db.insert(enrolments).values({ offeringId: full.id, userId: leaving.user.id, status: 'enrolled', enrolledAt: new Date() });
      const waiting = await createUser(ctx.db, { fullName: 'Next In Line' });
      await ctx.db.insert(enrolments).values({ offeringId: full.id, userId: waiting.id, status: 'waitlisted', waitlistSeq: Date.now(), waitlistedAt: new Date() });
      await enqueueEmail(ctx.db, ctx, {
        template: 'verify-email',
        to: leaving.user.email,
        locale: 'en',
        data: { name: leaving.user.fullName, url: 'http://localhost:3000/verify-email?token=x' },
        idempotencyKey: `privacy-test-${leaving.user.id}`,
      });
      // An address the person verified once but another account holds now: that account's mail is not theirs to erase.
      const bystander = await createUser(ctx.db);
      await ctx.db.insert(emailTokens).values({ tokenHash: randomBytes(16).toString('hex'), userId: leaving.user.id, purpose: 'verify_email', email: bystander.email, expiresAt: new Date(), usedAt: new Date() });
      await enqueueEmail(ctx.db, ctx, { template: 'verify-email', to: bystander.email, locale: 'en', data: { name: 'Bystander', url: 'http://localhost:3000/x' }, idempotencyKey: `bystander-${bystander.id}` });
      // A trainer once invited the person (and someone else) by address: the audit entries keep only the other address.
      await ctx.db.insert(auditLog).values([
        { actorId: trainerId, action: 'invitation.sent', subjectType: 'offering', subjectId: full.id, details: { emails: [leaving.user.email, 'someone.else@example.test'] } },
        { actorId: trainerId, action: 'invitation.revoked', subjectType: 'invitation', subjectId: full.id, details: { offeringId: full.id, email: leaving.user.email } },
      ]);
      const cookie = await signIn(ctx, leaving.user.id);
      await signIn(ctx, leaving.user.id); // a second device

      const result = await outcome(() =>
        deleteAction({ request: makeRequest('/profile/delete', { cookie, form: { password: TEST_PASSWORD, confirm: 'on' } }), context: load(), params: {} }),
      );
      expect(result.status).toBe(302);
      expect(result.headers.get('location')).toBe('/profile/delete?done=1');
      expect(result.headers.get('set-cookie')).toMatch(/Max-Age=0/i);

      // The signed-out browser sees the confirmation page.
      const done = await outcome(() => deleteLoader({ request: makeRequest('/profile/delete?done=1'), context: load(), params: {} }));
      expect(done.body).toEqual({ done: true });

      const [row] = await ctx.db.select().from(users).where(eq(users.id, leaving.user.id));
      expect(row!.deletedAt).not.toBeNull();
      expect(row!.email).toMatch(/^deleted-[0-9a-f-]{36}@deleted\.invalid$/);
      expect([row!.fullName, row!.certificateName, row!.school, row!.country, row!.timeZone]).toEqual(['', '', '', '', 'UTC']);
      expect(row!.passwordHash).not.toBe(leaving.user.passwordHash);

      // The seat went to the next in line, who was emailed.
      const [promoted] = await ctx.db.select().from(enrolments).where(and(eq(enrolments.offeringId, full.id), eq(enrolments.userId, waiting.id)));
      expect(promoted!.status).toBe('enrolled');
      const [left] = await ctx.db.select().from(enrolments).where(and(eq(enrolments.offeringId, full.id), eq(enrolments.userId, leaving.user.id)));
      expect(left!.status).toBe('withdrawn');
      const [offeringAfter] = await ctx.db.select().from(offerings).where(eq(offerings.id, full.id));
      expect(offeringAfter!.seatsTaken).toBe(1);
      const promotionMail = await ctx.db.select().from(outboxEmails).where(and(eq(outboxEmails.toAddress, waiting.email), eq(outboxEmails.template, 'waitlist-promoted')));
      expect(promotionMail).toHaveLength(1);

      // Nothing personal is left in the working tables.
      for (const table of [sessions, emailTokens, calendarFeeds, staffValidationRequests, sessionJoins, sessionAttendance, activityProgress, quizAttempts, submissions]) {
        expect(await ctx.db.select().from(table).where(eq(table.userId, leaving.user.id))).toHaveLength(0);
      }
      // Mail to the old address: queued messages cancelled, none keeps the address or a body.
      expect(await ctx.db.select().from(outboxEmails).where(eq(outboxEmails.toAddress, leaving.user.email))).toHaveLength(0);
      const theirMail = await ctx.db.select().from(outboxEmails).where(eq(outboxEmails.toAddress, row!.email));
      expect(theirMail.length).toBeGreaterThanOrEqual(2);
      for (const mail of theirMail) {
        expect(mail.status).toBe('failed');
        expect(mail.lastError).toBe(CANCELLED_FOR_DELETION);
        expect(mail.text + mail.html).toBe('');
      }

      const bystanderMail = await ctx.db.select().from(outboxEmails).where(eq(outboxEmails.toAddress, bystander.email));
      expect(bystanderMail).toEqual([expect.objectContaining({ status: 'queued', text: expect.stringContaining('Bystander') })]);

      const invitationAudit = await ctx.db.select({ details: auditLog.details }).from(auditLog).where(eq(auditLog.subjectId, full.id));
      expect(invitationAudit.map((entry) => entry.details)).toEqual(
        expect.arrayContaining([{ emails: [row!.email, 'someone.else@example.test'] }, { offeringId: full.id, email: row!.email }]),
      );
      expect(JSON.stringify(await ctx.db.select().from(auditLog))).not.toContain(leaving.user.email);

      // The certificate verifies as withdrawn at the holder's request, without the name.
      const [certificate] = await ctx.db.select().from(certificates).where(eq(certificates.id, leaving.certificate.id));
      expect(certificate!.withdrawnAt).not.toBeNull();
      expect(certificate!.snapshot.holderName).toBe('');
      const verified = await outcome(() => verifyLoader({ request: makeRequest(`/verify/${leaving.certificate.code}`), context: load(), params: { code: leaving.certificate.code } }));
      expect(verified.body).toMatchObject({ certificate: { status: { kind: 'withdrawn' } } });
      expect(JSON.stringify(verified.body)).not.toContain('Leaving');

      // The completed course ends too (its date kept), so nothing more is sent to the placeholder address.
      const [finished] = await ctx.db.select().from(enrolments).where(eq(enrolments.id, leaving.enrolmentId));
      expect(finished).toMatchObject({ status: 'withdrawn', completedAt: expect.any(Date) });

      // The post stays, by a deleted user.
      const [thread] = await listThreads(ctx.db, leaving.discussionId, { moderator: false });
      expect(thread!.post).toMatchObject({ id: leaving.postId, authorDeleted: true, authorName: '' });

      // The trainer's participant list and the admins' user list keep the row, as a deleted user.
      const listed = await listParticipants(ctx.db, full.id, { page: 1 });
      expect(listed.rows.find((r) => r.userId === leaving.user.id)).toMatchObject({ deleted: true, fullName: '', status: 'withdrawn' });
      const found = await searchUsers(ctx.db, { query: row!.email, page: 1 });
      expect(found.rows).toEqual([expect.objectContaining({ id: leaving.user.id, deleted: true })]);

      // One audit entry, with ids and counts only.
      const [entry] = await ctx.db.select().from(auditLog).where(and(eq(auditLog.action, 'account.deleted'), eq(auditLog.subjectId, leaving.user.id)));
      expect(entry!.details).toEqual({ leftOfferings: 1, withdrawnCertificates: 1 });
      expect(JSON.stringify(entry)).not.toContain(leaving.user.email);

      // The old credentials sign nobody in; the address can be registered again.
      const signInAgain = await signInWithPassword(load() as RequestContext, makeRequest('/login'), leaving.user.email, TEST_PASSWORD, new Date());
      expect(signInAgain.kind).toBe('wrong-credentials');
      const registered = await registerAccount(
        ctx,
        { email: leaving.user.email, password: 'A-new-start-in-Bergen-2031', fullName: 'Leaving Again', country: 'NO', school: 'Ny skole', schoolRole: 'teacher', locale: 'nb', timeZone: 'Europe/Oslo' },
        new Date(),
      );
      expect(registered.ok).toBe(true);
    });

    it('changes nothing when a step fails midway: the whole deletion is one transaction', async () => {
      const person = await personWithHistory('Atomic');
      const full = await makeOffering({ capacity: 1, waitlistEnabled: true, seatsTaken: 1 });
      await ctx.db.insert(enrolments).values({ offeringId: full.id, userId: person.user.id, status: 'enrolled', enrolledAt: new Date() });
      const waiting = await createUser(ctx.db);
      await ctx.db.insert(enrolments).values({ offeringId: full.id, userId: waiting.id, status: 'waitlisted', waitlistSeq: Date.now() + 1, waitlistedAt: new Date() });
      await signIn(ctx, person.user.id);
      // The last step (anonymising the user row) fails for this one person, after everything else has run.
      await ctx.handle.query(`
        create or replace function privacy_test_fail() returns trigger language plpgsql as $$
        begin
          if new.deleted_at is not null and old.id = '${person.user.id}' then raise exception 'disk full'; end if;
          return new;
        end $$;
        create trigger privacy_test_fail before update on users for each row execute function privacy_test_fail();`);
      try {
        const failure = await deleteAccount(ctx, person.user.id, new Date()).catch((error: unknown) => error);
        // drizzle wraps the database's error; the trigger's message is its cause.
        expect(String((failure as Error).cause)).toMatch(/disk full/);
      } finally {
        await ctx.handle.query('drop trigger privacy_test_fail on users; drop function privacy_test_fail();');
      }
      const [row] = await ctx.db.select().from(users).where(eq(users.id, person.user.id));
      expect(row).toMatchObject({ email: person.user.email, fullName: person.user.fullName, deletedAt: null });
      const statuses = await ctx.db.select({ userId: enrolments.userId, status: enrolments.status }).from(enrolments).where(eq(enrolments.offeringId, full.id));
      expect(statuses).toEqual(expect.arrayContaining([{ userId: person.user.id, status: 'enrolled' }, { userId: waiting.id, status: 'waitlisted' }]));
      const [certificate] = await ctx.db.select().from(certificates).where(eq(certificates.id, person.certificate.id));
      expect(certificate!.withdrawnAt).toBeNull();
      expect(certificate!.snapshot.holderName).toBe('Atomic Certificate-Name');
      expect(await ctx.db.select().from(sessions).where(eq(sessions.userId, person.user.id))).toHaveLength(1);
      expect(await ctx.db.select().from(submissions).where(eq(submissions.userId, person.user.id))).toHaveLength(1);
      const queued = await ctx.db.select().from(outboxEmails).where(eq(outboxEmails.toAddress, person.user.email));
      expect(queued.every((mail) => mail.status === 'queued')).toBe(true);
    });

    it('refuses a wrong password or a missing confirmation and changes nothing', async () => {
      const person = await createUser(ctx.db);
      const cookie = await signIn(ctx, person.id);
      const wrong = await outcome(() =>
        deleteAction({ request: makeRequest('/profile/delete', { cookie, form: { password: 'guess', confirm: 'on' } }), context: load(), params: {} }),
      );
      expect(wrong.status).toBe(400);
      expect(JSON.stringify(wrong.body)).toContain('errors.wrongPassword');
      const unconfirmed = await outcome(() => deleteAction({ request: makeRequest('/profile/delete', { cookie, form: { password: TEST_PASSWORD } }), context: load(), params: {} }));
      expect(unconfirmed.status).toBe(400);
      expect(JSON.stringify(unconfirmed.body)).toContain('privacy.errors.confirmRequired');
      const [row] = await ctx.db.select().from(users).where(eq(users.id, person.id));
      expect(row!.deletedAt).toBeNull();
    });

    it('refuses the only trainer of a running published offering, with the offering named; allowed once another trainer joins', async () => {
      const soleTrainer = await createUser(ctx.db, { roles: [{ role: 'trainer' }] });
      const [running] = await ctx.db
        .insert(offerings)
        .values({ slug: `sole-${randomBytes(4).toString('hex')}`, kind: 'mooc', title: 'Only Me Course', language: 'en', organiserTimeZone: 'UTC', status: 'published' })
        .returning();
      await ctx.db.insert(offeringTrainers).values({ offeringId: running!.id, userId: soleTrainer.id });
      const cookie = await signIn(ctx, soleTrainer.id);
      const refused = await outcome(() =>
        deleteAction({ request: makeRequest('/profile/delete', { cookie, form: { password: TEST_PASSWORD, confirm: 'on' } }), context: load(), params: {} }),
      );
      expect(refused.status).toBe(409);
      expect(JSON.stringify(refused.body)).toContain('privacy.errors.soleTrainer');
      expect(JSON.stringify(refused.body)).toContain('Only Me Course');

      await ctx.db.insert(offeringTrainers).values({ offeringId: running!.id, userId: trainerId, position: 1 });
      expect(await deleteAccount(ctx, soleTrainer.id, new Date())).toMatchObject({ ok: true });
      // The offering runs on with the other trainer.
      const trainersLeft = await ctx.db.select().from(offeringTrainers).where(eq(offeringTrainers.offeringId, running!.id));
      expect(trainersLeft.map((t) => t.userId)).toEqual([trainerId]);
    });
  });
});
