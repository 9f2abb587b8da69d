import { describe, expect, it } from 'vitest';
import en from '~/modules/i18n/locales/en.json';
import fi from '~/modules/i18n/locales/fi.json';
import nb from '~/modules/i18n/locales/nb.json';
import sv from '~/modules/i18n/locales/sv.json';
import { createI18n } from '~/modules/i18n/i18n';
import { localeFromAcceptLanguage } from '~/modules/i18n/locales';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

const english = flatten(en as Tree);
const others = { nb: flatten(nb as Tree), sv: flatten(sv as Tree), fi: flatten(fi as Tree) };

describe('UI translations', () => {
  for (const [locale, strings] of Object.entries(others)) {
    describe(locale, () => {
      it('has exactly the English keys', () => {
        expect([...strings.keys()].sort()).toEqual([...english.keys()].sort());
      });

      it('keeps every placeholder of the English text', () => {
        const mismatched = [...english].filter(([key, text]) => placeholders(text).join() !== placeholders(strings.get(key) ?? '').join());
        expect(mismatched.map(([key]) => key)).toEqual([]);
      });

      it('is translated, not copied from English', () => {
        const same = [...english].filter(([key, text]) => strings.get(key) === text && text.length > 12);
        expect(same.map(([key]) => key)).toEqual([]);
      });
    });
  }

  it('renders in the chosen language through i18next', () => {
    expect(createI18n('nb').t('nav.signIn')).toBe(nb.nav.signIn);
    expect(createI18n('fi').t('errors.rateLimited', { minutes: 15 })).toContain('15');
    expect(localeFromAcceptLanguage('nn-NO,en;q=0.5')).toBe('nb');
  });
});
