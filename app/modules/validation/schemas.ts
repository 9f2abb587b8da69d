import { z } from 'zod';
import { message } from '../forms/messages';
import { pageParam } from '../ui/pagination';

/** Form and filter schemas for staff validation, shared by the browser and the server. */
export const VALIDATION_TEXT_MAX = 1000;

export const QUEUE_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: message('errors.tooLong', { max }) })
    .optional();

export const validationRequestSchema = z.object({
  note: optionalText(VALIDATION_TEXT_MAX),
});

export const decisionSchema = z
  .object({
    requestId: z.string({ error: message('errors.required') }),
    intent: z.enum(['approve', 'reject'], { error: message('errors.invalidChoice') }),
    reason: optionalText(VALIDATION_TEXT_MAX),
  })
  .superRefine((value, ctx) => {
    if (value.intent === 'reject' && !value.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: message('errors.reasonRequired') });
    }
  });

export const queueFilterSchema = z.object({
  status: z.enum(QUEUE_STATUSES).default('pending'),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  page: pageParam,
});
