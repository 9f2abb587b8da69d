import { count, desc, eq, ilike } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { mailboxMessages } from '#db/schema';
import { likePattern, offsetFor, pageCount, PAGE_SIZE } from '../ui/pagination';
import { extractLinks } from './links';

/** The built-in mailbox, newest first; `to` narrows to recipients whose address contains it. */
export async function listMailbox(db: Executor, filter: { to?: string; page: number }) {
  const where = filter.to ? ilike(mailboxMessages.toAddress, likePattern(filter.to)) : undefined;
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(mailboxMessages).where(where);
  const rows = await db
    .select({
      id: mailboxMessages.id,
      fromAddress: mailboxMessages.fromAddress,
      toAddress: mailboxMessages.toAddress,
      subject: mailboxMessages.subject,
      receivedAt: mailboxMessages.receivedAt,
    })
    .from(mailboxMessages)
    .where(where)
    .orderBy(desc(mailboxMessages.receivedAt), desc(mailboxMessages.id))
    .limit(PAGE_SIZE)
    .offset(offsetFor(filter.page));
  return { rows, total, page: filter.page, pages: pageCount(total) };
}

/** One message with the links found in it, or null. */
export async function getMailboxMessage(db: Executor, id: string) {
  const [row] = await db
    .select({
      id: mailboxMessages.id,
      messageId: mailboxMessages.messageId,
      fromAddress: mailboxMessages.fromAddress,
      toAddress: mailboxMessages.toAddress,
      subject: mailboxMessages.subject,
      text: mailboxMessages.text,
      html: mailboxMessages.html,
      receivedAt: mailboxMessages.receivedAt,
    })
    .from(mailboxMessages)
    .where(eq(mailboxMessages.id, id))
    .limit(1);
  if (!row) return null;
  return { ...row, links: extractLinks(row.text, row.html) };
}
