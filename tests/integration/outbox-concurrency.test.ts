import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mailboxMessages, outboxEmails } from '#db/schema';
import { deliverOutboxEmail, sweepOutbox } from '~/modules/email/delivery.server';
import { enqueueEmail } from '~/modules/email/outbox.server';
import { createMailTransport, type MailMessage, type MailTransport } from '~/modules/email/transport.server';
import { QUEUES } from '~/modules/jobs/jobs.server';
import { createTestContext, jobsInQueue, type TestContext } from '../support/context';

/** Races between workers: real PostgreSQL only (this file is not a *.both.test.ts). */
describe('email outbox under concurrency', () => {
  let ctx: TestContext;
  let mailbox: MailTransport;

  beforeAll(async () => {
    ctx = await createTestContext({ driver: 'postgres' });
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

  const email = (key: string) =>
    enqueueEmail(ctx.db, ctx, {
      template: 'reset-password',
      to: 'race@example.test',
      locale: 'nb',
      data: { name: 'Åse', url: 'http://localhost:3000/reset/xyz' },
      idempotencyKey: key,
    });

  it('sends a message once when many workers try to deliver it at the same moment', async () => {
    const id = (await email('race:1'))!;
    // Slow enough that every other worker arrives while the first still holds the lease.
    const slowMailbox: MailTransport = {
      kind: 'mailbox',
      async send(message: MailMessage) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        await mailbox.send(message);
      },
      close() {},
    };

    const outcomes = await Promise.all(Array.from({ length: 8 }, () => deliverOutboxEmail(ctx, slowMailbox, id)));

    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'busy')).toHaveLength(7);
    expect(await ctx.db.select().from(mailboxMessages)).toHaveLength(1);
    const [row] = await ctx.db.select().from(outboxEmails).where(eq(outboxEmails.id, id));
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('enqueues one row when two transactions race with the same idempotency key', async () => {
    const results = await Promise.all([
      ctx.db.transaction(async (tx) => {
        const id = await enqueueEmail(tx, ctx, { template: 'verify-email', to: 'a@example.test', locale: 'en', data: { name: 'A', url: 'http://localhost:3000/v/1' }, idempotencyKey: 'race:2' });
        await tx.execute(sql`select pg_sleep(0.2)`);
        return id;
      }),
      ctx.db.transaction((tx) =>
        enqueueEmail(tx, ctx, { template: 'verify-email', to: 'a@example.test', locale: 'en', data: { name: 'A', url: 'http://localhost:3000/v/1' }, idempotencyKey: 'race:2' }),
      ),
    ]);
    expect(results.filter((id) => id !== null)).toHaveLength(1);
    expect(await ctx.db.select().from(outboxEmails)).toHaveLength(1);
  });

  it('does not queue a second delivery job for a message whose job is still waiting when the sweep runs again', async () => {
    const id = (await email('sweep:twice'))!;
    await ctx.db
      .update(outboxEmails)
      .set({ createdAt: sql`now() - interval '5 minutes'` })
      .where(eq(outboxEmails.id, id));

    await sweepOutbox(ctx);
    await sweepOutbox(ctx);

    const waiting = (await jobsInQueue(ctx, QUEUES.deliverEmail)).filter((job) => job.data.outboxId === id && job.state !== 'completed');
    expect(waiting).toHaveLength(1);
  });
});
