import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailTokens, outboxEmails, sessions, users } from '#db/schema';
import { resetPassword, verifyEmail } from '~/modules/auth/accounts.server';
import { cookies } from '~/modules/auth/cookies.server';
import { findLiveSession, SESSION_ABSOLUTE_TIMEOUT_MS, SESSION_IDLE_TIMEOUT_MS } from '~/modules/auth/sessions.server';
import { hashToken } from '~/modules/auth/tokens.server';
import { action as forgotAction } from '~/routes/forgot-password';
import { action as loginAction } from '~/routes/login';
import { action as logoutAction } from '~/routes/logout';
import { action as profileAction, loader as profileLoader } from '~/routes/profile._index';
import { action as registerAction } from '~/routes/register';
import { action as resetAction, loader as resetLoader } from '~/routes/reset-password';
import { loader as verifyLoader } from '~/routes/verify-email';
import { createTestContext, recordingJobQueue, type TestContext } from '../support/context';
import { createUser, signIn, TEST_PASSWORD } from '../support/factories';
import { makeRequest, requestContext } from '../support/requests';

/** What a Remix action returned or threw, as status, headers and body. */
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

function fieldErrors(body: Record<string, unknown> | null): Record<string, string[]> {
  return ((body?.result as { error?: Record<string, string[]> } | undefined)?.error ?? {}) as Record<string, string[]>;
}

/** The session cookie pair a response sets, for the next request. */
function sessionCookieFrom(headers: Headers): string {
  const set = headers.get('set-cookie') ?? '';
  const match = /kollega_session=[^;]*/.exec(set);
  if (!match) throw new Error(`no session cookie in ${set}`);
  return match[0];
}

const validRegistration = (email: string) => ({
  email,
  password: 'fjord-lantern-harbour-71',
  fullName: 'Łucja Żółkiewska',
  certificateName: '',
  country: 'PL',
  school: 'Szkoła Podstawowa nr 5',
  schoolRole: 'head_teacher',
  locale: 'sv',
  timeZone: 'Europe/Warsaw',
  website: '',
});

async function linkIn(ctx: TestContext, to: string, path: string): Promise<string> {
  const rows = await ctx.db.select().from(outboxEmails).where(eq(outboxEmails.toAddress, to));
  const links = rows.flatMap((row) => [...row.text.matchAll(/https?:\/\/\S+/g)].map((m) => m[0]));
  const link = links.reverse().find((l) => l.includes(path));
  if (!link) throw new Error(`no ${path} link for ${to}`);
  return link;
}

