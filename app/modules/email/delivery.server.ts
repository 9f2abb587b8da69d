import { and, eq, lt, or, sql } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import { outboxEmails } from '#db/schema';
import type { AppContext } from '../context.server';
import { BOSS_SCHEMA, QUEUES } from '../jobs/jobs.server';
import { deliveryJobOptions } from './outbox.server';
import type { MailTransport } from './transport.server';

export const MAX_DELIVERY_ATTEMPTS = 6;

export type DeliveryOutcome = 'sent' | 'already-done' | 'busy' | 'failed';

/**
 * Delivers one outbox message. A lease keeps two workers from sending it at
 * once; a worker that dies mid-send leaves a lease that runs out, after which
 * a retry or the sweep delivers it. Errors are rethrown so pg-boss retries
 * with backoff; after the last attempt the message is marked failed for admins.
 */
export async function deliverOutboxEmail(context: AppContext, transport: MailTransport, outboxId: string): Promise<DeliveryOutcome> {
  const [claimed] = await context.db
    .update(outboxEmails)
    .set({
      status: 'sending',
      attempts: sql`${outboxEmails.attempts} + 1`,
      // EMAIL_LEASE_SECONDS: long enough for a slow SMTP server, short enough that a dead worker's message soon goes out.
      leaseUntil: sql`now() + make_interval(secs => ${context.config.emailLeaseSeconds})`,
    })
    .where(
      and(
        eq(outboxEmails.id, outboxId),
        or(eq(outboxEmails.status, 'queued'), and(eq(outboxEmails.status, 'sending'), lt(outboxEmails.leaseUntil, sql`now()`))),
      ),
    )
    .returning();
  if (!claimed) {
    const [row] = await context.db.select({ status: outboxEmails.status }).from(outboxEmails).where(eq(outboxEmails.id, outboxId));
    return row?.status === 'sending' ? 'busy' : 'already-done';
  }

  try {
    await transport.send({
      from: context.config.mailFrom,
      to: claimed.toAddress,
      subject: claimed.subject,
      text: claimed.text,
      html: claimed.html,
      messageId: claimed.messageId,
      attachments: claimed.attachments,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const final = claimed.attempts >= MAX_DELIVERY_ATTEMPTS;
    await context.db
      .update(outboxEmails)
      .set({ status: final ? 'failed' : 'queued', lastError: message.slice(0, 1000), leaseUntil: null })
      .where(eq(outboxEmails.id, outboxId));
    if (final) return 'failed';
    throw error;
  }

  await context.db
    .update(outboxEmails)
    .set({ status: 'sent', sentAt: sql`now()`, leaseUntil: null, lastError: null })
    .where(eq(outboxEmails.id, outboxId));
  return 'sent';
}

/** How often each worker runs the outbox sweep: every minute, or every lease when the lease is shorter. */
export function outboxSweepIntervalMs(config: Pick<AppContext['config'], 'emailLeaseSeconds'>): number {
  return Math.min(60, config.emailLeaseSeconds) * 1000;
}

/**
 * Runs the outbox sweep in this worker process on a timer rather than as a
 * pg-boss cron job, whose schedules cannot run more often than once a
 * minute: a message whose worker died is then sent again within about one
 * lease plus one interval. Every worker sweeps; the stately delivery queue
 * keeps their re-queueing of one message to one waiting job. Stops with pg-boss.
 */
export function startOutboxSweeper(boss: PgBoss, context: AppContext): () => void {
  let running = false;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = true;
    sweepOutbox(context)
      .catch((error: unknown) => console.error('[email] outbox sweep failed; retrying on the next tick', error))
      .finally(() => {
        running = false;
      });
  }, outboxSweepIntervalMs(context.config));
  timer.unref();
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  boss.once('stopped', stop);
  return stop;
}

/**
 * Finds messages nobody is delivering (the process died between commit and
 * queueing, or a worker died mid-send) and queues them again.
 */
export async function sweepOutbox(context: AppContext, olderThanSeconds = 60): Promise<number> {
  const stranded = await context.db
    .select({ id: outboxEmails.id })
    .from(outboxEmails)
    .where(
      or(
        // Never attempted: the job was lost between commit and queueing. A queued row with attempts
        // is waiting for pg-boss's backoff retry, and re-queueing it would cut the backoff short.
        and(
          eq(outboxEmails.status, 'queued'),
          eq(outboxEmails.attempts, 0),
          lt(outboxEmails.createdAt, sql`now() - make_interval(secs => ${olderThanSeconds})`),
        ),
        and(eq(outboxEmails.status, 'sending'), lt(outboxEmails.leaseUntil, sql`now()`)),
      ),
    )
    .limit(500);
  if (stranded.length === 0) return 0;
  // The delivery queue is stately: one active job per message. A worker that died keeps its job active until
  // pg-boss expires it, and meanwhile pg-boss 10 cannot start the new job for that message: its fetch hits the
  // unique index, swallows the error and returns nothing, which stalls every delivery queued behind it.
  // A job active for longer than the lease belongs to a worker that has lost the message anyway, so it is
  // cancelled before the message is queued again.
  const keys = stranded.map(({ id }) => id);
  await context.rawQuery(
    `update ${BOSS_SCHEMA}.job set state = 'cancelled', completed_on = now()
      where name = $1 and state = 'active' and started_on < now() - make_interval(secs => $2)
        and singleton_key in (${keys.map((_, i) => `$${i + 3}`).join(', ')})`,
    [QUEUES.deliverEmail, context.config.emailLeaseSeconds, ...keys],
  );
  // One insert for all of them: during a backlog most of these still have their waiting job, which the
  // stately queue's unique index turns the new one away for — at the cost of one statement, not one each.
  await context.jobs.insert(
    QUEUES.deliverEmail,
    stranded.map(({ id }) => ({ data: { outboxId: id }, options: deliveryJobOptions(id) })),
  );
  return stranded.length;
}

/** Admins send a failed message again (from /admin/emails). */
export async function requeueFailedEmail(context: AppContext, outboxId: string): Promise<boolean> {
  const [row] = await context.db
    .update(outboxEmails)
    .set({ status: 'queued', attempts: 0, lastError: null })
    .where(and(eq(outboxEmails.id, outboxId), eq(outboxEmails.status, 'failed')))
    .returning({ id: outboxEmails.id });
  if (!row) return false;
  await context.jobs.send(QUEUES.deliverEmail, { outboxId }, deliveryJobOptions(outboxId));
  return true;
}
