import type { LoaderFunctionArgs } from '@remix-run/node';
import http from 'node:http';
import net from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offerings, users } from '#db/schema';
import { createActivity, createModule, moveModule } from '~/modules/offerings/structure.server';
import { refuseNulInUrl } from '~/modules/security/url-guard';
import { answerClientError } from '../../server/client-error';
import { hasNulText, NUL_MESSAGE, readFormData } from '~/modules/forms/read-form.server';
import { readLimitedMultipart } from '~/modules/forms/upload.server';
import { action as profileAction } from '~/routes/profile._index';
import { loader as catalogueLoader } from '~/routes/catalogue';
import { createTestContext, recordingJobQueue, type TestContext } from '../support/context';
import { createUser, signIn } from '../support/factories';
import { makeRequest, requestContext } from '../support/requests';

/**
 * Fixes found by the bad-input suite (tests/e2e/bad-input.e2e.ts): PostgreSQL
 * text cannot hold U+0000, so a NUL byte in a form field or a list filter
 * reached the database and came back as a 500. It is now refused with a 400
 * and a message where forms, filters and addresses are read. And a refused
 * change to an offering's structure still touched the offering's updated_at;
 * now a refusal rolls its transaction back.
 */

/** What a loader or action answered, whether it returned or threw. */
async function answer(handler: (args: LoaderFunctionArgs) => unknown, args: LoaderFunctionArgs): Promise<{ status: number; data: unknown }> {
  let value: unknown;
  try {
    value = await handler(args);
  } catch (thrown) {
    value = thrown;
  }
  if (value instanceof Response) return { status: value.status, data: null };
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
    const { data, init } = value as { data: unknown; init: ResponseInit | null };
    return { status: init?.status ?? 200, data };
  }
  if (value instanceof Error) throw value;
  return { status: 200, data: value };
}

describe('a NUL byte in a form or a filter', () => {
  it('is refused by readFormData with a 400 and a message; other control characters and files pass', async () => {
    const post = (body: string) =>
      new Request('http://localhost/profile', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    const thrown = await readFormData(post('fullName=Ada%00Lovelace')).then(
      () => null,
      (error: unknown) => error as { data?: { message?: string }; init?: { status?: number } },
    );
    expect(thrown?.init?.status).toBe(400);
    expect(thrown?.data?.message).toBe(NUL_MESSAGE);
    expect((await readFormData(post('fullName=Ada%E2%80%AELovelace%E2%80%8D'))).get('fullName')).toBe('Ada\u202ELovelace\u200D');

    const withFile = new FormData();
    withFile.set('report', new File([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0x01])], 'a.pdf'));
    expect(hasNulText(withFile)).toBe(false);
    withFile.set('note', 'a\u0000b');
    expect(hasNulText(withFile)).toBe(true);
  });

  it('is refused in a multipart upload form as unreadable (400), while a file may hold NUL bytes', async () => {
    const boundary = 'probe';
    const body = (note: string) =>
      Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\n${note}\r\n`),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="report"; filename="r.csv"\r\nContent-Type: text/csv\r\n\r\n`),
        Buffer.from([0x61, 0x00, 0x62]),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
    const read = (note: string) =>
      readLimitedMultipart(
        new Request('http://localhost/upload', { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body: body(note) }),
        { maxFormBytes: 10_000, partBytes: { report: 1000 }, otherFieldBytes: 1000 },
      );
    expect(await read('a\u0000b')).toEqual({ ok: false, status: 400, problem: 'unreadable' });
    const good = await read('fine');
    expect(good.ok).toBe(true);
  });

  it('in an address (a slug, a token, a search) is answered 400 before routing; other addresses pass', async () => {
    const refused = refuseNulInUrl(new Request('http://localhost/offerings/a%00b'));
    expect(refused?.status).toBe(400);
    expect(await refused?.text()).toMatch(/cannot be used/);
    expect(refuseNulInUrl(new Request('http://localhost/catalogue?q=a%00'))?.status).toBe(400);
    expect(refuseNulInUrl(new Request('http://localhost/offerings/a%2500b'))).toBeNull();
    expect(refuseNulInUrl(new Request('http://localhost/catalogue?q=%E2%80%AE'))).toBeNull();
  });

  describe('through the pages', () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await createTestContext({ jobs: recordingJobQueue() });
    });
    afterAll(async () => {
      await ctx?.close();
    });

    it('the profile save answers 400 and the name stays as it was (was a 500 from PostgreSQL)', async () => {
      const user = await createUser(ctx.db, { fullName: 'Ada Lovelace', certificateName: 'Ada Lovelace' });
      const cookie = await signIn(ctx, user.id);
      const form = {
        intent: 'profile',
        fullName: 'Ada\u0000Lovelace',
        certificateName: 'Ada Lovelace',
        email: user.email,
        country: 'NO',
        school: 'Probe school',
        schoolRole: 'teacher',
        locale: 'en',
        timeZone: 'Europe/Oslo',
      };
      const result = await answer(profileAction, { request: makeRequest('/profile?index', { form, cookie }), context: requestContext(ctx), params: {} });
      expect(result.status).toBe(400);
      expect(result.data).toEqual({ message: NUL_MESSAGE });
      const [stored] = await ctx.db.select({ fullName: users.fullName }).from(users).where(eq(users.id, user.id));
      expect(stored?.fullName).toBe('Ada Lovelace');
    });

    it('a catalogue filter answers 400 with a message (was a 500 from PostgreSQL)', async () => {
      const result = await answer(catalogueLoader, { request: makeRequest('/catalogue?topic=a%00b'), context: requestContext(ctx), params: {} });
      expect(result.status).toBe(400);
      expect(result.data).toMatchObject({ message: expect.stringMatching(/\S/) });
    });
  });
});

