import type { MetaDescriptor } from '@remix-run/node';
import { i18nFor } from '../i18n/i18n';
import type { TranslationKey } from '../i18n/keys';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../i18n/locales';
import { translateKey } from '../i18n/translate';

type MatchLike = { id: string; data?: unknown };

const translatorFor = (locale: Locale) => i18nFor(locale).t;

/** The page's language, from the root loader's data. */
export function localeOf(matches: MatchLike[]): Locale {
  const root = matches.find((m) => m.id === 'root')?.data as { locale?: unknown } | undefined;
  return isLocale(root?.locale) ? root.locale : DEFAULT_LOCALE;
}

/** "Sign in – Kollega": every page names itself, in the viewer's language (WCAG 2.4.2). */
export function pageTitle(matches: MatchLike[], key: TranslationKey, params?: Record<string, unknown>): MetaDescriptor[] {
  return [{ title: `${translateKey(translatorFor(localeOf(matches)), key, params)} – Kollega` }];
}

/** A meta function for a page whose title is one translation key. */
export function titled(key: TranslationKey) {
  return ({ matches }: { matches: MatchLike[] }) => pageTitle(matches, key);
}

/** Title of a page inside an offering's authoring area: "<tab> · <offering> – Kollega". */
export function offeringPageTitle(matches: MatchLike[], key: TranslationKey): MetaDescriptor[] {
  const layout = matches.find((m) => m.id === 'routes/trainer.offerings.$id')?.data as { offering?: { title?: string } } | undefined;
  const tab = translateKey(translatorFor(localeOf(matches)), key);
  return [{ title: layout?.offering?.title ? `${tab} · ${layout.offering.title} – Kollega` : `${tab} – Kollega` }];
}
