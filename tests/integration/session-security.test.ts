import { eq } from 'drizzle-orm';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions } from '#db/schema';
import { cookies } from '~/modules/auth/cookies.server';
import { SESSION_ABSOLUTE_TIMEOUT_MS, SESSION_IDLE_TIMEOUT_MS } from '~/modules/auth/sessions.server';
import { loadConfig } from '~/modules/config/config.server';
import { action as loginAction } from '~/routes/login';
import { action as profileAction, loader as profileLoader } from '~/routes/profile._index';
import { action as setLanguageAction } from '~/routes/set-language';
import { createTestContext, makeTempDir, recordingJobQueue, testEnv, type TestContext } from '../support/context';
import { createUser, signIn, TEST_PASSWORD } from '../support/factories';
import { makeRequest, requestContext } from '../support/requests';

/**
 * Session and cookie hardening beyond the accounts suite (accounts.both.test.ts
 * covers new ids at sign-in, the two timeouts through findLiveSession, ending
 * one session and signing out everywhere): the flags of every cookie the
 * platform sets, planted cookies, and the timeouts as pages see them.
 */

async function outcome(run: () => Promise<unknown>) {
  let value: unknown;
  try {
    value = await run();
  } catch (thrown) {
    value = thrown;
  }
  if (value instanceof Response) return { status: value.status, headers: value.headers };
  const withInit = value as { type?: string; init?: { status?: number; headers?: Record<string, string> } };
  if (withInit && withInit.type === 'DataWithResponseInit') return { status: withInit.init?.status ?? 200, headers: new Headers(withInit.init?.headers) };
  return { status: 200, headers: new Headers() };
}

/** A Set-Cookie header's name, value and attributes (names lower-cased). */
function parseSetCookie(header: string): { name: string; value: string; attributes: Map<string, string> } {
  const [pair, ...parts] = header.split(';').map((part) => part.trim());
  const equals = pair!.indexOf('=');
  const attributes = new Map(
    parts.map((part) => {
      const at = part.indexOf('=');
      return at === -1 ? [part.toLowerCase(), ''] : [part.slice(0, at).toLowerCase(), part.slice(at + 1)];
    }),
  );
  return { name: pair!.slice(0, equals), value: pair!.slice(equals + 1), attributes };
}

function setCookies(headers: Headers): ReturnType<typeof parseSetCookie>[] {
  return headers.getSetCookie().map(parseSetCookie);
}

function expectHardened(cookie: ReturnType<typeof parseSetCookie>, options: { secure: boolean; httpOnly?: boolean }) {
  const label = `cookie ${cookie.name}`;
  expect(cookie.attributes.has('httponly'), `${label}: HttpOnly`).toBe(options.httpOnly ?? true);
  expect(cookie.attributes.get('samesite')?.toLowerCase(), `${label}: SameSite`).toBe('lax');
  expect(cookie.attributes.get('path'), `${label}: Path`).toBe('/');
  // A Domain attribute would send the cookie to every subdomain as well.
  expect(cookie.attributes.has('domain'), `${label}: no Domain`).toBe(false);
  expect(cookie.attributes.has('secure'), `${label}: Secure`).toBe(options.secure);
}

