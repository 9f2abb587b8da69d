import { createHash } from 'node:crypto';
import { renderEmail, type EmailLocale, type EmailTemplateName, type EmailTemplates } from '#emails/index';
import type { Executor, Transaction } from '#db/client';
import { outboxEmails, type EmailAttachment } from '#db/schema';
import type { AppContext } from '../context.server';
import { QUEUES, type JobQueue } from '../jobs/jobs.server';

export interface OutgoingEmail<K extends EmailTemplateName> {
  template: K;
  to: string;
  locale: EmailLocale;
  data: EmailTemplates[K];
  /** Same key, same message: a second enqueue is a no-op. */
  idempotencyKey: string;
  /** Files to send along, e.g. a calendar invitation (text/calendar with a method). */
  attachments?: EmailAttachment[];
  /** Ties messages sent together (a trainer's message to everyone) so their delivery can be counted. */
  groupKey?: string;
}

/** Deterministic, so a retried delivery carries the same Message-ID and mail programs can drop a duplicate. */
export function messageIdFor(idempotencyKey: string, appUrl: string): string {
  const digest = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);
  return `<${digest}@${new URL(appUrl).hostname}>`;
}

type SiteContext = Pick<AppContext, 'config'>;

/** The outbox row of a message: rendered in its recipient's language, with its deterministic Message-ID. */
function outboxRowFor<K extends EmailTemplateName>(context: SiteContext, email: OutgoingEmail<K>): typeof outboxEmails.$inferInsert {
  const site = { appUrl: context.config.appUrl, organisationName: context.config.organisationName };
  const rendered = renderEmail(email.template, email.locale, email.data, site);
  return {
    idempotencyKey: email.idempotencyKey,
    messageId: messageIdFor(email.idempotencyKey, context.config.appUrl),
    template: email.template,
    locale: email.locale,
    toAddress: email.to,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    attachments: email.attachments ?? [],
    groupKey: email.groupKey ?? null,
  };
}

/** Renders the message and writes it to the outbox, in the caller's transaction. Returns its id, or null if it was already there. */
export async function enqueueEmail<K extends EmailTemplateName>(db: Executor, context: SiteContext, email: OutgoingEmail<K>): Promise<string | null> {
  return (await enqueueEmails(db, context, [email]))[0] ?? null;
}

/** Rows per INSERT: a thousand recipients make two statements, not a thousand round trips. */
export const OUTBOX_INSERT_BATCH = 500;

/**
 * Writes many messages at once (a reminder or a trainer's message to
 * everyone) in the caller's transaction, in multi-row inserts. A key that is
 * already there is skipped. Returns the ids of the new rows.
 */
export async function enqueueEmails<K extends EmailTemplateName>(db: Executor, context: SiteContext, emails: OutgoingEmail<K>[]): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < emails.length; start += OUTBOX_INSERT_BATCH) {
    const inserted = await db
      .insert(outboxEmails)
      .values(emails.slice(start, start + OUTBOX_INSERT_BATCH).map((email) => outboxRowFor(context, email)))
      .onConflictDoNothing({ target: outboxEmails.idempotencyKey })
      .returning({ id: outboxEmails.id });
    ids.push(...inserted.map((row) => row.id));
  }
  return ids;
}

/** Deliveries waiting to be queued, per job queue: whatever arrives in the same turn of the event loop goes in one statement. */
const waitingDeliveries = new WeakMap<JobQueue, { outboxIds: string[]; queued: Promise<void> }>();

/**
 * Hands committed outbox rows to the workers. Calls made in the same turn
 * of the event loop (many requests enrolling at once, a trainer's message
 * to a thousand people) share one INSERT of their jobs instead of a round
 * trip each; every caller still waits until its jobs are queued. A failure
 * here is healed by the outbox sweep.
 */
export async function dispatchEmails(jobs: JobQueue, outboxIds: string[]): Promise<void> {
  if (outboxIds.length === 0) return;
  let waiting = waitingDeliveries.get(jobs);
  if (!waiting) {
    const batch: string[] = [];
    const queued = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      waitingDeliveries.delete(jobs);
      try {
        await jobs.insert(
          QUEUES.deliverEmail,
          batch.map((outboxId) => ({ data: { outboxId }, options: deliveryJobOptions(outboxId) })),
        );
      } catch (error) {
        console.error('[email] could not queue delivery; the sweep will pick it up', error);
      }
    });
    waiting = { outboxIds: batch, queued };
    waitingDeliveries.set(jobs, waiting);
  }
  waiting.outboxIds.push(...outboxIds);
  await waiting.queued;
}

/** Retries with backoff; keyed by message so the stately queue holds at most one waiting job per message. */
export function deliveryJobOptions(outboxId: string) {
  return { retryLimit: 6, retryDelay: 30, retryBackoff: true, expireInSeconds: 120, singletonKey: outboxId };
}

export interface Mailer {
  send<K extends EmailTemplateName>(email: OutgoingEmail<K>): Promise<void>;
}

/**
 * Runs a use case in one transaction; the messages it sends are written to
 * the outbox in that transaction and handed to the workers after commit.
 */
export async function withMailer<T>(context: AppContext, work: (tx: Transaction, mailer: Mailer) => Promise<T>): Promise<T> {
  const queued: string[] = [];
  const result = await context.db.transaction(async (tx) => {
    const mailer: Mailer = {
      async send(email) {
        const id = await enqueueEmail(tx, context, email);
        if (id) queued.push(id);
      },
    };
    return work(tx, mailer);
  });
  await dispatchEmails(context.jobs, queued);
  return result;
}
