import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, CODE_LENGTH, checkCharacter, formatCode, generateCode, normaliseCode, parseCode } from '~/modules/certificates/code';

describe('certificate codes', () => {
  it('are twelve characters of the unambiguous alphabet that pass their own check', () => {
    for (let i = 0; i < 500; i++) {
      const code = generateCode();
      expect(code).toHaveLength(CODE_LENGTH);
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
      expect(parseCode(code)).toEqual({ ok: true, code });
    }
    expect(CODE_ALPHABET).not.toMatch(/[ILOU]/);
  });

  it('are shown in groups of four and read back in any case, with dashes, spaces, O for 0 and I or L for 1', () => {
    const code = generateCode(() => 0).slice(0, 11);
    const full = code + checkCharacter(code);
    expect(full).toBe('000000000000');
    expect(formatCode('ABCDEFGHJK23')).toBe('ABCD-EFGH-JK23');
    expect(normaliseCode(' abcd-efgh – jk23 ')).toBe('ABCDEFGHJK23');
    expect(normaliseCode('oOiIlL')).toBe('001111');
    expect(parseCode('oooo-oooo-oooo')).toEqual({ ok: true, code: '000000000000' });
  });

  it('catch every single mistyped character and every swap of neighbours', () => {
    const code = generateCode();
    let single = 0;
    for (let position = 0; position < CODE_LENGTH; position++) {
      for (const char of CODE_ALPHABET) {
        if (char === code[position]) continue;
        const typo = code.slice(0, position) + char + code.slice(position + 1);
        expect(parseCode(typo)).toEqual({ ok: false, reason: 'mistyped' });
        single++;
      }
    }
    expect(single).toBe(CODE_LENGTH * (CODE_ALPHABET.length - 1));
    for (let position = 0; position < CODE_LENGTH - 1; position++) {
      if (code[position] === code[position + 1]) continue;
      const swapped = code.slice(0, position) + code[position + 1] + code[position] + code.slice(position + 2);
      const parsed = parseCode(swapped);
      // Luhn mod N misses only the swap of the two values that fold to the same sum (0 and N-1).
      const pair = new Set([code[position], code[position + 1]]);
      if (pair.has('0') && pair.has('Z')) continue;
      expect(parsed).toEqual({ ok: false, reason: 'mistyped' });
    }
  });

  it('tell malformed input apart from a typo', () => {
    expect(parseCode('')).toEqual({ ok: false, reason: 'malformed' });
    expect(parseCode('ABCD-EFGH')).toEqual({ ok: false, reason: 'malformed' });
    expect(parseCode('ABCD-EFGH-JK2U')).toEqual({ ok: false, reason: 'malformed' });
    expect(parseCode('ABCD-EFGH-JK2!')).toEqual({ ok: false, reason: 'malformed' });
    expect(parseCode('ABCD-EFGH-JK23-X')).toEqual({ ok: false, reason: 'malformed' });
  });
});
