import type { AppLoadContext, LoaderFunctionArgs } from '@remix-run/node';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, userRoles } from '#db/schema';
import { action, loader } from '~/routes/admin.users';
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

async function call(ctx: TestContext, handler: (args: LoaderFunctionArgs) => unknown, request: Request): Promise<Outcome> {
  let value: unknown;
  try {
    value = await handler({ request, context: requestContext(ctx) as AppLoadContext, params: {} });
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

describe('/admin/users', () => {
  let ctx: TestContext;
  let admin: { id: string; cookie: string };

  async function person(overrides: UserOverrides = {}) {
    const user = await createUser(ctx.db, overrides);
    return { ...user, cookie: await signIn(ctx, user.id) };
  }

  const get = (url: string, cookie = admin.cookie) => call(ctx, loader, makeRequest(url, { cookie }));
  const post = (form: Record<string, string>, url = '/admin/users', cookie = admin.cookie) => call(ctx, action, makeRequest(url, { form, cookie }));
  const rolesOf = (userId: string) =>
    ctx.db.select({ role: userRoles.role, country: userRoles.country, grantedBy: userRoles.grantedBy }).from(userRoles).where(eq(userRoles.userId, userId));

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    admin = await person({ fullName: 'Astrid Admin', roles: [{ role: 'admin' }] });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('is only for admins: participants, trainers and NSO officers get 404, visitors are sent to sign in', async () => {
    for (const roles of [[], [{ role: 'trainer' as const }], [{ role: 'nso' as const, country: 'NO' }]]) {
      const someone = await person({ roles });
      expect((await get('/admin/users', someone.cookie)).status).toBe(404);
      const target = await person();
      expect((await post({ intent: 'grant', userId: target.id, role: 'admin' }, '/admin/users', someone.cookie)).status).toBe(404);
      expect(await rolesOf(target.id)).toEqual([]);
    }
    const anonymous = await call(ctx, loader, makeRequest('/admin/users'));
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe('/login?redirectTo=%2Fadmin%2Fusers');
  });

  it('finds people by part of their name or email, any case, with their roles, 25 a page', async () => {
    const marker = `zq${Date.now().toString(36)}`;
    const ingrid = await person({ fullName: `Ingrid ${marker} Hansen`, roles: [{ role: 'trainer' }, { role: 'nso', country: 'SE' }] });
    await person({ email: `${marker}.mail@example.test` });
    const byName = await get(`/admin/users?q=${marker.toUpperCase()}`);
    expect(byName.status).toBe(200);
    expect(byName.data.total).toBe(2);
    const row = byName.data.rows.find((r: { id: string }) => r.id === ingrid.id);
    expect(row.roles).toEqual([
      { role: 'trainer', country: '', countryName: '' },
      { role: 'nso', country: 'SE', countryName: 'Sweden' },
    ]);

    // LIKE wildcards are searched for literally.
    expect((await get('/admin/users?q=%25%25')).data.total).toBe(0);
    expect((await get('/admin/users?q=_')).data.total).toBe(0);

    for (let i = 0; i < 26; i++) await person({ fullName: `Paged ${marker} ${String(i).padStart(2, '0')}` });
    const first = await get(`/admin/users?q=Paged+${marker}`);
    expect(first.data).toMatchObject({ total: 26, pages: 2, page: 1 });
    expect(first.data.rows).toHaveLength(25);
    const second = await get(`/admin/users?q=Paged+${marker}&page=2`);
    expect(second.data.rows.map((r: { fullName: string }) => r.fullName)).toEqual([`Paged ${marker} 25`]);
  });

  it('answers overlong searches, bad pages and unknown people with 4xx', async () => {
    expect((await get(`/admin/users?q=${'a'.repeat(201)}`)).status).toBe(400);
    expect((await get('/admin/users?page=-1')).status).toBe(400);
    expect((await get('/admin/users?user=not-a-uuid')).status).toBe(404);
    expect((await get('/admin/users?user=00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const someone = await person({ fullName: 'Grant Target' });
    const open = await get(`/admin/users?user=${someone.id}`);
    expect(open.data.selected).toMatchObject({ id: someone.id, fullName: 'Grant Target' });
    expect(open.data.countries.length).toBeGreaterThan(200);
  });

  it('grants an NSO role with its country, audited, and keeps the list the admin was on', async () => {
    const officer = await person({ fullName: 'Åse Bjørnstad' });
    const response = await post({ intent: 'grant', userId: officer.id, role: 'nso', country: 'NO' }, `/admin/users?q=Bj%C3%B8rnstad&user=${officer.id}`);
    expect(response.status).toBe(302);
    expect(response.location).toBe('/admin/users?q=Bj%C3%B8rnstad');
    expect(await rolesOf(officer.id)).toEqual([{ role: 'nso', country: 'NO', grantedBy: admin.id }]);
    const audit = await ctx.db.select().from(auditLog).where(and(eq(auditLog.subjectId, officer.id), eq(auditLog.action, 'role.granted')));
    expect(audit).toMatchObject([{ actorId: admin.id, subjectType: 'user', details: { role: 'nso', country: 'NO' } }]);
  });

  it('needs a country for an NSO role (field error, 400) and a real role and country', async () => {
    const someone = await person();
    const missing = await post({ intent: 'grant', userId: someone.id, role: 'nso' });
    expect(missing.status).toBe(400);
    expect(missing.data.result.error.country).toEqual(['errors.nsoNeedsCountry']);
    const unknownCountry = await post({ intent: 'grant', userId: someone.id, role: 'nso', country: 'XX' });
    expect(unknownCountry.status).toBe(400);
    expect(unknownCountry.data.result.error.country).toEqual(['errors.invalidCountry']);
    const wrongRole = await post({ intent: 'grant', userId: someone.id, role: 'superuser' });
    expect(wrongRole.status).toBe(400);
    expect(wrongRole.data.result.error.role).toEqual(['errors.invalidChoice']);
    expect((await post({ intent: 'grant', userId: 'nope', role: 'trainer' })).status).toBe(404);
    expect((await post({ intent: 'grant', userId: '00000000-0000-4000-8000-000000000000', role: 'trainer' })).status).toBe(404);
    expect(await rolesOf(someone.id)).toEqual([]);
  });

  it('treats a second grant of the same role as a no-op with a message', async () => {
    const trainer = await person({ roles: [{ role: 'trainer' }] });
    const response = await post({ intent: 'grant', userId: trainer.id, role: 'trainer', country: 'NO' });
    expect(response.status).toBe(302);
    expect(await rolesOf(trainer.id)).toEqual([{ role: 'trainer', country: '', grantedBy: null }]);
    expect(await ctx.db.select().from(auditLog).where(eq(auditLog.subjectId, trainer.id))).toEqual([]);
  });

  it('removes a role, audited, but never the admin’s own admin role', async () => {
    const officer = await person({ roles: [{ role: 'nso', country: 'NO' }, { role: 'nso', country: 'SE' }] });
    const removed = await post({ intent: 'remove', userId: officer.id, role: 'nso', country: 'SE' });
    expect(removed.status).toBe(302);
    expect(await rolesOf(officer.id)).toEqual([{ role: 'nso', country: 'NO', grantedBy: null }]);
    const audit = await ctx.db.select().from(auditLog).where(and(eq(auditLog.subjectId, officer.id), eq(auditLog.action, 'role.removed')));
    expect(audit).toMatchObject([{ actorId: admin.id, details: { role: 'nso', country: 'SE' } }]);

    const own = await post({ intent: 'remove', userId: admin.id, role: 'admin' });
    expect(own.status).toBe(400);
    expect(own.data.error).toBe('errors.cannotRemoveOwnAdmin');
    expect(await rolesOf(admin.id)).toEqual([{ role: 'admin', country: '', grantedBy: null }]);

    // Another admin's admin role can go.
    const other = await person({ roles: [{ role: 'admin' }] });
    expect((await post({ intent: 'remove', userId: other.id, role: 'admin' })).status).toBe(302);
    expect(await rolesOf(other.id)).toEqual([]);
    expect((await post({ intent: 'remove', userId: other.id, role: 'wizard' })).status).toBe(400);
  });
});
