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
 * A new i18next instance for a language. Resources are bundled, so
 * initialisation is synchronous. Pages use `i18nFor`; this is for code that
 * needs an instance of its own.
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

const shared = new Map<Locale, I18n>();

/**
 * The i18next instance of a language, made once and shared: once per server
 * process for every request, once per page load in the browser. Building one
 * (init, the resource store, the plural rules) cost more than all the
 * translating a page does. Sharing is safe because the language of an
 * instance never changes: nothing calls changeLanguage, a page in another
 * language takes that language's instance, and t() is synchronous, so
 * concurrent requests never see each other halfway.
 */
export function i18nFor(locale: Locale): I18n {
  let instance = shared.get(locale);
  if (!instance) {
    instance = memoiseFixedT(createI18n(locale));
    shared.set(locale, instance);
  }
  return instance;
}

type FixedT = ReturnType<I18n['getFixedT']>;
type AnyT = (key: unknown, options?: unknown, ...rest: unknown[]) => unknown;

/** Distinct texts kept per translator; more are possible only with many distinct values (names), and then it starts again. */
const MAX_MEMOISED = 5_000;

/** Options whose text depends on nothing but their JSON: count, names and the like. */
function isPlainOptions(options: unknown): boolean {
  if (options === undefined) return true;
  if (options === null || typeof options !== 'object' || Object.getPrototypeOf(options) !== Object.prototype) return false;
  for (const value of Object.values(options)) {
    const type = typeof value;
    if (type !== 'string' && type !== 'number' && type !== 'boolean') return false;
  }
  return true;
}

/**
 * A translator that remembers its texts. i18next's t() for the translator
 * `useTranslation` hands out copies all of i18next's options and resolves
 * the key, its plural form and interpolation again on every call, 5–15 µs
 * each, and a page calls it a hundred times with the same few keys and
 * counts. A text depends only on the key and plain options here, since the
 * language of a translator is fixed and the resources are bundled and never
 * change; anything else (several keys, objects, functions) goes to i18next.
 */
function memoisedT(translate: FixedT): FixedT {
  const t = translate as unknown as AnyT;
  const texts = new Map<string, string>();
  const memoised: AnyT = (key, options, ...rest) => {
    if (rest.length > 0 || typeof key !== 'string' || !isPlainOptions(options)) return t(key, options, ...rest);
    const id = options === undefined ? key : `${key}\u0000${JSON.stringify(options)}`;
    const known = texts.get(id);
    if (known !== undefined) return known;
    const text = t(key, options);
    if (typeof text === 'string') {
      if (texts.size >= MAX_MEMOISED) texts.clear();
      texts.set(id, text);
    }
    return text;
  };
  // i18next marks its translators with what they are fixed to; keep the marks.
  const { lng, lngs, ns, keyPrefix } = translate as unknown as Record<string, unknown>;
  return Object.assign(memoised, { lng, lngs, ns, keyPrefix }) as unknown as FixedT;
}

/** Makes getFixedT hand out one remembering translator per language and namespace (what useTranslation asks for), instead of a new one per call. */
function memoiseFixedT(instance: I18n): I18n {
  const getFixedT = instance.getFixedT.bind(instance) as (...args: unknown[]) => FixedT;
  const translators = new Map<string, FixedT>();
  instance.getFixedT = ((lng: unknown, ns: unknown, keyPrefix: unknown, options?: { scopeNs?: unknown }) => {
    if (typeof lng !== 'string' || typeof ns !== 'string' || keyPrefix != null) return getFixedT(lng, ns, keyPrefix, options);
    const id = `${lng}|${ns}|${JSON.stringify(options?.scopeNs ?? null)}`;
    let translator = translators.get(id);
    if (!translator) {
      translator = memoisedT(getFixedT(lng, ns, keyPrefix, options));
      translators.set(id, translator);
    }
    return translator;
  }) as I18n['getFixedT'];
  return instance;
}

/** A translator for server-only text (flash messages, response bodies). */
export function serverT(locale: Locale) {
  return i18nFor(locale).t;
}
