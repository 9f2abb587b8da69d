import type { AppLoadContext, LoaderFunctionArgs } from '@remix-run/node';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, outboxEmails, staffValidationRequests, users } from '#db/schema';
import { decideValidation, requestValidation } from '~/modules/validation/validation.server';
import { action as profileValidationAction, loader as profileValidationLoader } from '~/routes/profile.validation';
import { action as validationsAction, loader as validationsLoader } from '~/routes/validations';
import { loader as adminUsersLoader } from '~/routes/admin.users';
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

async function call(ctx: TestContext, handler: (args: LoaderFunctionArgs) => unknown, request: Request, params: Record<string, string> = {}): Promise<Outcome> {
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

describe('school-staff validation', () => {
  let ctx: TestContext;
  let nsoNorway: { id: string; cookie: string };
  let nsoSweden: { id: string; cookie: string };
  let admin: { id: string; cookie: string };

  async function person(overrides: UserOverrides = {}) {
    const user = await createUser(ctx.db, overrides);
    return { ...user, cookie: await signIn(ctx, user.id) };
  }

  /** A participant with an open request, asked at `at`. */
  async function pendingRequest(overrides: UserOverrides = {}, at = new Date()) {
    const participant = await person(overrides);
    const outcome = await requestValidation(ctx, participant.id, { note: 'Staff page: https://school.example/staff' }, at);
    if (!outcome.ok) throw new Error(`could not ask: ${outcome.reason}`);
    return { participant, requestId: outcome.requestId };
  }

  function decide(cookie: string, form: Record<string, string>, url = '/validations') {
    return call(ctx, validationsAction, makeRequest(url, { form, cookie }));
  }

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    nsoNorway = await person({ roles: [{ role: 'nso', country: 'NO' }] });
    nsoSweden = await person({ country: 'SE', roles: [{ role: 'nso', country: 'SE' }] });
    admin = await person({ roles: [{ role: 'admin' }] });
  });
  afterAll(async () => {
    await ctx?.close();
  });
  beforeEach(async () => {
    await ctx.db.delete(staffValidationRequests);
    await ctx.db.delete(outboxEmails);
  });

  describe('asking', () => {
    it('opens a request with a snapshot of the profile and marks the participant pending, audited', async () => {
      const participant = await person({ country: 'NO', school: 'Tromsø skole', schoolRole: 'librarian' });
      const page = await call(ctx, profileValidationLoader, makeRequest('/profile/validation', { cookie: participant.cookie }));
      expect(page.status).toBe(200);
      expect(page.data).toMatchObject({ mayRequest: true, overview: { staffStatus: 'none', pending: null, lastDecision: null } });

      const response = await call(
        ctx,
        profileValidationAction,
        makeRequest('/profile/validation', { form: { note: 'Listed on the staff page.' }, cookie: participant.cookie }),
      );
      expect(response.status).toBe(302);
      expect(response.location).toBe('/profile/validation');

      const rows = await ctx.db.select().from(staffValidationRequests).where(eq(staffValidationRequests.userId, participant.id));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'pending', country: 'NO', school: 'Tromsø skole', schoolRole: 'librarian', note: 'Listed on the staff page.' });
      const [user] = await ctx.db.select({ staffStatus: users.staffStatus }).from(users).where(eq(users.id, participant.id));
      expect(user!.staffStatus).toBe('pending');
      const audit = await ctx.db.select().from(auditLog).where(eq(auditLog.subjectId, rows[0]!.id));
      expect(audit).toMatchObject([{ action: 'validation.requested', actorId: participant.id, subjectType: 'staff_validation_request' }]);

      const after = await call(ctx, profileValidationLoader, makeRequest('/profile/validation', { cookie: participant.cookie }));
      expect(after.data.overview.staffStatus).toBe('pending');
      expect(after.data.overview.pending).toMatchObject({ id: rows[0]!.id });
    });

    it('refuses a second request while one is pending, with a clear message', async () => {
      const { participant } = await pendingRequest();
      const again = await call(ctx, profileValidationAction, makeRequest('/profile/validation', { form: { note: '' }, cookie: participant.cookie }));
      expect(again.status).toBe(409);
      expect(again.data.result.error['']).toEqual(['errors.validationAlreadyPending']);
      const rows = await ctx.db.select().from(staffValidationRequests).where(eq(staffValidationRequests.userId, participant.id));
      expect(rows).toHaveLength(1);
    });

    it('opens exactly one request when the same person asks twice at once', async () => {
      const participant = await person();
      const outcomes = await Promise.all([1, 2, 3].map(() => requestValidation(ctx, participant.id, {}, new Date())));
      expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
      expect(outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.reason)).toEqual(['already-pending', 'already-pending']);
      const rows = await ctx.db.select().from(staffValidationRequests).where(eq(staffValidationRequests.userId, participant.id));
      expect(rows).toHaveLength(1);
    });

    it('keeps one pending request per person even past the application (partial unique index)', async () => {
      const { participant } = await pendingRequest();
      await expect(
        ctx.db.insert(staffValidationRequests).values({ userId: participant.id, country: 'NO', school: 'x', schoolRole: 'teacher' }),
      ).rejects.toThrow();
    });

    it('explains that an unverified address must be verified first (403), and creates nothing', async () => {
      const participant = await person({ emailVerifiedAt: null });
      const page = await call(ctx, profileValidationLoader, makeRequest('/profile/validation', { cookie: participant.cookie }));
      expect(page.data.mayRequest).toBe(false);
      const response = await call(ctx, profileValidationAction, makeRequest('/profile/validation', { form: { note: '' }, cookie: participant.cookie }));
      expect(response.status).toBe(403);
      expect(response.data.result.error['']).toEqual(['errors.verifyEmailFirst']);
      expect(await ctx.db.select().from(staffValidationRequests).where(eq(staffValidationRequests.userId, participant.id))).toHaveLength(0);
    });

    it('refuses an overlong note with a field error', async () => {
      const participant = await person();
      const response = await call(
        ctx,
        profileValidationAction,
        makeRequest('/profile/validation', { form: { note: 'x'.repeat(1001) }, cookie: participant.cookie }),
      );
      expect(response.status).toBe(400);
      expect(response.data.result.error.note).toEqual(['errors.tooLong|{"max":1000}']);
    });

    it('sends anonymous visitors to sign in', async () => {
      const response = await call(ctx, profileValidationLoader, makeRequest('/profile/validation'));
      expect(response.status).toBe(302);
      expect(response.location).toBe('/login?redirectTo=%2Fprofile%2Fvalidation');
    });
  });

  describe('the queue', () => {
    it('shows an NSO officer the requests of their own country only, oldest first', async () => {
      const older = await pendingRequest({ country: 'NO', fullName: 'Older Norwegian' }, new Date('2026-03-01T10:00:00Z'));
      const newer = await pendingRequest({ country: 'NO', fullName: 'Newer Norwegian' }, new Date('2026-03-02T10:00:00Z'));
      await pendingRequest({ country: 'SE', fullName: 'Swedish Teacher' });

      const page = await call(ctx, validationsLoader, makeRequest('/validations', { cookie: nsoNorway.cookie }));
      expect(page.status).toBe(200);
      expect(page.data.rows.map((r: { id: string }) => r.id)).toEqual([older.requestId, newer.requestId]);
      expect(page.data.rows[0]).toMatchObject({ fullName: 'Older Norwegian', country: 'NO', countryName: 'Norway', status: 'pending' });
      expect(page.data.total).toBe(2);

      // Asking for another country by URL is a 404, not an empty list.
      const sweden = await call(ctx, validationsLoader, makeRequest('/validations?country=SE', { cookie: nsoNorway.cookie }));
      expect(sweden.status).toBe(404);
    });

    it('shows admins every country, with a country filter', async () => {
      await pendingRequest({ country: 'NO' });
      const swede = await pendingRequest({ country: 'SE' });
      const all = await call(ctx, validationsLoader, makeRequest('/validations', { cookie: admin.cookie }));
      expect(all.data.total).toBe(2);
      expect(all.data.countryChoices.map((c: { value: string }) => c.value)).toEqual(['NO', 'SE']);
      const sweden = await call(ctx, validationsLoader, makeRequest('/validations?country=SE', { cookie: admin.cookie }));
      expect(sweden.data.rows.map((r: { id: string }) => r.id)).toEqual([swede.requestId]);
    });

    it('filters by status and paginates 25 a page, with the filters in the URL', async () => {
      const start = Date.parse('2026-01-01T08:00:00Z');
      const ids: string[] = [];
      for (let i = 0; i < 27; i++) ids.push((await pendingRequest({ country: 'NO' }, new Date(start + i * 60_000))).requestId);
      const first = await call(ctx, validationsLoader, makeRequest('/validations?status=pending', { cookie: nsoNorway.cookie }));
      expect(first.data).toMatchObject({ total: 27, page: 1, pages: 2 });
      expect(first.data.rows).toHaveLength(25);
      const second = await call(ctx, validationsLoader, makeRequest('/validations?status=pending&page=2', { cookie: nsoNorway.cookie }));
      expect(second.data.rows.map((r: { id: string }) => r.id)).toEqual(ids.slice(25));

      await decideValidation(ctx, { requestId: ids[0]!, deciderId: nsoNorway.id, decision: 'approve', reason: '' }, new Date());
      const approved = await call(ctx, validationsLoader, makeRequest('/validations?status=approved', { cookie: nsoNorway.cookie }));
      expect(approved.data.rows).toHaveLength(1);
      expect(approved.data.rows[0]).toMatchObject({ id: ids[0], status: 'approved', decidedByName: expect.any(String) });
    });

    it('answers bad filters with 400 and a message', async () => {
      for (const query of ['status=maybe', 'page=0', 'page=abc', 'country=norway', 'country=XX']) {
        const response = await call(ctx, validationsLoader, makeRequest(`/validations?${query}`, { cookie: admin.cookie }));
        expect(response.status, query).toBe(400);
        expect(response.data.message, query).toEqual(expect.any(String));
      }
    });

    it('is not there for participants (404), nor is /admin/users', async () => {
      const participant = await person();
      expect((await call(ctx, validationsLoader, makeRequest('/validations', { cookie: participant.cookie }))).status).toBe(404);
      expect((await call(ctx, adminUsersLoader, makeRequest('/admin/users', { cookie: participant.cookie }))).status).toBe(404);
      expect((await call(ctx, adminUsersLoader, makeRequest('/admin/users', { cookie: nsoNorway.cookie }))).status).toBe(404);
      const { requestId } = await pendingRequest();
      const posted = await decide(participant.cookie, { requestId, intent: 'approve' });
      expect(posted.status).toBe(404);
      const [row] = await ctx.db.select().from(staffValidationRequests).where(eq(staffValidationRequests.id, requestId));
      expect(row!.status).toBe('pending');
    });
  });

  describe('deciding', () => {
    it('approves: request, status, audit entry and an email in the participant’s language, one transaction', async () => {
      const { participant, requestId } = await pendingRequest({ country: 'NO', locale: 'nb', fullName: 'Ole Høiby' });
      const response = await decide(nsoNorway.cookie, { requestId, intent: 'approve', reason: '' }, '/validations?status=pending');
      expect(response.status).toBe(302);
      expect(response.location).toBe('/validations?status=pending');

      const [request] = await ctx.db.select().from(staffValidationRequests).where(eq(staffValidationRequests.id, requestId));
      expect(request).toMatchObject({ status: 'approved', decidedBy: nsoNorway.id, decidedAt: expect.any(Date) });
      const [user] = await ctx.db.select({ staffStatus: users.staffStatus }).from(users).where(eq(users.id, participant.id));
      expect(user!.staffStatus).toBe('validated');

      const audit = await ctx.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.subjectId, requestId), eq(auditLog.action, 'validation.approved')));
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actorId: nsoNorway.id, subjectType: 'staff_validation_request', details: { userId: participant.id, country: 'NO' } });

      const mail = await ctx.db.select().from(outboxEmails).where(eq(outboxEmails.toAddress, participant.email));
      expect(mail).toHaveLength(1);
      expect(mail[0]).toMatchObject({
        template: 'validation-decision',
        locale: 'nb',
        subject: 'Du er godkjent som skoleansatt',
        idempotencyKey: `validation-decision:${requestId}`,
        status: 'queued',
      });
      expect(mail[0]!.text).toContain('Ole Høiby');

      const page = await call(ctx, profileValidationLoader, makeRequest('/profile/validation', { cookie: participant.cookie }));
      expect(page.data.overview).toMatchObject({ staffStatus: 'validated', pending: null, lastDecision: { status: 'approved' } });
      const again = await call(ctx, profileValidationAction, makeRequest('/profile/validation', { form: { note: '' }, cookie: participant.cookie }));
      expect(again.status).toBe(409);
      expect(again.data.result.error['']).toEqual(['errors.validationAlreadyValidated']);
    });

    it('rejects with a reason, which the participant sees and is emailed; they may ask again', async () => {
      const { participant, requestId } = await pendingRequest({ locale: 'en' });
      const response = await decide(nsoNorway.cookie, { requestId, intent: 'reject', reason: 'The school does not list you.' });
      expect(response.status).toBe(302);
      const [user] = await ctx.db.select({ staffStatus: users.staffStatus }).from(users).where(eq(users.id, participant.id));
      expect(user!.staffStatus).toBe('rejected');
      const [mail] = await ctx.db.select().from(outboxEmails).where(eq(outboxEmails.toAddress, participant.email));
      expect(mail).toMatchObject({ locale: 'en', subject: 'Your validation request was not approved' });
      expect(mail!.text).toContain('The school does not list you.');
      const [audit] = await ctx.db.select().from(auditLog).where(and(eq(auditLog.subjectId, requestId), eq(auditLog.action, 'validation.rejected')));
      expect(audit!.reason).toBe('The school does not list you.');

      const page = await call(ctx, profileValidationLoader, makeRequest('/profile/validation', { cookie: participant.cookie }));
      expect(page.data.overview.lastDecision).toMatchObject({ status: 'rejected', reason: 'The school does not list you.' });
      const again = await call(ctx, profileValidationAction, makeRequest('/profile/validation', { form: { note: 'New school' }, cookie: participant.cookie }));
      expect(again.status).toBe(302);
    });

    it('needs a reason to reject: 400 with the error on the reason field', async () => {
      const { requestId } = await pendingRequest();
      const response = await decide(nsoNorway.cookie, { requestId, intent: 'reject', reason: '   ' });
      expect(response.status).toBe(400);
      expect(response.data.requestId).toBe(requestId);
      expect(response.data.result.error.reason).toEqual(['errors.reasonRequired']);
      const [row] = await ctx.db.select().from(staffValidationRequests).where(eq(staffValidationRequests.id, requestId));
      expect(row!.status).toBe('pending');
    });

    it('refuses wrong decisions and overlong reasons with 400', async () => {
      const { requestId } = await pendingRequest();
      expect((await decide(nsoNorway.cookie, { requestId, intent: 'maybe' })).status).toBe(400);
      const long = await decide(nsoNorway.cookie, { requestId, intent: 'reject', reason: 'x'.repeat(1001) });
      expect(long.status).toBe(400);
      expect(long.data.result.error.reason).toEqual(['errors.tooLong|{"max":1000}']);
    });

    it('gives an NSO officer of another country 404 for a Norwegian request, and changes nothing', async () => {
      const { requestId } = await pendingRequest({ country: 'NO' });
      const response = await decide(nsoSweden.cookie, { requestId, intent: 'approve' });
      expect(response.status).toBe(404);
      const [row] = await ctx.db.select().from(staffValidationRequests).where(eq(staffValidationRequests.id, requestId));
      expect(row!.status).toBe('pending');
      expect(await ctx.db.select().from(outboxEmails)).toHaveLength(0);
    });

    it('does not let an officer decide their own request', async () => {
      const officer = await person({ country: 'NO', roles: [{ role: 'nso', country: 'NO' }] });
      const outcome = await requestValidation(ctx, officer.id, {}, new Date());
      if (!outcome.ok) throw new Error(outcome.reason);
      const page = await call(ctx, validationsLoader, makeRequest('/validations', { cookie: officer.cookie }));
      expect(page.data.rows.find((r: { id: string }) => r.id === outcome.requestId)).toMatchObject({ own: true });
      expect(page.data.rows[0]).not.toHaveProperty('userId');

      const response = await decide(officer.cookie, { requestId: outcome.requestId, intent: 'approve' });
      expect(response.status).toBe(403);
      expect(response.data.result.error['']).toEqual(['errors.cannotDecideOwnRequest']);
      const [row] = await ctx.db.select().from(staffValidationRequests).where(eq(staffValidationRequests.id, outcome.requestId));
      expect(row!.status).toBe('pending');
      // Someone else may.
      expect((await decide(nsoNorway.cookie, { requestId: outcome.requestId, intent: 'approve' })).status).toBe(302);
    });

    it('answers malformed and unknown request ids with 404', async () => {
      expect((await decide(nsoNorway.cookie, { requestId: 'not-a-uuid', intent: 'approve' })).status).toBe(404);
      expect((await decide(nsoNorway.cookie, { requestId: "1' or '1'='1", intent: 'approve' })).status).toBe(404);
      expect((await decide(nsoNorway.cookie, { requestId: '00000000-0000-4000-8000-000000000000', intent: 'approve' })).status).toBe(404);
      expect((await decide(nsoNorway.cookie, { intent: 'approve' })).status).toBe(404);
    });

    it('lets one of two officers deciding at once win; the other is told it was already decided', async () => {
      const { participant, requestId } = await pendingRequest({ country: 'NO' });
      const outcomes = await Promise.all([
        decideValidation(ctx, { requestId, deciderId: nsoNorway.id, decision: 'approve', reason: '' }, new Date()),
        decideValidation(ctx, { requestId, deciderId: admin.id, decision: 'reject', reason: 'Not a school' }, new Date()),
      ]);
      expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
      expect(outcomes.find((o) => !o.ok)).toEqual({ ok: false, reason: 'already-decided' });

      const [row] = await ctx.db.select().from(staffValidationRequests).where(eq(staffValidationRequests.id, requestId));
      const [user] = await ctx.db.select({ staffStatus: users.staffStatus }).from(users).where(eq(users.id, participant.id));
      expect(user!.staffStatus).toBe(row!.status === 'approved' ? 'validated' : 'rejected');
      const decisions = (await ctx.db.select().from(auditLog).where(eq(auditLog.subjectId, requestId))).filter((a) => a.action !== 'validation.requested');
      expect(decisions).toHaveLength(1);
      expect(await ctx.db.select().from(outboxEmails).where(eq(outboxEmails.toAddress, participant.email))).toHaveLength(1);

      // Through the page: the late one gets 409 and the message, not a second decision.
      const late = await decide(nsoNorway.cookie, { requestId, intent: 'reject', reason: 'Too late' });
      expect(late.status).toBe(409);
      expect(late.data.result.error['']).toEqual(['errors.alreadyDecided']);
      const [still] = await ctx.db.select().from(staffValidationRequests).where(eq(staffValidationRequests.id, requestId));
      expect(still!.status).toBe(row!.status);
    });
  });
});