describe("a refused change to an offering's structure", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('leaves the offering untouched (its updated_at was bumped by the refused transaction before)', async () => {
    const trainer = await createUser(ctx.db);
    const before = new Date('2026-01-01T00:00:00Z');
    const [offering] = await ctx.db
      .insert(offerings)
      .values({ slug: `bad-input-${trainer.id.slice(0, 8)}`, kind: 'mooc', title: 'Probed', language: 'en', organiserTimeZone: 'Europe/Oslo', createdBy: trainer.id, updatedAt: before })
      .returning({ id: offerings.id });
    const id = offering!.id;
    const updatedAt = async () => (await ctx.db.select({ at: offerings.updatedAt }).from(offerings).where(eq(offerings.id, id)))[0]!.at;
    const later = new Date('2026-02-01T00:00:00Z');

    // A MOOC's activities go in a module: without one the form is refused …
    expect(await createActivity(ctx.db, { offeringId: id, moduleId: null, kind: 'page', title: 'Loose page' }, later)).toEqual({ ok: false, reason: 'module-required' });
    // … as is moving a module that is not there.
    expect(await moveModule(ctx.db, id, '00000000-0000-4000-8000-000000000000', 'up', later)).toEqual({ ok: false });
    expect(await updatedAt()).toEqual(before);

    // A change that goes through still marks the offering as changed.
    const created = await createModule(ctx.db, id, { title: 'Week 1', summary: '', releaseAt: null, releaseOffsetDays: null }, later);
    expect(created.ok).toBe(true);
    expect(await updatedAt()).toEqual(later);
  });
});

describe('a request Node cannot read', () => {
  let server: http.Server;
  let port = 0;
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end('ok'));
    server.on('clientError', answerClientError);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('an address over the header limit gets a 431 with a message (Node sent an empty body)', async () => {
    const answer = await fetch(`http://127.0.0.1:${port}/catalogue?q=${'A'.repeat(20_000)}`);
    expect(answer.status).toBe(431);
    expect(await answer.text()).toMatch(/too long/);
    expect((await fetch(`http://127.0.0.1:${port}/catalogue?q=short`)).status).toBe(200);
  });

  it('a malformed request line gets a 400 with a message', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write('GET /\u0001 nonsense\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply).toMatch(/could not be read/);
  });
});
