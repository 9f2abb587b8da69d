import { describe, expect, it } from 'vitest';
import en from '~/modules/i18n/locales/en.json';
import { createI18n, i18nFor, serverT } from '~/modules/i18n/i18n';
import { LOCALES } from '~/modules/i18n/locales';

type Tree = { [key: string]: string | Tree };

/** Every key of the English file, plural forms by their base name. */
function keysOf(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [prefix + key.replace(/_(zero|one|two|few|many|other)$/, '')] : keysOf(value, `${prefix}${key}.`),
  );
}

const KEYS = [...new Set(keysOf(en as Tree))];
const OPTIONS: (Record<string, string | number | boolean> | undefined)[] = [
  undefined,
  { count: 0 },
  { count: 1 },
  { count: 2 },
  { count: 5, hours: '2.5', names: 'Anna, Björn', q: 'östersund', zone: 'Europe/Oslo', label: 'x', max: 120, minutes: 15 },
  { lng: 'fi', count: 3 },
];

describe('shared i18next instances', () => {
  it('are made once per language', () => {
    for (const locale of LOCALES) {
      expect(i18nFor(locale)).toBe(i18nFor(locale));
      expect(i18nFor(locale).language).toBe(locale);
    }
    expect(i18nFor('nb')).not.toBe(i18nFor('sv'));
    expect(serverT('sv')('nav.signIn')).toBe(createI18n('sv').t('nav.signIn'));
  });

  it('translate, through the remembering translator useTranslation gets, exactly as a fresh instance does', () => {
    for (const locale of LOCALES) {
      const fresh = createI18n(locale).getFixedT(locale, 'translation') as unknown as (key: unknown, options?: unknown) => unknown;
      // As react-i18next's useTranslation asks for it.
      const getFixedT = i18nFor(locale).getFixedT as unknown as (...args: unknown[]) => typeof fresh;
      const shared = getFixedT(locale, 'translation', undefined, { scopeNs: ['translation'] });
      // Twice: the second round answers from memory.
      for (let round = 0; round < 2; round++) {
        for (const key of [...KEYS, 'no.such.key']) {
          for (const options of OPTIONS) expect(shared(key, options)).toEqual(fresh(key, options));
        }
        expect(shared('no.such.key', 'A default')).toBe(fresh('no.such.key', 'A default'));
        expect(shared(['no.such.key', 'nav.signIn'])).toBe(fresh(['no.such.key', 'nav.signIn']));
        expect(shared('catalogue.card.trainers', { names: ['A', 'B'] })).toBe(fresh('catalogue.card.trainers', { names: ['A', 'B'] }));
      }
    }
  }, 120_000); // every key of every language with every option, twice: a few seconds alone, far more on a loaded machine

  it('hand the same translator to every render', () => {
    const i18n = i18nFor('en');
    expect(i18n.getFixedT('en', 'translation')).toBe(i18n.getFixedT('en', 'translation'));
    expect(i18n.getFixedT('en', 'translation', 'catalogue')('title')).toBe(i18n.t('catalogue.title'));
  });
});
