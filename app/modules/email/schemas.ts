import { z } from 'zod';
import { pageParam } from '../ui/pagination';

/** URL filters of the mailbox and the admin's delivery list. */
export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export const mailboxFilterSchema = z.object({
  to: z.string().max(254).optional(),
  page: pageParam,
});

export const outboxFilterSchema = z.object({
  status: z.enum(OUTBOX_STATUSES).optional(),
  page: pageParam,
});
