import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mailboxMessages, outboxEmails } from '#db/schema';
import {
  MAX_DELIVERY_ATTEMPTS,
  deliverOutboxEmail,
  requeueFailedEmail,
  sweepOutbox,
} from '~/modules/email/delivery.server';
import { dispatchEmails, enqueueEmail, messageIdFor, withMailer, type OutgoingEmail } from '~/modules/email/outbox.server';
import { createMailTransport, type MailMessage, type MailTransport } from '~/modules/email/transport.server';
import type { AppContext } from '~/modules/context.server';
import { QUEUES } from '~/modules/jobs/jobs.server';
import { createTestContext, jobsInQueue, type TestContext } from '../support/context';
import { parseMime, partOfType } from '../support/mime';

const NAME = 'Łucja <b>Żółkiewska</b>';
const URL_IN_MAIL = 'http://localhost:3000/verify-email?token=abc&source=test';

function verifyEmail(key: string, to = 'lucja@example.test'): OutgoingEmail<'verify-email'> {
  return { template: 'verify-email', to, locale: 'en', data: { name: NAME, url: URL_IN_MAIL }, idempotencyKey: key };
}

async function outboxRow(ctx: TestContext, id: string) {
  const [row] = await ctx.db.select().from(outboxEmails).where(eq(outboxEmails.id, id));
  return row!;
}

async function deliveryJobsFor(ctx: TestContext, outboxId: string) {
  return (await jobsInQueue(ctx, QUEUES.deliverEmail)).filter((job) => job.data.outboxId === outboxId);
}

function failingTransport(message = 'SMTP 451 try again later'): MailTransport & { calls: number } {
  const transport = {
    kind: 'smtp' as const,
    calls: 0,
    async send(_message: MailMessage) {
      transport.calls++;
      throw new Error(message);
    },
    close() {},
  };
  return transport;
}

