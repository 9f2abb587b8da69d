import { z } from 'zod';
import { message } from '../forms/messages';
import { isUuid } from '../ui/ids';
import { pageParam } from '../ui/pagination';

/** Form and filter schemas of enrolment, shared by the browser and the server. */

export const PARTICIPANT_STATUSES = ['enrolled', 'waitlisted', 'completed', 'withdrawn'] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];

/** At most this many addresses in one invitation form. */
export const INVITE_MAX = 200;
export const PARTICIPANT_SEARCH_MAX = 100;
const EMAIL_MAX = 254;
const single = z.email();

/** The addresses of the invitation textarea: one a line (commas, semicolons and spaces separate too), without duplicates, lower-cased. */
export function splitEmails(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((part) => part.trim().replace(/^<|>$/g, ''))
    .filter((part) => part.length > 0);
}

export const inviteSchema = z.object({
  intent: z.literal('invite'),
  emails: z
    .string({ error: message('errors.required') })
    .trim()
    .min(1, { error: message('errors.required') })
    // 200 addresses of the longest allowed length, with separators.
    .max(INVITE_MAX * (EMAIL_MAX + 2), { error: message('enrolment.errors.tooManyEmails', { max: INVITE_MAX }) })
    .transform((text, ctx) => {
      const all = splitEmails(text);
      const wrong = all.filter((email) => email.length > EMAIL_MAX || !single.safeParse(email).success);
      if (wrong.length > 0) {
        const shown = wrong.slice(0, 5).join(', ') + (wrong.length > 5 ? ' …' : '');
        ctx.addIssue({ code: 'custom', message: message('enrolment.errors.invalidEmails', { count: wrong.length, list: shown }) });
        return z.NEVER;
      }
      const unique = [...new Set(all.map((email) => email.toLowerCase()))];
      if (unique.length === 0) {
        ctx.addIssue({ code: 'custom', message: message('errors.required') });
        return z.NEVER;
      }
      if (unique.length > INVITE_MAX) {
        ctx.addIssue({ code: 'custom', message: message('enrolment.errors.tooManyEmails', { max: INVITE_MAX }) });
        return z.NEVER;
      }
      return unique;
    }),
});

export const participantFilterSchema = z.object({
  status: z.enum(PARTICIPANT_STATUSES).optional(),
  q: z.string().max(PARTICIPANT_SEARCH_MAX).optional(),
  page: pageParam,
  /** The row whose removal is being confirmed (a step that works without JavaScript). */
  remove: z.string().refine(isUuid).optional(),
});

const id = z.string().refine(isUuid);

/** The participant page's buttons, besides the invitation form. */
export const participantActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('remove'), enrolmentId: id }),
  z.object({ intent: z.literal('promote'), enrolmentId: id }),
  z.object({ intent: z.literal('promote-raise'), enrolmentId: id }),
  z.object({ intent: z.literal('revoke'), invitationId: id }),
]);

/** What the offering page's enrolment panel posts. */
export const enrolmentIntentSchema = z.object({ intent: z.enum(['enrol', 'unenrol']) });
