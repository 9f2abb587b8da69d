import { describe, expect, it } from 'vitest';
import { localeFromAcceptLanguage } from '~/modules/i18n/locales';

describe('localeFromAcceptLanguage', () => {
  it.each([
    ['sv-SE,sv;q=0.9,en;q=0.8', 'sv'],
    ['en;q=0.5, fi;q=0.9', 'fi'],
    ['de-DE, fi;q=0.1', 'fi'],
    ['fi;q=0, en', 'en'],
    ['sv, fi', 'sv'],
    ['fi;q=0.8, sv;q=0.8', 'fi'],
    ['EN-gb', 'en'],
    ['  fi-FI ; q=1 ', 'fi'],
    ['nn-NO,de;q=0.5', 'nb'],
    ['no', 'nb'],
    ['nb-NO', 'nb'],
    ['de-DE,de;q=0.9,nn;q=0.4', 'nb'],
  ])('picks a supported language from %j', (header, expected) => {
    expect(localeFromAcceptLanguage(header)).toBe(expected);
  });

  it.each([null, '', 'de-DE,fr;q=0.9', '*', 'fi;q=0', 'pl;q=abc'])('returns null for %j', (header) => {
    expect(localeFromAcceptLanguage(header)).toBeNull();
  });
});
