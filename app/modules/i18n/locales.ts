/** The UI languages. Adding one means a locale file beside en.json and a line here. */
export const LOCALES = ['en', 'nb', 'sv', 'fi'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Each language's own name, for the switcher. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  nb: 'Norsk bokmål',
  sv: 'Svenska',
  fi: 'Suomi',
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Tags browsers send that mean one of ours. Norwegian without a script means bokmål here. */
const ALIASES: Record<string, Locale> = { no: 'nb', nn: 'nb', nb: 'nb', sv: 'sv', fi: 'fi', en: 'en' };

/** Picks the best UI language from an Accept-Language header, honouring q-values. */
export function localeFromAcceptLanguage(header: string | null): Locale | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: (tag ?? '').toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1, index };
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const primary = tag.split('-')[0]!;
    const match = ALIASES[primary];
    if (match) return match;
  }
  return null;
}
