import { z } from 'zod';
import { message } from '../forms/messages';
import { isUuid } from '../ui/ids';

/** Forms of the trainer's certificates page, shared by the browser and the server. */

export const REASON_MAX = 500;

const reason = z
  .string({ error: message('certificates.errors.reasonRequired') })
  .trim()
  .min(1, { error: message('certificates.errors.reasonRequired') })
  .max(REASON_MAX, { error: message('certificates.errors.reasonTooLong', { max: REASON_MAX }) });

const id = z.string({ error: message('errors.required') }).refine(isUuid, { error: message('errors.invalidChoice') });

export const issueSchema = z.object({ intent: z.literal('issue'), enrolmentId: id, reason });
export const revokeSchema = z.object({ intent: z.literal('revoke'), certificateId: id, reason });

/** `?revoke=<id>` opens the confirmation of that certificate's revocation (a step that works without JavaScript). */
export const certificatesFilterSchema = z.object({ revoke: z.string().refine(isUuid).optional() });
