import { z } from 'zod';
import { message } from '../forms/messages';
import { pageParam } from '../ui/pagination';

/** Form and filter schemas of /admin/users, shared by the browser and the server. */
export const GRANTABLE_ROLES = ['trainer', 'nso', 'admin'] as const;
export const USER_SEARCH_MAX = 200;

const roleField = z.enum(GRANTABLE_ROLES, { error: message('errors.invalidChoice') });
const countryField = z
  .string()
  .regex(/^[A-Z]{2}$/, { error: message('errors.invalidCountry') })
  .optional();

export const grantRoleSchema = z
  .object({
    intent: z.literal('grant'),
    userId: z.string({ error: message('errors.required') }),
    role: roleField,
    country: countryField,
  })
  .superRefine((value, ctx) => {
    if (value.role === 'nso' && !value.country) {
      ctx.addIssue({ code: 'custom', path: ['country'], message: message('errors.nsoNeedsCountry') });
    }
  });

export const removeRoleSchema = z.object({
  intent: z.literal('remove'),
  userId: z.string(),
  role: roleField,
  country: countryField,
});

export const userSearchSchema = z.object({
  q: z.string().max(USER_SEARCH_MAX).optional(),
  /** The person whose grant form is open. */
  user: z.string().optional(),
  page: pageParam,
});
