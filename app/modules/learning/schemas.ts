import { z } from 'zod';
import { isHttpsUrl } from '../forms/urls';
import { message } from '../forms/messages';

/**
 * The participant's and the trainer's text forms in the course player:
 * limits and zod schemas, shared by the browser (instant feedback), the
 * route's action (the decision) and the domain (discussions.server.ts and
 * submissions.server.ts check the limits again).
 */
export const POST_MAX = 5000;
export const ASSIGNMENT_TEXT_MAX = 20_000;
export const LINK_MAX = 2000;
export const FEEDBACK_MAX = 5000;

const required = message('errors.required');

/** Markdown keeps its leading spaces (a code block), so it is checked, not trimmed. */
const markdown = (max: number) =>
  z
    .string({ error: required })
    .max(max, { error: message('errors.tooLong', { max }) })
    .refine((value) => value.trim().length > 0, { error: required });

export const postSchema = z.object({ body: markdown(POST_MAX) });
export const textSubmissionSchema = z.object({ text: markdown(ASSIGNMENT_TEXT_MAX) });
export const linkSubmissionSchema = z.object({
  link: z
    .string({ error: required })
    .trim()
    .max(LINK_MAX, { error: message('errors.tooLong', { max: LINK_MAX }) })
    .refine((value) => isHttpsUrl(value), { error: message('learn.errors.httpsOnly') }),
});

export const reviewSchema = z
  .object({
    intent: z.enum(['accept', 'return'], { error: message('errors.invalidChoice') }),
    feedback: z
      .string()
      .max(FEEDBACK_MAX, { error: message('errors.tooLong', { max: FEEDBACK_MAX }) })
      .optional()
      .transform((value) => value?.trim() ?? ''),
  })
  .superRefine((value, ctx) => {
    if (value.intent === 'return' && value.feedback.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['feedback'], message: message('review.errors.feedbackRequired') });
    }
  });
