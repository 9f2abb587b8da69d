import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import fi from './locales/fi.json';
import nb from './locales/nb.json';
import sv from './locales/sv.json';
import { DEFAULT_LOCALE, type Locale } from './locales';

export const resources = {
  en: { translation: en },
  nb: { translation: nb },
  sv: { translation: sv },
  fi: { translation: fi },
} as const;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    // Keys such as school roles contain underscores; "_" must not mean "context".
    contextSeparator: '|';
    resources: { translation: typeof en };
  }
}

/**
 * One i18next instance per request on the server, one per page load in the
 * browser. Resources are bundled, so initialisation is synchronous.
 */
export function createI18n(locale: Locale): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: locale,
    fallbackLng: DEFAULT_LOCALE,
    resources,
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    contextSeparator: '|',
  });
  return instance;
}

/** A translator for server-only text (flash messages, response bodies). */
export function serverT(locale: Locale) {
  return createI18n(locale).t;
}
