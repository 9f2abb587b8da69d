import { z } from 'zod';
import { message } from '../forms/messages';

/** Far above any credential we sign (about 3 kB); a paste beyond it is not one of ours. */
export const MAX_TOKEN_LENGTH = 20_000;

const required = message('errors.required');

/** The /verify/credential form: one pasted VC-JWT. */
export const verifyCredentialSchema = z.object({
  token: z
    .string({ error: required })
    .trim()
    .min(1, { error: required })
    .max(MAX_TOKEN_LENGTH, { error: message('errors.tooLong', { max: MAX_TOKEN_LENGTH }) }),
});
