import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions, users } from '#db/schema';
import { getViewer, requireViewer } from '~/modules/auth/viewer.server';
import { verifyPassword } from '~/modules/auth/password.server';
import { action as setLanguage } from '~/routes/set-language';
import { createTestContext, recordingJobQueue, type TestContext } from '../support/context';
import { createUser, signIn, TEST_PASSWORD } from '../support/factories';
import { makeRequest, requestContext } from '../support/requests';

describe('signed-in requests', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('creates users with a working password and their roles', async () => {
    const user = await createUser(ctx.db, { fullName: 'Åse Bjørnstad', roles: [{ role: 'nso', country: 'NO' }, { role: 'trainer' }] });
    expect(user.email).toMatch(/^user-[0-9a-f]+@example\.test$/);
    expect(await verifyPassword(TEST_PASSWORD, user.passwordHash)).toBe(true);
    expect(await verifyPassword('not the password', user.passwordHash)).toBe(false);

    const cookie = await signIn(ctx, user.id);
    const viewer = await getViewer(requestContext(ctx), makeRequest('/', { cookie }));
    expect(viewer).toMatchObject({ id: user.id, fullName: 'Åse Bjørnstad', emailVerified: true });
    expect(viewer!.roles).toEqual(expect.arrayContaining([{ role: 'nso', country: 'NO' }, { role: 'trainer', country: '' }]));
  });

  it('recognises the session cookie and nothing else', async () => {
    const user = await createUser(ctx.db);
    const cookie = await signIn(ctx, user.id);
    expect(cookie).toMatch(/^kollega_session=[^;]+$/);
    const context = requestContext(ctx);

    expect(await getViewer(context, makeRequest('/'))).toBeNull();
    // A signed cookie with one character changed fails the signature check.
    const [name, value] = cookie.split('=') as [string, string];
    const tampered = `${name}=${value.slice(0, -2)}${value.endsWith('A') ? 'B' : 'A'}${value.slice(-1)}`;
    expect(await getViewer(context, makeRequest('/', { cookie: tampered }))).toBeNull();

    // After the session row is gone (log out everywhere), the cookie is worthless.
    await ctx.db.delete(sessions).where(eq(sessions.userId, user.id));
    expect(await getViewer(context, makeRequest('/', { cookie }))).toBeNull();
  });

  it('sends anonymous visitors of a protected page to sign in, and back afterwards', async () => {
    const thrown = await requireViewer(requestContext(ctx), makeRequest('/profile?tab=privacy')).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(302);
    expect((thrown as Response).headers.get('location')).toBe('/login?redirectTo=%2Fprofile%3Ftab%3Dprivacy');
  });

  it('changes the language of the signed-in person from a posted form and redirects only on this site', async () => {
    const user = await createUser(ctx.db, { locale: 'en' });
    const cookie = await signIn(ctx, user.id);

    const response = await setLanguage({
      request: makeRequest('/set-language', { form: { locale: 'sv', redirectTo: '/courses?page=2' }, cookie }),
      context: requestContext(ctx),
      params: {},
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/courses?page=2');
    expect(response.headers.get('set-cookie')).toMatch(/^kollega_lang=/);
    const [row] = await ctx.db.select({ locale: users.locale }).from(users).where(eq(users.id, user.id));
    expect(row!.locale).toBe('sv');

    const offSite = await setLanguage({
      request: makeRequest('/set-language', { form: { locale: 'fi', redirectTo: '//evil.example/phish' }, cookie }),
      context: requestContext(ctx),
      params: {},
    });
    expect(offSite.headers.get('location')).toBe('/');
  });
});