describe('email outbox', () => {
  let ctx: TestContext;
  let mailbox: MailTransport;

  beforeAll(async () => {
    ctx = await createTestContext();
    mailbox = createMailTransport(ctx.config, ctx.db);
  });
  afterAll(async () => {
    mailbox?.close();
    await ctx?.close();
  });
  beforeEach(async () => {
    await ctx.db.delete(outboxEmails);
    await ctx.db.delete(mailboxMessages);
    await ctx.handle.query('delete from pgboss.job where name = $1', [QUEUES.deliverEmail]);
  });

  it('writes one row for two enqueues with the same idempotency key', async () => {
    const first = await enqueueEmail(ctx.db, ctx, verifyEmail('verify:1'));
    const second = await enqueueEmail(ctx.db, ctx, verifyEmail('verify:1', 'someone-else@example.test'));
    expect(first).toEqual(expect.any(String));
    expect(second).toBeNull();

    const rows = await ctx.db.select().from(outboxEmails);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: first,
      status: 'queued',
      attempts: 0,
      toAddress: 'lucja@example.test',
      template: 'verify-email',
      messageId: messageIdFor('verify:1', ctx.config.appUrl),
    });
    expect(rows[0]!.text).toContain(URL_IN_MAIL);
  });

  it('queues one delivery job per new message after withMailer commits, and none for a repeat', async () => {
    const result = await withMailer(ctx, async (_tx, mailer) => {
      await mailer.send(verifyEmail('verify:2'));
      await mailer.send(verifyEmail('verify:2'));
      return 'done';
    });
    expect(result).toBe('done');
    await withMailer(ctx, (_tx, mailer) => mailer.send(verifyEmail('verify:2')));

    const rows = await ctx.db.select().from(outboxEmails);
    expect(rows).toHaveLength(1);
    const jobs = await jobsInQueue(ctx, QUEUES.deliverEmail);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data).toEqual({ outboxId: rows[0]!.id });
  });

  it('queues the deliveries handed over in the same turn of the event loop in one statement, one job per message, none twice', async () => {
    const statements: number[] = [];
    const counting = {
      send: ctx.jobs.send.bind(ctx.jobs),
      insert: async (...args: Parameters<TestContext['jobs']['insert']>) => {
        statements.push(args[1].length);
        await ctx.jobs.insert(...args);
      },
    };
    const ids = await ctx.db.transaction(async (tx) =>
      Promise.all(['verify:a', 'verify:b', 'verify:c'].map(async (key) => (await enqueueEmail(tx, ctx, verifyEmail(key)))!)),
    );
    // Three use cases finishing together, as requests do under load.
    await Promise.all(ids.map((id) => dispatchEmails(counting, [id])));
    expect(statements).toEqual([3]);
    const jobs = await jobsInQueue(ctx, QUEUES.deliverEmail);
    expect(jobs.map((j) => j.data.outboxId).sort()).toEqual([...ids].sort());
    // Handing the same messages over again (the sweep, a retry) queues nothing new while their jobs wait.
    await dispatchEmails(ctx.jobs, ids);
    expect(await jobsInQueue(ctx, QUEUES.deliverEmail)).toHaveLength(3);
  });

  it('leaves no outbox row and queues no job when the transaction rolls back', async () => {
    await expect(
      withMailer(ctx, async (_tx, mailer) => {
        await mailer.send(verifyEmail('verify:rolled-back'));
        throw new Error('the use case failed after sending');
      }),
    ).rejects.toThrow('the use case failed after sending');

    expect(await ctx.db.select().from(outboxEmails)).toEqual([]);
    expect(await jobsInQueue(ctx, QUEUES.deliverEmail)).toEqual([]);
  });

  it('keeps the committed message when the job queue is down, for the sweep to pick up', async () => {
    const downQueue: AppContext = {
      ...ctx,
      jobs: {
        send: async () => {
          throw new Error('connection refused');
        },
        insert: async () => {
          throw new Error('connection refused');
        },
      },
    };
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await withMailer(downQueue, (_tx, mailer) => mailer.send(verifyEmail('verify:queue-down')));
      expect(logged).toHaveBeenCalledOnce();
    } finally {
      logged.mockRestore();
    }
    const rows = await ctx.db.select().from(outboxEmails);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe('queued');
  });

  it('delivers to the built-in mailbox once, with both parts and the deterministic Message-ID', async () => {
    const id = (await enqueueEmail(ctx.db, ctx, verifyEmail('verify:3')))!;
    expect(await deliverOutboxEmail(ctx, mailbox, id)).toBe('sent');

    const messages = await ctx.db.select().from(mailboxMessages);
    expect(messages).toHaveLength(1);
    const message = messages[0]!;
    const expectedId = messageIdFor('verify:3', ctx.config.appUrl);
    expect(message.messageId).toBe(expectedId);
    expect(message.toAddress).toBe('lucja@example.test');
    expect(message.subject).toBe('Confirm your email address');
    expect(message.text).toContain(URL_IN_MAIL);
    expect(message.html).toContain('Łucja &lt;b&gt;Żółkiewska&lt;/b&gt;');

    const mime = parseMime(message.raw);
    expect(mime.headers.get('message-id')).toBe(expectedId);
    expect(mime.headers.get('content-type')).toMatch(/^multipart\/alternative/);
    const text = partOfType(mime, 'text/plain');
    const html = partOfType(mime, 'text/html');
    expect(text?.body).toContain(URL_IN_MAIL);
    expect(text?.body).toContain('Hello Łucja <b>Żółkiewska</b>,');
    expect(html?.body).toContain('Łucja &lt;b&gt;Żółkiewska&lt;/b&gt;');

    const row = await outboxRow(ctx, id);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, leaseUntil: null, lastError: null });
    expect(row.sentAt).toBeInstanceOf(Date);

    // A retried job for a message already sent does nothing.
    expect(await deliverOutboxEmail(ctx, mailbox, id)).toBe('already-done');
    expect(await ctx.db.select().from(mailboxMessages)).toHaveLength(1);
    expect((await outboxRow(ctx, id)).attempts).toBe(1);
  });

  it('keeps a message queued with the error while attempts remain, then marks it failed', async () => {
    const id = (await enqueueEmail(ctx.db, ctx, verifyEmail('verify:4')))!;
    const transport = failingTransport();

    for (let attempt = 1; attempt < MAX_DELIVERY_ATTEMPTS; attempt++) {
      await expect(deliverOutboxEmail(ctx, transport, id)).rejects.toThrow('SMTP 451 try again later');
      expect(await outboxRow(ctx, id)).toMatchObject({
        status: 'queued',
        attempts: attempt,
        lastError: 'SMTP 451 try again later',
        leaseUntil: null,
      });
    }
    expect(await deliverOutboxEmail(ctx, transport, id)).toBe('failed');
    expect(await outboxRow(ctx, id)).toMatchObject({ status: 'failed', attempts: MAX_DELIVERY_ATTEMPTS, lastError: 'SMTP 451 try again later' });
    expect(transport.calls).toBe(MAX_DELIVERY_ATTEMPTS);

    // A failed message is not picked up again by a stray job.
    expect(await deliverOutboxEmail(ctx, mailbox, id)).toBe('already-done');
    expect(await ctx.db.select().from(mailboxMessages)).toEqual([]);

    // Until an admin sends it again.
    expect(await requeueFailedEmail(ctx, id)).toBe(true);
    expect(await outboxRow(ctx, id)).toMatchObject({ status: 'queued', attempts: 0, lastError: null });
    expect(await deliveryJobsFor(ctx, id)).toHaveLength(1);
    expect(await requeueFailedEmail(ctx, id)).toBe(false);
    expect(await deliverOutboxEmail(ctx, mailbox, id)).toBe('sent');
  });

  it('leaves a message alone while another worker holds its lease, and re-claims it once the lease has run out', async () => {
    const id = (await enqueueEmail(ctx.db, ctx, verifyEmail('verify:5')))!;
    await ctx.db
      .update(outboxEmails)
      .set({ status: 'sending', attempts: 1, leaseUntil: sql`now() + interval '60 seconds'` })
      .where(eq(outboxEmails.id, id));
    expect(await deliverOutboxEmail(ctx, mailbox, id)).toBe('busy');
    expect(await ctx.db.select().from(mailboxMessages)).toEqual([]);

    // The worker died mid-send: its lease ran out.
    await ctx.db
      .update(outboxEmails)
      .set({ leaseUntil: sql`now() - interval '1 second'` })
      .where(eq(outboxEmails.id, id));
    expect(await deliverOutboxEmail(ctx, mailbox, id)).toBe('sent');
    expect(await outboxRow(ctx, id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await ctx.db.select().from(mailboxMessages)).toHaveLength(1);
  });

  it('re-queues stranded messages on a sweep and leaves the rest', async () => {
    const ids: Record<string, string> = {};
    for (const key of ['old-queued', 'expired-lease', 'fresh-queued', 'live-lease', 'sent', 'failed']) {
      ids[key] = (await enqueueEmail(ctx.db, ctx, verifyEmail(`sweep:${key}`)))!;
    }
    const set = (key: string, values: Partial<typeof outboxEmails.$inferInsert> | Record<string, unknown>) =>
      ctx.db.update(outboxEmails).set(values).where(eq(outboxEmails.id, ids[key]!));
    await set('old-queued', { createdAt: sql`now() - interval '5 minutes'` });
    await set('expired-lease', { status: 'sending', createdAt: sql`now() - interval '5 minutes'`, leaseUntil: sql`now() - interval '1 second'` });
    await set('live-lease', { status: 'sending', createdAt: sql`now() - interval '5 minutes'`, leaseUntil: sql`now() + interval '1 minute'` });
    await set('sent', { status: 'sent', createdAt: sql`now() - interval '5 minutes'` });
    await set('failed', { status: 'failed', createdAt: sql`now() - interval '5 minutes'` });

    expect(await sweepOutbox(ctx)).toBe(2);

    const jobs = await jobsInQueue(ctx, QUEUES.deliverEmail);
    expect(jobs.map((job) => job.data.outboxId).sort()).toEqual([ids['old-queued'], ids['expired-lease']].sort());
    expect(jobs.map((job) => job.singleton_key).sort()).toEqual([ids['old-queued'], ids['expired-lease']].sort());

    // The delivery jobs it queued deliver both.
    expect(await deliverOutboxEmail(ctx, mailbox, ids['old-queued']!)).toBe('sent');
    expect(await deliverOutboxEmail(ctx, mailbox, ids['expired-lease']!)).toBe('sent');
    expect(await sweepOutbox(ctx)).toBe(0);
  });
});
