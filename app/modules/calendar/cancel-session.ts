import { z } from 'zod';
import { message } from '../forms/messages';

/** Long enough for a sentence or two to the participants; they read it in the cancellation email. */
export const CANCEL_REASON_MAX = 500;

/** The Sessions tab's "Cancel session" form. */
export const cancelSessionSchema = z.object({
  intent: z.literal('cancel'),
  sessionId: z.uuid({ error: message('errors.invalidChoice') }),
  reason: z
    .string({ error: message('errors.required') })
    .trim()
    .min(1, { error: message('errors.required') })
    .max(CANCEL_REASON_MAX, { error: message('errors.tooLong', { max: CANCEL_REASON_MAX }) }),
});
