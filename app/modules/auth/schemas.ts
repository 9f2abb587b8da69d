import { z } from 'zod';
import { message } from '../forms/messages';
import { LOCALES } from '../i18n/locales';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-limits';

/**
 * Form schemas shared by the browser (instant feedback) and the server (the
 * decision). Messages are translation keys. Server-only checks (common
 * passwords, known countries and zones) are added in accounts.server.ts.
 */
export const SCHOOL_ROLES = ['teacher', 'head_teacher', 'librarian', 'other_staff', 'student_teacher'] as const;

const required = message('errors.required');

export const text = (max: number) =>
  z
    .string({ error: required })
    .trim()
    .min(1, { error: required })
    .max(max, { error: message('errors.tooLong', { max }) });

export const emailField = z
  .string({ error: required })
  .trim()
  .min(1, { error: required })
  .max(254, { error: message('errors.tooLong', { max: 254 }) })
  .pipe(z.email({ error: message('errors.invalidEmail') }))
  .transform((email) => email.toLowerCase());

export const newPasswordField = z
  .string({ error: required })
  .min(PASSWORD_MIN_LENGTH, { error: message('errors.passwordTooShort') })
  .max(PASSWORD_MAX_LENGTH, { error: message('errors.passwordTooLong') });

const countryField = z
  .string({ error: message('errors.invalidCountry') })
  .regex(/^[A-Z]{2}$/, { error: message('errors.invalidCountry') });
const timeZoneField = z.string({ error: message('errors.invalidTimeZone') }).min(1).max(64, { error: message('errors.invalidTimeZone') });
const localeField = z.enum(LOCALES, { error: message('errors.invalidLocale') });
const schoolRoleField = z.enum(SCHOOL_ROLES, { error: message('errors.invalidSchoolRole') });

export const profileFields = {
  fullName: text(120),
  certificateName: text(120).optional(),
  country: countryField,
  school: text(200),
  schoolRole: schoolRoleField,
  locale: localeField,
  timeZone: timeZoneField,
};

export const registerSchema = z.object({
  email: emailField,
  password: newPasswordField,
  ...profileFields,
});
export type RegisterInput = z.infer<typeof registerSchema>;

export const loginSchema = z.object({
  email: emailField,
  password: z.string({ error: required }).min(1, { error: required }).max(PASSWORD_MAX_LENGTH * 4, { error: message('errors.invalidCredentials') }),
  redirectTo: z.string().optional(),
});

export const forgotPasswordSchema = z.object({ email: emailField });

export const resetPasswordSchema = z.object({
  token: z.string().min(1).max(200),
  password: newPasswordField,
});

export const profileSchema = z.object({
  email: emailField,
  ...profileFields,
  // conform turns a ticked checkbox into true; an unticked one is absent.
  notifyOnReplies: z.boolean().default(false),
});
export type ProfileInput = z.infer<typeof profileSchema>;

export const changePasswordSchema = z.object({
  currentPassword: z.string({ error: required }).min(1, { error: required }).max(PASSWORD_MAX_LENGTH * 4),
  newPassword: newPasswordField,
});
