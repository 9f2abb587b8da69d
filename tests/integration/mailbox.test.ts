import type { AppLoadContext, LoaderFunctionArgs } from '@remix-run/node';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mailboxMessages, outboxEmails } from '#db/schema';
import type { Config } from '~/modules/config/config.server';
import { deliverOutboxEmail } from '~/modules/email/delivery.server';
import { extractLinks } from '~/modules/email/links';
import { enqueueEmail } from '~/modules/email/outbox.server';
import { createMailTransport, type MailTransport } from '~/modules/email/transport.server';
import { action as adminEmailsAction, loader as adminEmailsLoader } from '~/routes/admin.emails';
import { loader as messageLoader } from '~/routes/dev.mailbox.$id';
import { loader as listLoader } from '~/routes/dev.mailbox._index';
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

type Env = Config['env'];

async function call(
  ctx: TestContext,
  handler: (args: LoaderFunctionArgs) => unknown,
  request: Request,
  options: { params?: Record<string, string>; env?: Env } = {},
): Promise<Outcome> {
  const base = requestContext(ctx);
  const env = options.env ?? 'production';
  // The mailbox policy depends on where the server runs; the rest of the configuration stays the test's.
  const context = { ...base, config: { ...base.config, env, isProduction: env === 'production' } } as AppLoadContext;
  let value: unknown;
  try {
    value = await handler({ request, context, params: options.params ?? {} });
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

const VERIFY_URL = 'http://localhost:3000/verify-email?token=abc123&x=1';

describe('the built-in mailbox and email delivery pages', () => {
  let ctx: TestContext;
  let mailbox: MailTransport;
  let admin: { id: string; cookie: string };
  let participant: { id: string; cookie: string };
  let counter = 0;

  async function person(overrides: UserOverrides = {}) {
    const user = await createUser(ctx.db, overrides);
    return { ...user, cookie: await signIn(ctx, user.id) };
  }

  /** Mail the way the app sends it: rendered into the outbox, then delivered to the mailbox. */
  async function deliver(to: string, url = VERIFY_URL): Promise<string> {
    const outboxId = await enqueueEmail(ctx.db, ctx, {
      template: 'verify-email',
      to,
      locale: 'en',
      data: { name: 'Ole Høiby', url },
      idempotencyKey: `mailbox-test:${++counter}`,
    });
    expect(await deliverOutboxEmail(ctx, mailbox, outboxId!)).toBe('sent');
    const [row] = await ctx.db.select({ id: mailboxMessages.id }).from(mailboxMessages).where(eq(mailboxMessages.toAddress, to.toLowerCase()));
    return row!.id;
  }

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    mailbox = createMailTransport(ctx.config, ctx.db);
    admin = await person({ roles: [{ role: 'admin' }] });
    participant = await person();
  });
  afterAll(async () => {
    mailbox?.close();
    await ctx?.close();
  });
  beforeEach(async () => {
    await ctx.db.delete(mailboxMessages);
    await ctx.db.delete(outboxEmails);
  });

  describe('who may look', () => {
    it('in production: admins only; others get 404, visitors are sent to sign in', async () => {
      const id = await deliver('ole@example.test');
      expect((await call(ctx, listLoader, makeRequest('/dev/mailbox', { cookie: admin.cookie }))).status).toBe(200);
      expect((await call(ctx, listLoader, makeRequest('/dev/mailbox', { cookie: participant.cookie }))).status).toBe(404);
      const message = await call(ctx, messageLoader, makeRequest(`/dev/mailbox/${id}`, { cookie: participant.cookie }), { params: { id } });
      expect(message.status).toBe(404);
      const anonymous = await call(ctx, listLoader, makeRequest('/dev/mailbox'));
      expect(anonymous.status).toBe(302);
      expect(anonymous.location).toBe('/login?redirectTo=%2Fdev%2Fmailbox');
    });

    it('in development: anyone, signed in or not', async () => {
      const id = await deliver('ole@example.test');
      expect((await call(ctx, listLoader, makeRequest('/dev/mailbox'), { env: 'development' })).status).toBe(200);
      const message = await call(ctx, messageLoader, makeRequest(`/dev/mailbox/${id}`), { params: { id }, env: 'development' });
      expect(message.status).toBe(200);
    });
  });

  it('lists newest first, filters by recipient and paginates 25 a page', async () => {
    for (let i = 0; i < 26; i++) await deliver(`paged-${i}@example.test`);
    await deliver('Marte.Asen@Example.test');
    const first = await call(ctx, listLoader, makeRequest('/dev/mailbox', { cookie: admin.cookie }));
    expect(first.data).toMatchObject({ total: 27, pages: 2, page: 1 });
    expect(first.data.rows[0].toAddress).toBe('marte.asen@example.test');
    const second = await call(ctx, listLoader, makeRequest('/dev/mailbox?page=2', { cookie: admin.cookie }));
    expect(second.data.rows.map((r: { toAddress: string }) => r.toAddress)).toEqual(['paged-1@example.test', 'paged-0@example.test']);

    const filtered = await call(ctx, listLoader, makeRequest('/dev/mailbox?to=MARTE', { cookie: admin.cookie }));
    expect(filtered.data.rows.map((r: { toAddress: string }) => r.toAddress)).toEqual(['marte.asen@example.test']);
    expect(filtered.data.to).toBe('MARTE');

    expect((await call(ctx, listLoader, makeRequest('/dev/mailbox?page=zero', { cookie: admin.cookie }))).status).toBe(400);
    expect((await call(ctx, listLoader, makeRequest(`/dev/mailbox?to=${'a'.repeat(255)}`, { cookie: admin.cookie }))).status).toBe(400);
  });

  it('shows one message with both parts and the links in it', async () => {
    const id = await deliver('ole@example.test');
    const page = await call(ctx, messageLoader, makeRequest(`/dev/mailbox/${id}`, { cookie: admin.cookie }), { params: { id } });
    expect(page.status).toBe(200);
    const { message } = page.data;
    expect(message).toMatchObject({ id, toAddress: 'ole@example.test', fromAddress: ctx.config.mailFrom });
    expect(message.subject).toEqual(expect.any(String));
    expect(message.text).toContain(VERIFY_URL);
    expect(message.html).toContain('verify-email?token=abc123');
    expect(message.links).toContain(VERIFY_URL);
  });

  it('answers a malformed or unknown message id with 404, not 500', async () => {
    for (const id of ['not-a-uuid', "1' or 1=1 --", '00000000-0000-4000-8000-000000000000', '']) {
      const response = await call(ctx, messageLoader, makeRequest(`/dev/mailbox/${encodeURIComponent(id)}`, { cookie: admin.cookie }), { params: { id } });
      expect(response.status, id).toBe(404);
    }
  });

  it('keeps only web links, decoded, once each', () => {
    const links = extractLinks(
      'Open https://a.example/x?y=1. Or https://a.example/x?y=1 again, or (https://b.example/z).',
      '<a href="https://a.example/x?y=1&amp;z=2">x</a> <a href="javascript:alert(1)">bad</a> <a href=\'mailto:x@y\'>m</a>',
    );
    expect(links).toEqual(['https://a.example/x?y=1', 'https://b.example/z', 'https://a.example/x?y=1&z=2']);
  });

  describe('/admin/emails', () => {
    async function outbox(status: 'queued' | 'sending' | 'sent' | 'failed', to: string) {
      const id = await enqueueEmail(ctx.db, ctx, {
        template: 'verify-email',
        to,
        locale: 'en',
        data: { name: 'X', url: VERIFY_URL },
        idempotencyKey: `admin-emails:${++counter}`,
      });
      await ctx.db
        .update(outboxEmails)
        .set({ status, attempts: status === 'failed' ? 6 : 0, lastError: status === 'failed' ? 'SMTP 550 mailbox unavailable' : null })
        .where(eq(outboxEmails.id, id!));
      return id!;
    }
    const get = (url: string, cookie = admin.cookie) => call(ctx, adminEmailsLoader, makeRequest(url, { cookie }));
    const post = (form: Record<string, string>, cookie = admin.cookie) => call(ctx, adminEmailsAction, makeRequest('/admin/emails?status=failed', { form, cookie }));

    it('lists messages newest first, by status, for admins only', async () => {
      await outbox('sent', 'sent@example.test');
      const failed = await outbox('failed', 'failed@example.test');
      const all = await get('/admin/emails');
      expect(all.data.total).toBe(2);
      const onlyFailed = await get('/admin/emails?status=failed');
      expect(onlyFailed.data.rows).toMatchObject([{ id: failed, toAddress: 'failed@example.test', attempts: 6, lastError: 'SMTP 550 mailbox unavailable' }]);
      expect((await get('/admin/emails?status=lost')).status).toBe(400);
      expect((await get('/admin/emails', participant.cookie)).status).toBe(404);
    });

    it('sends a failed message again; anything else is refused with 4xx', async () => {
      const failed = await outbox('failed', 'failed@example.test');
      const sent = await outbox('sent', 'sent@example.test');
      expect((await post({ intent: 'retry', id: failed }, participant.cookie)).status).toBe(404);

      const retried = await post({ intent: 'retry', id: failed });
      expect(retried.status).toBe(302);
      expect(retried.location).toBe('/admin/emails?status=failed');
      const [row] = await ctx.db.select().from(outboxEmails).where(eq(outboxEmails.id, failed));
      expect(row).toMatchObject({ status: 'queued', attempts: 0, lastError: null });

      const notFailed = await post({ intent: 'retry', id: sent });
      expect(notFailed.status).toBe(409);
      expect(notFailed.data.error).toBe('errors.emailNotFailed');
      expect((await post({ intent: 'retry', id: 'x' })).status).toBe(404);
      expect((await post({ intent: 'retry', id: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    });
  });
});
