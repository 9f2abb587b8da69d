import { data } from '@remix-run/node';
import type { z } from 'zod';
import { serverT } from '../i18n/i18n';
import type { Locale } from '../i18n/locales';
import type { TranslationKey } from '../i18n/keys';
import { translateKey } from '../i18n/translate';

/** A 400 whose message the error page shows as it is, so it is translated here. */
export function badRequest(locale: Locale, key: TranslationKey, params?: Record<string, string>): never {
  throw data({ message: translateKey(serverT(locale), key, params) }, { status: 400 });
}

/**
 * Reads a list page's filters from the URL. Empty values (the "all" option of
 * a filter form) count as absent; anything the schema refuses is a 400 with a
 * message, never a silently different list.
 */
export function parseSearchParams<S extends z.ZodType>(request: Request, schema: S, locale: Locale): z.infer<S> {
  const params = new URL(request.url).searchParams;
  const raw: Record<string, string> = {};
  for (const [key, value] of params) {
    // PostgreSQL text cannot hold U+0000: such a filter is refused here rather than failing in the query.
    if (value.includes('\u0000')) badRequest(locale, 'errors.badFilter');
    if (value.trim() !== '') raw[key] = value.trim();
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) badRequest(locale, 'errors.badFilter');
  return parsed.data;
}