describe('session security', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
  });
  afterAll(async () => {
    await ctx?.close();
  });
  const call = (request: Request, clientAddress = '10.77.0.1') => ({ request, context: requestContext(ctx, { clientAddress }), params: {} });

  describe('cookie flags', () => {
    it('sets the session cookie HttpOnly, SameSite=Lax, Path=/, without Domain, for the absolute lifetime; not Secure over http', async () => {
      const user = await createUser(ctx.db);
      const result = await outcome(() => loginAction(call(makeRequest('/login', { form: { email: user.email, password: TEST_PASSWORD } }))));
      expect(result.status).toBe(302);
      const session = setCookies(result.headers).find((cookie) => cookie.name === 'kollega_session');
      expect(session).toBeDefined();
      expectHardened(session!, { secure: false });
      expect(Number(session!.attributes.get('max-age'))).toBe(SESSION_ABSOLUTE_TIMEOUT_MS / 1000);
      // Signed: the value is the token plus an HMAC, so a cookie made up in the browser is not accepted.
      expect(decodeURIComponent(session!.value)).toMatch(/\./);
    });

    it('hardens the language and flash cookies the same way', async () => {
      const user = await createUser(ctx.db);
      const cookie = await signIn(ctx, user.id);
      const language = await outcome(() =>
        setLanguageAction(call(makeRequest('/set-language', { form: { locale: 'nb', redirectTo: '/catalogue' }, cookie }))),
      );
      const languageCookie = setCookies(language.headers).find((c) => c.name === 'kollega_lang');
      expect(languageCookie).toBeDefined();
      expectHardened(languageCookie!, { secure: false });

      const created = await outcome(() => profileAction(call(makeRequest('/profile', { form: { intent: 'calendar-create' }, cookie }))));
      const flash = setCookies(created.headers).find((c) => c.name === 'kollega_flash');
      expect(flash).toBeDefined();
      expectHardened(flash!, { secure: false });
    });

    it('marks every cookie Secure in production and whenever APP_URL is https', async () => {
      const dir = makeTempDir();
      const variants = [
        loadConfig(testEnv(dir, { NODE_ENV: 'production', APP_URL: 'http://localhost:3000' })),
        loadConfig(testEnv(dir, { APP_URL: 'https://kollega.example.org' })),
      ];
      for (const config of variants) {
        const jar = cookies(config);
        for (const header of [
          await jar.session.serialize('token'),
          await jar.language.serialize('nb'),
          await jar.timeZone.serialize('Europe/Oslo'),
          await jar.flash.commitSession(await jar.flash.getSession()),
        ]) {
          const parsed = parseSetCookie(header);
          // The time-zone cookie is written by the page's own script, so it alone is readable there.
          expectHardened(parsed, { secure: true, httpOnly: parsed.name !== 'kollega_tz' });
        }
      }
      // Plain http in development: Secure would make the browser drop the cookie.
      const plain = parseSetCookie(await cookies(loadConfig(testEnv(dir, { APP_URL: 'http://localhost:3000' }))).session.serialize('token'));
      expect(plain.attributes.has('secure')).toBe(false);
      rmSync(dir, { recursive: true, force: true });
    });
  });

  describe('fixation', () => {
    it("ends an attacker's session planted in the victim's browser and gives the victim a fresh one", async () => {
      const attacker = await createUser(ctx.db);
      const victim = await createUser(ctx.db);
      const planted = await signIn(ctx, attacker.id);
      const result = await outcome(() =>
        loginAction(call(makeRequest('/login', { form: { email: victim.email, password: TEST_PASSWORD }, cookie: planted }))),
      );
      expect(result.status).toBe(302);
      const fresh = setCookies(result.headers).find((c) => c.name === 'kollega_session')!;
      expect(`${fresh.name}=${fresh.value}`).not.toBe(planted);
      // The planted id is gone: it signs in neither the attacker nor the victim.
      expect(await ctx.db.select().from(sessions).where(eq(sessions.userId, attacker.id))).toHaveLength(0);
      expect((await outcome(() => profileLoader(call(makeRequest('/profile', { cookie: planted }))))).status).toBe(302);
      const victimPage = (await profileLoader(call(makeRequest('/profile', { cookie: `${fresh.name}=${fresh.value}` })))) as { profile: { email: string } };
      expect(victimPage.profile.email).toBe(victim.email);
    });

    it('accepts no session cookie made up or altered in the browser', async () => {
      const user = await createUser(ctx.db);
      const genuine = await signIn(ctx, user.id);
      const value = decodeURIComponent(genuine.slice('kollega_session='.length));
      const token = value.slice(0, value.lastIndexOf('.'));
      const forged = [
        // The raw token without the signature, a made-up value, and a real token with a changed letter.
        `kollega_session=${encodeURIComponent(token)}`,
        'kollega_session=' + encodeURIComponent('attacker-chosen-id'),
        `kollega_session=${encodeURIComponent(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}${value.slice(value.lastIndexOf('.'))}`)}`,
      ];
      for (const cookie of forged) {
        const page = await outcome(() => profileLoader(call(makeRequest('/profile', { cookie }))));
        expect(page.status, cookie).toBe(302);
      }
      expect((await outcome(() => profileLoader(call(makeRequest('/profile', { cookie: genuine }))))).status).toBe(200);
    });
  });

  describe('timeouts as pages see them', () => {
    it('sends an idle session to sign in and deletes it', async () => {
      const user = await createUser(ctx.db);
      const cookie = await signIn(ctx, user.id);
      await ctx.db
        .update(sessions)
        .set({ lastSeenAt: new Date(Date.now() - SESSION_IDLE_TIMEOUT_MS - 60_000) })
        .where(eq(sessions.userId, user.id));
      const page = await outcome(() => profileLoader(call(makeRequest('/profile', { cookie }))));
      expect(page.status).toBe(302);
      expect(page.headers.get('location')).toBe('/login?redirectTo=%2Fprofile');
      expect(await ctx.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
    });

    it('sends a session past its absolute end to sign in even when it was used a minute ago', async () => {
      const user = await createUser(ctx.db);
      const cookie = await signIn(ctx, user.id, new Date(Date.now() - SESSION_ABSOLUTE_TIMEOUT_MS - 60_000));
      await ctx.db.update(sessions).set({ lastSeenAt: new Date(Date.now() - 60_000) }).where(eq(sessions.userId, user.id));
      const page = await outcome(() => profileLoader(call(makeRequest('/profile', { cookie }))));
      expect(page.status).toBe(302);
      expect(await ctx.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
    });
  });

  describe('password change', () => {
    it('ends every other session of the account and keeps this one', async () => {
      const user = await createUser(ctx.db);
      const here = await signIn(ctx, user.id);
      const elsewhere = await signIn(ctx, user.id);
      const changed = await outcome(() =>
        profileAction(
          call(makeRequest('/profile', { form: { intent: 'password', currentPassword: TEST_PASSWORD, newPassword: 'quartz-meadow-lantern-2040' }, cookie: here })),
        ),
      );
      expect(changed.status).toBe(302);
      expect(await ctx.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(1);
      expect((await outcome(() => profileLoader(call(makeRequest('/profile', { cookie: elsewhere }))))).status).toBe(302);
      expect((await outcome(() => profileLoader(call(makeRequest('/profile', { cookie: here }))))).status).toBe(200);
    });
  });
});
