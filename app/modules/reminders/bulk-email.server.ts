import { renderEmail, type EmailTemplateName } from '#emails/index';
import type { Executor } from '#db/client';
import { outboxEmails } from '#db/schema';
import type { AppContext } from '../context.server';
import { deliveryJobOptions, messageIdFor, type OutgoingEmail } from '../email/outbox.server';
import { QUEUES, type JobQueue } from '../jobs/jobs.server';

/** Rows per INSERT: a thousand participants make two statements, not a thousand round trips. */
export const OUTBOX_INSERT_BATCH = 500;
/** Delivery jobs queued at once after commit. */
const DISPATCH_CONCURRENCY = 16;

/**
 * The outbox's enqueue for many messages at once (a reminder or a trainer's
 * message to everyone): each rendered in its recipient's language, written in
 * the caller's transaction in multi-row inserts. A key that is already there
 * is skipped, as with enqueueEmail. Returns the ids of the new rows.
 */
export async function enqueueEmails<K extends EmailTemplateName>(
  db: Executor,
  context: Pick<AppContext, 'config'>,
  emails: OutgoingEmail<K>[],
): Promise<string[]> {
  const site = { appUrl: context.config.appUrl, organisationName: context.config.organisationName };
  const ids: string[] = [];
  for (let start = 0; start < emails.length; start += OUTBOX_INSERT_BATCH) {
    const rows = emails.slice(start, start + OUTBOX_INSERT_BATCH).map((email) => {
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
    });
    const inserted = await db
      .insert(outboxEmails)
      .values(rows)
      .onConflictDoNothing({ target: outboxEmails.idempotencyKey })
      .returning({ id: outboxEmails.id });
    ids.push(...inserted.map((row) => row.id));
  }
  return ids;
}

/**
 * Hands committed outbox rows to the delivery workers, a few at a time so a
 * thousand messages do not queue one round trip after another. A job that
 * cannot be queued is left to the outbox sweep.
 */
export async function dispatchEmailsInParallel(jobs: JobQueue, outboxIds: string[]): Promise<void> {
  for (let start = 0; start < outboxIds.length; start += DISPATCH_CONCURRENCY) {
    await Promise.all(
      outboxIds.slice(start, start + DISPATCH_CONCURRENCY).map(async (outboxId) => {
        try {
          await jobs.send(QUEUES.deliverEmail, { outboxId }, deliveryJobOptions(outboxId));
        } catch (error) {
          console.error('[email] could not queue delivery; the outbox sweep will pick it up', error);
        }
      }),
    );
  }
}
