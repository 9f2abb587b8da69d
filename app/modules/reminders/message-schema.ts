import { z } from 'zod';
import { message } from '../forms/messages';

export const MESSAGE_SUBJECT_MAX = 200;
export const MESSAGE_BODY_MAX = 10_000;
/** How many sent messages the page lists, newest first. */
export const MESSAGES_LISTED = 50;

const required = message('errors.required');
const tooLong = (max: number) => message('errors.tooLong', { max });

/**
 * A trainer's message to participants, checked alike in the browser and on
 * the server. `token` is drawn when the form is shown and becomes the
 * message's id, so a second click or a resent form sends nothing twice.
 * `sessionId` is empty for the whole offering, else one of its sessions.
 */
export function offeringMessageSchema(sessionIds: readonly string[]) {
  return z.object({
    token: z.uuid({ error: message('messages.errors.staleForm') }),
    sessionId: z
      .string()
      .optional()
      .transform((value) => value || null)
      .refine((value) => value === null || sessionIds.includes(value), { error: message('messages.errors.unknownSession') }),
    subject: z
      .string({ error: required })
      .trim()
      .min(1, { error: required })
      .max(MESSAGE_SUBJECT_MAX, { error: tooLong(MESSAGE_SUBJECT_MAX) })
      // A subject is one line; a pasted line break would end up in a mail header.
      .transform((value) => value.replace(/\s*[\r\n]+\s*/g, ' ')),
    body: z
      .string({ error: required })
      .transform((value) => value.replace(/\r\n?/g, '\n'))
      .pipe(z.string().trim().min(1, { error: required }).max(MESSAGE_BODY_MAX, { error: tooLong(MESSAGE_BODY_MAX) })),
  });
}

export type OfferingMessageInput = z.output<ReturnType<typeof offeringMessageSchema>>;
