import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The app's UI texts, read from app/modules/i18n/locales/<locale>.json at run
 * time, so a test finds buttons and messages in the language a page is shown
 * in (an account's own language) without copying translations that change.
 */
export type Locale = 'en' | 'nb' | 'sv' | 'fi';

const cache = new Map<Locale, Record<string, unknown>>();

function messages(locale: Locale): Record<string, unknown> {
  let loaded = cache.get(locale);
  if (!loaded) {
    const file = fileURLToPath(new URL(`../../../app/modules/i18n/locales/${locale}.json`, import.meta.url));
    loaded = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    cache.set(locale, loaded);
  }
  return loaded;
}

function lookup(locale: Locale, key: string): string | undefined {
  let node: unknown = messages(locale);
  for (const part of key.split('.')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** The text of `key` in `locale` (English when that language lacks it, like the app), with {{params}} filled in. */
export function tr(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  const template = lookup(locale, key) ?? lookup('en', key);
  if (template === undefined) throw new Error(`No UI text ${key} in ${locale}.json or en.json`);
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A pattern for `key` in `locale` where every {{param}} matches anything (e.g. "Try again in {{minutes}} minutes."). */
export function trPattern(locale: Locale, key: string): RegExp {
  const template = tr(locale, key);
  const parts = template.split(/\{\{\s*\w+\s*\}\}/g).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(parts.join('(.+?)'));
}
