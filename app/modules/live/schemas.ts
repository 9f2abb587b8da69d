import { z } from 'zod';
import { message } from '../forms/messages';
import { isHttpsUrl } from '../forms/urls';

/**
 * The trainer session page's small forms, shared by the browser and the
 * server. Messages are translation keys.
 */

export const RECORDING_URL_MAX = 2000;

/** The import form's fields: the report file (preview step) and its bytes again as base64 (save step). */
export const REPORT_FIELD = 'report';
export const REPORT_COPY_FIELD = 'content';

export const MARK_REASON_MAX = 500;

const required = message('errors.required');
const tooLong = (max: number) => message('errors.tooLong', { max });

export const recordingSchema = z.object({
  intent: z.literal('recording'),
  recordingUrl: z
    .string({ error: required })
    .trim()
    .min(1, { error: required })
    .max(RECORDING_URL_MAX, { error: tooLong(RECORDING_URL_MAX) })
    // Shown to participants: https only, and no user name or password in it.
    .refine((value) => isHttpsUrl(value, { withoutCredentials: true }), { error: message('authoring.errors.httpsOnly') }),
});

export const MARK_VALUES = ['attended', 'not-attended', 'clear'] as const;

export const markSchema = z.object({
  intent: z.literal('mark'),
  userId: z.uuid(),
  value: z.enum(MARK_VALUES, { error: message('errors.invalidChoice') }),
  reason: z.string({ error: required }).trim().min(1, { error: required }).max(MARK_REASON_MAX, { error: tooLong(MARK_REASON_MAX) }),
});
