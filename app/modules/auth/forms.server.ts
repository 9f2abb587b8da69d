import { parseWithZod } from '@conform-to/zod/v4';
import { type z } from 'zod';
import { message } from '../forms/messages';
import { isCommonPassword } from './password-policy.server';
import { changePasswordSchema, profileSchema, registerSchema, resetPasswordSchema } from './schemas';
import { isKnownCountry, isKnownTimeZone } from '../users/reference-data.server';

/**
 * The server's stricter versions of the shared schemas: the common-password
 * list and the country and time-zone lists are checked only here.
 */
function checkProfile(value: { country: string; timeZone: string }, ctx: z.RefinementCtx) {
  if (!isKnownCountry(value.country)) ctx.addIssue({ code: 'custom', path: ['country'], message: message('errors.invalidCountry') });
  if (!isKnownTimeZone(value.timeZone)) ctx.addIssue({ code: 'custom', path: ['timeZone'], message: message('errors.invalidTimeZone') });
}

function checkPassword(path: string) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const password = value[path];
    if (typeof password === 'string' && isCommonPassword(password)) {
      ctx.addIssue({ code: 'custom', path: [path], message: message('errors.passwordCommon') });
    }
  };
}

export const serverRegisterSchema = registerSchema.superRefine(checkProfile).superRefine(checkPassword('password'));
export const serverProfileSchema = profileSchema.superRefine(checkProfile);
export const serverResetPasswordSchema = resetPasswordSchema.superRefine(checkPassword('password'));
export const serverChangePasswordSchema = changePasswordSchema.superRefine(checkPassword('newPassword'));

export { parseWithZod };

/** True when a bot filled in the invisible honeypot field. */
export function isHoneypotFilled(formData: FormData): boolean {
  const value = formData.get('website');
  return typeof value === 'string' && value.length > 0;
}