describe('accounts', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
  });
  afterAll(async () => {
    await ctx?.close();
  });
  const call = (request: Request, extra: Partial<{ clientAddress: string }> = {}) => ({
    request,
    context: requestContext(ctx, extra),
    params: {},
  });

  describe('registration', () => {
    it('creates the account, signs in, and emails a verification link in the chosen language', async () => {
      const email = 'Lucja.Register@Szkola.Example.PL';
      const result = await outcome(() => registerAction(call(makeRequest('/register', { form: validRegistration(email) }), { clientAddress: '10.0.0.1' })));
      expect(result.status).toBe(302);
      expect(result.headers.get('location')).toBe('/profile');
      expect(result.headers.get('set-cookie')).toMatch(/kollega_session=.+HttpOnly/i);
      const [user] = await ctx.db.select().from(users).where(eq(users.email, email.toLowerCase()));
      expect(user).toMatchObject({ fullName: 'Łucja Żółkiewska', certificateName: 'Łucja Żółkiewska', locale: 'sv', emailVerifiedAt: null });
      const [mail] = await ctx.db.select().from(outboxEmails).where(eq(outboxEmails.toAddress, email.toLowerCase()));
      expect(mail).toMatchObject({ template: 'verify-email', locale: 'sv', subject: 'Bekräfta din e-postadress' });
      expect(mail!.html).toContain('Łucja Żółkiewska');
    });

    it.each([
      ['an empty form', {}, ['email', 'password', 'fullName', 'country', 'school', 'schoolRole', 'locale', 'timeZone']],
      ['a short password', { password: 'short' }, ['password']],
      ['a common password', { password: 'password123456' }, ['password']],
      ['a malformed email', { email: 'not-an-email' }, ['email']],
      ['an unknown country', { country: 'XX' }, ['country']],
      ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, ['timeZone']],
      ['an unknown school role', { schoolRole: 'astronaut' }, ['schoolRole']],
      ['a 1 MB name', { fullName: 'x'.repeat(1_000_000) }, ['fullName']],
    ])('refuses %s with a 400 naming the fields, creating nothing', async (_label, changes, fields) => {
      const email = `bad-${Math.random().toString(36).slice(2)}@example.test`;
      const form = Object.keys(changes).length === 0 ? {} : { ...validRegistration(email), ...changes };
      const result = await outcome(() => registerAction(call(makeRequest('/register', { form }), { clientAddress: `10.1.${fields.length}.${Math.floor(Math.random() * 200)}` })));
      expect(result.status).toBe(400);
      expect(Object.keys(fieldErrors(result.body)).sort()).toEqual([...fields].sort());
      expect(await ctx.db.select().from(users).where(eq(users.email, email))).toHaveLength(0);
    });

    it('refuses a second account for the same address with 409 and a message on the email field', async () => {
      const existing = await createUser(ctx.db);
      const result = await outcome(() =>
        registerAction(call(makeRequest('/register', { form: validRegistration(existing.email.toUpperCase()) }), { clientAddress: '10.0.0.3' })),
      );
      expect(result.status).toBe(409);
      expect(fieldErrors(result.body).email).toEqual(['errors.emailTaken']);
    });

    it('refuses a form whose honeypot a bot filled in', async () => {
      const email = 'bot@example.test';
      const result = await outcome(() =>
        registerAction(call(makeRequest('/register', { form: { ...validRegistration(email), website: 'http://spam.example' } }), { clientAddress: '10.0.0.4' })),
      );
      expect(result.status).toBe(400);
      expect(await ctx.db.select().from(users).where(eq(users.email, email))).toHaveLength(0);
    });

    it('limits registrations per address and says when to try again', async () => {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 6; i++) {
        const result = await outcome(() => registerAction(call(makeRequest('/register', { form: {} }), { clientAddress: '10.9.9.9' })));
        statuses.push(result.status);
        retryAfter = result.headers.get('retry-after');
      }
      expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(60);
    });
  });

  describe('email verification', () => {
    it('verifies by link once; a used link gets a 400', async () => {
      const email = 'verify.me@example.test';
      await outcome(() => registerAction(call(makeRequest('/register', { form: validRegistration(email) }), { clientAddress: '10.0.1.1' })));
      const link = await linkIn(ctx, email, '/verify-email');
      const first = await outcome(() => verifyLoader(call(makeRequest(link))));
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ outcome: 'verified', email });
      const [user] = await ctx.db.select().from(users).where(eq(users.email, email));
      expect(user!.emailVerifiedAt).not.toBeNull();
      const again = await outcome(() => verifyLoader(call(makeRequest(link))));
      expect(again.status).toBe(400);
      expect(again.body).toMatchObject({ outcome: 'invalid' });
    });

    it('refuses an expired link, and a made-up one', async () => {
      const email = 'late.verifier@example.test';
      await outcome(() => registerAction(call(makeRequest('/register', { form: validRegistration(email) }), { clientAddress: '10.0.1.2' })));
      const token = new URL(await linkIn(ctx, email, '/verify-email')).searchParams.get('token')!;
      expect(await verifyEmail(ctx, token, new Date(Date.now() + 49 * 3600 * 1000))).toEqual({ ok: false, reason: 'expired' });
      const madeUp = await outcome(() => verifyLoader(call(makeRequest('/verify-email?token=nonsense'))));
      expect(madeUp.status).toBe(400);
    });
  });

  describe('sign-in', () => {
    it('signs in with the right password, with a new session id each time (no fixation)', async () => {
      const user = await createUser(ctx.db);
      const planted = await signIn(ctx, user.id);
      const result = await outcome(() =>
        loginAction(call(makeRequest('/login', { form: { email: user.email, password: TEST_PASSWORD, redirectTo: '/profile' }, cookie: planted }))),
      );
      expect(result.status).toBe(302);
      expect(result.headers.get('location')).toBe('/profile');
      const fresh = sessionCookieFrom(result.headers);
      expect(fresh).not.toBe(planted);
      const rows = await ctx.db.select().from(sessions).where(eq(sessions.userId, user.id));
      expect(rows).toHaveLength(1);
    });

    it('keeps redirects on this site', async () => {
      const user = await createUser(ctx.db);
      const result = await outcome(() =>
        loginAction(call(makeRequest('/login', { form: { email: user.email, password: TEST_PASSWORD, redirectTo: '//evil.example/x' } }))),
      );
      expect(result.headers.get('location')).toBe('/');
    });

    it('says the same for an unknown address as for a wrong password', async () => {
      const user = await createUser(ctx.db);
      const wrong = await outcome(() => loginAction(call(makeRequest('/login', { form: { email: user.email, password: 'wrong-password-123' } }), { clientAddress: '10.2.0.1' })));
      const unknown = await outcome(() => loginAction(call(makeRequest('/login', { form: { email: 'nobody@example.test', password: 'wrong-password-123' } }), { clientAddress: '10.2.0.2' })));
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body?.result).toMatchObject({ error: { '': ['errors.invalidCredentials'] } });
      expect(unknown.body?.result).toMatchObject({ error: { '': ['errors.invalidCredentials'] } });
    });

    it('locks the account after five wrong passwords, even against the right one, and says when to retry', async () => {
      const user = await createUser(ctx.db);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await outcome(() => loginAction(call(makeRequest('/login', { form: { email: user.email, password: `guess-number-${i}` } }), { clientAddress: `10.3.0.${i}` })));
        statuses.push(r.status);
      }
      const right = await outcome(() => loginAction(call(makeRequest('/login', { form: { email: user.email, password: TEST_PASSWORD } }), { clientAddress: '10.3.1.1' })));
      expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
      expect(statuses[4]).toBe(429);
      expect(right.status).toBe(429);
      expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(800);
      expect(JSON.stringify(right.body)).toContain('errors.rateLimited');
    });
  });

  describe('sessions', () => {
    const DAY = 24 * 60 * 60 * 1000;

    it('end after the absolute timeout even when used every few days', async () => {
      const user = await createUser(ctx.db);
      const start = new Date('2026-03-01T08:00:00Z');
      const token = await cookies(ctx.config).session.parse(await signIn(ctx, user.id, start));
      for (let day = 6; day < 30; day += 6) {
        expect(await findLiveSession(ctx.db, token, new Date(start.getTime() + day * DAY))).not.toBeNull();
      }
      expect(SESSION_ABSOLUTE_TIMEOUT_MS).toBe(30 * DAY);
      expect(await findLiveSession(ctx.db, token, new Date(start.getTime() + 30 * DAY + 1000))).toBeNull();
      expect(await ctx.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
    });

    it('end after the idle timeout, and are deleted then', async () => {
      const user = await createUser(ctx.db);
      const start = new Date('2026-01-01T10:00:00Z');
      const cookie = await signIn(ctx, user.id, start);
      const token = await cookies(ctx.config).session.parse(cookie);
      const [stored] = await ctx.db.select().from(sessions).where(eq(sessions.userId, user.id));
      expect(hashToken(token)).toBe(stored!.tokenHash);
      const lastUse = new Date(start.getTime() + 6 * DAY);
      expect(await findLiveSession(ctx.db, token, lastUse)).not.toBeNull();
      expect(await findLiveSession(ctx.db, token, new Date(lastUse.getTime() + SESSION_IDLE_TIMEOUT_MS + 1000))).toBeNull();
      expect(await ctx.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
    });

    it('lets people end one of their other sessions, and nobody else\'s', async () => {
      const user = await createUser(ctx.db);
      const stranger = await createUser(ctx.db);
      const mine = await signIn(ctx, user.id);
      await signIn(ctx, user.id);
      await signIn(ctx, stranger.id);
      const [, other] = await ctx.db.select().from(sessions).where(eq(sessions.userId, user.id)).orderBy(sessions.createdAt);
      const [strangers] = await ctx.db.select().from(sessions).where(eq(sessions.userId, stranger.id));
      const refused = await outcome(() => profileAction(call(makeRequest('/profile', { form: { intent: 'revoke-session', sessionId: strangers!.id }, cookie: mine }))));
      expect(refused.status).toBe(404);
      const malformed = await outcome(() => profileAction(call(makeRequest('/profile', { form: { intent: 'revoke-session', sessionId: 'x' }, cookie: mine }))));
      expect(malformed.status).toBe(404);
      expect(await ctx.db.select().from(sessions).where(eq(sessions.userId, stranger.id))).toHaveLength(1);
      const ended = await outcome(() => profileAction(call(makeRequest('/profile', { form: { intent: 'revoke-session', sessionId: other!.id }, cookie: mine }))));
      expect(ended.status).toBe(302);
      const left = await ctx.db.select().from(sessions).where(eq(sessions.userId, user.id));
      expect(left.map((s) => s.id)).not.toContain(other!.id);
      expect(left).toHaveLength(1);
    });

    it('sign out ends this session; sign out everywhere ends them all', async () => {
      const user = await createUser(ctx.db);
      const first = await signIn(ctx, user.id);
      const second = await signIn(ctx, user.id);
      const third = await signIn(ctx, user.id);
      const out = await outcome(() => logoutAction(call(makeRequest('/logout', { form: {}, cookie: first }))));
      expect(out.status).toBe(302);
      expect(out.headers.get('set-cookie')).toMatch(/kollega_session=;|Max-Age=0/);
      expect(await ctx.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(2);
      const everywhere = await outcome(() => logoutAction(call(makeRequest('/logout', { form: { scope: 'everywhere' }, cookie: second }))));
      expect(everywhere.status).toBe(302);
      expect(await ctx.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
      const afterwards = await outcome(() => profileLoader(call(makeRequest('/profile', { cookie: third }))));
      expect(afterwards.status).toBe(302);
      expect(afterwards.headers.get('location')).toContain('/login');
    });
  });

  describe('password reset', () => {
    it('emails a one-hour, single-use link; saving signs out everywhere', async () => {
      const user = await createUser(ctx.db, { locale: 'fi' });
      const cookie = await signIn(ctx, user.id);
      const sent = await outcome(() => forgotAction(call(makeRequest('/forgot-password', { form: { email: user.email } }), { clientAddress: '10.4.0.1' })));
      expect(sent.body).toMatchObject({ sent: true });
      const [mail] = await ctx.db.select().from(outboxEmails).where(and(eq(outboxEmails.toAddress, user.email), eq(outboxEmails.template, 'reset-password')));
      expect(mail!.subject).toBe('Vaihda salasanasi');
      const link = await linkIn(ctx, user.email, '/reset-password');
      expect((await outcome(() => resetLoader(call(makeRequest(link))))).status).toBe(200);

      const token = new URL(link).searchParams.get('token')!;
      const weak = await outcome(() => resetAction(call(makeRequest('/reset-password', { form: { token, password: 'qwerty123456' } }))));
      expect(weak.status).toBe(400);
      const saved = await outcome(() => resetAction(call(makeRequest('/reset-password', { form: { token, password: 'new-harbour-lantern-2032' } }))));
      expect(saved.body).toBeNull();
      expect(saved.status).toBe(302);
      expect(saved.headers.get('location')).toBe('/login');
      expect(await ctx.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
      expect((await outcome(() => profileLoader(call(makeRequest('/profile', { cookie }))))).status).toBe(302);

      const reused = await outcome(() => resetAction(call(makeRequest('/reset-password', { form: { token, password: 'another-harbour-2033' } }))));
      expect(reused.status).toBe(400);
      const login = await outcome(() => loginAction(call(makeRequest('/login', { form: { email: user.email, password: 'new-harbour-lantern-2032' } }), { clientAddress: '10.4.0.2' })));
      expect(login.status).toBe(302);
    });

    it('lifts a sign-in lockout once the password is reset by email', async () => {
      const user = await createUser(ctx.db);
      for (let i = 0; i < 5; i++) {
        await outcome(() => loginAction(call(makeRequest('/login', { form: { email: user.email, password: `wrong-guess-${i}` } }), { clientAddress: `10.6.0.${i}` })));
      }
      const locked = await outcome(() => loginAction(call(makeRequest('/login', { form: { email: user.email, password: TEST_PASSWORD } }), { clientAddress: '10.6.1.1' })));
      expect(locked.status).toBe(429);
      await outcome(() => forgotAction(call(makeRequest('/forgot-password', { form: { email: user.email } }), { clientAddress: '10.6.1.2' })));
      const token = new URL(await linkIn(ctx, user.email, '/reset-password')).searchParams.get('token')!;
      expect((await resetPassword(ctx, token, 'fresh-lantern-harbour-77', new Date())).ok).toBe(true);
      const after = await outcome(() => loginAction(call(makeRequest('/login', { form: { email: user.email, password: 'fresh-lantern-harbour-77' } }), { clientAddress: '10.6.1.3' })));
      expect(after.status).toBe(302);
    });

    it('answers the same for an unknown address and sends nothing', async () => {
      const before = await ctx.db.select().from(outboxEmails);
      const result = await outcome(() => forgotAction(call(makeRequest('/forgot-password', { form: { email: 'ghost@example.test' } }), { clientAddress: '10.4.0.3' })));
      expect(result.body).toMatchObject({ sent: true });
      expect(await ctx.db.select().from(outboxEmails)).toHaveLength(before.length);
    });

    it('refuses a link after an hour', async () => {
      const user = await createUser(ctx.db);
      await outcome(() => forgotAction(call(makeRequest('/forgot-password', { form: { email: user.email } }), { clientAddress: '10.4.0.4' })));
      const token = new URL(await linkIn(ctx, user.email, '/reset-password')).searchParams.get('token')!;
      const late = await resetPassword(ctx, token, 'late-harbour-lantern-99', new Date(Date.now() + 61 * 60 * 1000));
      expect(late).toEqual({ ok: false, reason: 'expired' });
      const [row] = await ctx.db.select().from(emailTokens).where(eq(emailTokens.tokenHash, hashToken(token)));
      expect(row!.usedAt).toBeNull();
    });
  });

  describe('profile', () => {
    it('saves changes; a new email address is used only after it is verified', async () => {
      const user = await createUser(ctx.db, { email: 'old.address@example.test' });
      const cookie = await signIn(ctx, user.id);
      const form = {
        intent: 'profile',
        email: 'new.address@example.test',
        fullName: 'Ελένη Παπαδοπούλου',
        certificateName: 'Eleni Papadopoulou',
        country: 'GR',
        school: 'Γυμνάσιο',
        schoolRole: 'teacher',
        locale: 'nb',
        timeZone: 'Europe/Athens',
        notifyOnReplies: 'on',
      };
      const saved = await outcome(() => profileAction(call(makeRequest('/profile', { form, cookie }))));
      expect(saved.status).toBe(302);
      const [after] = await ctx.db.select().from(users).where(eq(users.id, user.id));
      expect(after).toMatchObject({ email: 'old.address@example.test', fullName: 'Ελένη Παπαδοπούλου', certificateName: 'Eleni Papadopoulou', locale: 'nb', timeZone: 'Europe/Athens' });
      const page = await outcome(() => profileLoader(call(makeRequest('/profile', { cookie }))));
      expect(page.body).toMatchObject({ pendingEmail: 'new.address@example.test' });

      const link = await linkIn(ctx, 'new.address@example.test', '/verify-email');
      expect((await outcome(() => verifyLoader(call(makeRequest(link))))).status).toBe(200);
      const [switched] = await ctx.db.select().from(users).where(eq(users.id, user.id));
      expect(switched!.email).toBe('new.address@example.test');
    });

    it('changes nothing when the new address belongs to someone else', async () => {
      const taken = await createUser(ctx.db);
      const user = await createUser(ctx.db, { school: 'Old School' });
      const cookie = await signIn(ctx, user.id);
      const form = {
        intent: 'profile',
        email: taken.email,
        fullName: user.fullName,
        certificateName: user.certificateName,
        country: 'NO',
        school: 'New School',
        schoolRole: 'teacher',
        locale: 'en',
        timeZone: 'Europe/Oslo',
      };
      const refused = await outcome(() => profileAction(call(makeRequest('/profile', { form, cookie }))));
      expect(refused.status).toBe(409);
      const [after] = await ctx.db.select().from(users).where(eq(users.id, user.id));
      expect(after).toMatchObject({ email: user.email, school: 'Old School' });
    });

    it('refuses a wrong current password when changing it, and bad values with 400', async () => {
      const user = await createUser(ctx.db);
      const cookie = await signIn(ctx, user.id);
      const wrong = await outcome(() =>
        profileAction(call(makeRequest('/profile', { form: { intent: 'password', currentPassword: 'not-my-password', newPassword: 'a-brand-new-lantern-9' }, cookie }))),
      );
      expect(wrong.status).toBe(400);
      expect(fieldErrors(wrong.body).currentPassword).toEqual(['errors.wrongPassword']);
      const bad = await outcome(() => profileAction(call(makeRequest('/profile', { form: { intent: 'profile', email: 'x', timeZone: 'Nowhere/Here' }, cookie }))));
      expect(bad.status).toBe(400);
      expect(Object.keys(fieldErrors(bad.body))).toEqual(expect.arrayContaining(['email', 'fullName', 'school']));
    });

    it('is only ever the signed-in person\'s own: anonymous visitors are sent to sign in', async () => {
      const anonymous = await outcome(() => profileLoader(call(makeRequest('/profile'))));
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.get('location')).toBe('/login?redirectTo=%2Fprofile');
    });
  });
});
