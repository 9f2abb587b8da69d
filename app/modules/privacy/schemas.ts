import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from '../auth/password-limits';
import { message } from '../forms/messages';

/**
 * The forms of "Download my data" and "Delete my account", shared by the
 * browser and the server. Both re-ask the password: a session left open on
 * a shared computer must not be enough to take or erase someone's data.
 */
const currentPassword = z
  .string({ error: message('errors.required') })
  .min(1, { error: message('errors.required') })
  .max(PASSWORD_MAX_LENGTH * 4, { error: message('errors.wrongPassword') });

export const exportDataSchema = z.object({ password: currentPassword });

export const deleteAccountSchema = z.object({
  password: currentPassword,
  // conform turns a ticked checkbox into true; an unticked one is absent.
  confirm: z
    .boolean({ error: message('privacy.errors.confirmRequired') })
    .refine((ticked) => ticked, { error: message('privacy.errors.confirmRequired') }),
});
