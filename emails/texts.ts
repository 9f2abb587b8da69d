import en, { type EmailTexts } from './locales/en';
import fi from './locales/fi';
import nb from './locales/nb';
import sv from './locales/sv';

export type EmailLocale = 'en' | 'nb' | 'sv' | 'fi';

const texts: Record<EmailLocale, EmailTexts> = { en, nb, sv, fi };

export function textsFor(locale: EmailLocale): EmailTexts {
  return texts[locale] ?? en;
}

/** Fills {placeholders}; values are plain text (the layout escapes them for HTML). */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
