import type { TFunction } from 'i18next';
import type { TranslationKey } from '../i18n/keys';
import { translateKey } from '../i18n/translate';

/**
 * Validation messages travel as translation keys (with parameters), so one
 * zod schema serves the server and the browser in every language.
 */
export function message(key: TranslationKey, params?: Record<string, string | number>): string {
  return params ? `${key}|${JSON.stringify(params)}` : key;
}

/** Sections of the locale files that hold form messages: the shared errors, the publish rules, the authoring and structure forms. */
const OUR_MESSAGE_PREFIXES = ['errors.', 'offerings.rules.', 'authoring.errors.', 'authoring.rules.', 'structure.errors.', 'learn.errors.', 'review.errors.', 'enrolment.errors.', 'certificates.errors.', 'messages.errors.', 'privacy.errors.'];

export function translateMessage(t: TFunction, text: string): string {
  const bar = text.indexOf('|');
  const key = bar === -1 ? text : text.slice(0, bar);
  let params: Record<string, unknown> | undefined;
  if (bar !== -1) {
    try {
      params = JSON.parse(text.slice(bar + 1)) as Record<string, unknown>;
    } catch {
      params = undefined;
    }
  }
  // A message that is not one of ours (a library default) still reads sensibly.
  if (!OUR_MESSAGE_PREFIXES.some((prefix) => key.startsWith(prefix))) return translateKey(t, 'errors.invalidChoice');
  return translateKey(t, key, params);
}
