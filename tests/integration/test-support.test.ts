import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { users } from '#db/schema';
import { createTestContext, recordingJobQueue } from '../support/context';
import { withAdmin } from '../support/database';
import { createUser } from '../support/factories';
import { makeRequest } from '../support/requests';

async function databaseExists(name: string): Promise<boolean> {
  return withAdmin(async (sql) => (await sql`select 1 from pg_database where datname = ${name}`).length === 1);
}

/** The harness itself: every test file relies on these promises. */
describe('test databases', () => {
  it('gives each context its own migrated database and drops it on close', async () => {
    const [a, b] = await Promise.all([createTestContext({ jobs: recordingJobQueue() }), createTestContext({ jobs: recordingJobQueue() })]);
    const databaseName = (url: string | undefined) => new URL(url ?? 'postgres://missing/').pathname.slice(1);
    const nameA = databaseName(a.handle.url);
    try {
      expect(a.config.database).toEqual({ kind: 'postgres', url: a.handle.url, poolSize: 5 });
      expect(databaseName(b.handle.url)).not.toBe(nameA);
      expect(nameA).toMatch(/^kollega_t_[0-9a-f]{6}_\d+_[0-9a-f]+$/);
      expect(await databaseExists(nameA)).toBe(true);

      const user = await createUser(a.db, { email: 'only-in-a@example.test' });
      expect(await a.db.select({ id: users.id }).from(users).where(eq(users.email, 'only-in-a@example.test'))).toEqual([{ id: user.id }]);
      expect(await b.db.select().from(users)).toEqual([]);
      // Migrations and pg-boss's schema come with the clone.
      const { rows } = await b.handle.query("select count(*)::int as n from pgboss.queue where name like 'email-%'");
      expect(rows[0]!.n).toBeGreaterThanOrEqual(2);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
    expect(await databaseExists(nameA)).toBe(false);
  });
});

describe('makeRequest', () => {
  it('builds a browser-like form post on the test origin', async () => {
    const request = makeRequest('/login?redirectTo=%2Fcourses', { form: { email: 'a@example.test', note: 'å & ø' }, cookie: 'kollega_session=abc' });
    expect(request.method).toBe('POST');
    expect(request.url).toBe('http://localhost:3000/login?redirectTo=%2Fcourses');
    expect(request.headers.get('origin')).toBe('http://localhost:3000');
    expect(request.headers.get('cookie')).toBe('kollega_session=abc');
    expect(request.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    const form = await request.formData();
    expect(form.get('email')).toBe('a@example.test');
    expect(form.get('note')).toBe('å & ø');
  });

  it('makes GET requests without a body and can leave Origin out', () => {
    const request = makeRequest('/healthz', { origin: null });
    expect(request.method).toBe('GET');
    expect(request.headers.has('origin')).toBe(false);
    expect(request.body).toBeNull();
  });
});
