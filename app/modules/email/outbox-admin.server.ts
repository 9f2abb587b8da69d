import { count, desc, eq } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { outboxEmails } from '#db/schema';
import { offsetFor, pageCount, PAGE_SIZE } from '../ui/pagination';
import type { OutboxStatus } from './schemas';

/** Outbox messages for /admin/emails, newest first, optionally of one status. */
export async function listOutbox(db: Executor, filter: { status?: OutboxStatus; page: number }) {
  const where = filter.status ? eq(outboxEmails.status, filter.status) : undefined;
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(outboxEmails).where(where);
  const rows = await db
    .select({
      id: outboxEmails.id,
      toAddress: outboxEmails.toAddress,
      subject: outboxEmails.subject,
      template: outboxEmails.template,
      status: outboxEmails.status,
      attempts: outboxEmails.attempts,
      lastError: outboxEmails.lastError,
      createdAt: outboxEmails.createdAt,
      sentAt: outboxEmails.sentAt,
    })
    .from(outboxEmails)
    .where(where)
    .orderBy(desc(outboxEmails.createdAt), desc(outboxEmails.id))
    .limit(PAGE_SIZE)
    .offset(offsetFor(filter.page));
  return { rows, total, page: filter.page, pages: pageCount(total) };
}

export async function outboxEmailStatus(db: Executor, id: string): Promise<OutboxStatus | null> {
  const [row] = await db.select({ status: outboxEmails.status }).from(outboxEmails).where(eq(outboxEmails.id, id)).limit(1);
  return row?.status ?? null;
}
