import { dictionary } from '@zxcvbn-ts/language-common';

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-limits';

/** zxcvbn-ts's list of about 50,000 passwords seen most often in breaches. */
const common = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

/**
 * True for a password from the common list, or one of them padded with digits
 * and punctuation ("password123456!"), or one character or a short pattern repeated.
 */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  if (common.has(lower)) return true;
  const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/g, '');
  if (core.length >= 3 && common.has(core)) return true;
  if (/^(.{1,4})\1+$/.test(lower)) return true;
  return false;
}
