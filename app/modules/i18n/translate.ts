import type { TFunction } from 'i18next';
import type { TranslationKey } from './keys';

/**
 * Translates a key chosen at run time (a flash message, a form error).
 * i18next's types check parameters only for literal keys, so this helper
 * checks the key against the English file and passes parameters through.
 */
export function translateKey(t: TFunction, key: TranslationKey | string, params?: Record<string, unknown>): string {
  return (t as unknown as (k: string, o?: object) => string)(key, params);
}
