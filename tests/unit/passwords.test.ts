import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '~/modules/auth/password.server';
import { isCommonPassword, PASSWORD_MIN_LENGTH } from '~/modules/auth/password-policy.server';

describe('isCommonPassword', () => {
  it.each(['password', 'PASSWORD', '123456789012', 'qwertyuiop', 'iloveyou', 'Password123456!', '!!password2024', 'aaaaaaaaaaaa', 'abcabcabcabc', '121212121212'])(
    'flags %j',
    (password) => {
      expect(isCommonPassword(password)).toBe(true);
    },
  );

  it.each(['Tromsø-lantern-harbour-2031', 'grey kestrel over Bodø', 'vQ7#p2Lm!xR9zT4w'])('accepts %j', (password) => {
    expect(password.length).toBeGreaterThanOrEqual(PASSWORD_MIN_LENGTH);
    expect(isCommonPassword(password)).toBe(false);
  });
});

describe('hashPassword / verifyPassword', () => {
  it('stores scrypt with its parameters and a random salt, and verifies only the right password', async () => {
    const [first, second] = await Promise.all([hashPassword('Tromsø-lantern-harbour-2031'), hashPassword('Tromsø-lantern-harbour-2031')]);
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(first).not.toBe(second);

    expect(await verifyPassword('Tromsø-lantern-harbour-2031', first)).toBe(true);
    expect(await verifyPassword('Tromsø-lantern-harbour-2031', second)).toBe(true);
    expect(await verifyPassword('tromsø-lantern-harbour-2031', first)).toBe(false);
    expect(await verifyPassword('', first)).toBe(false);
  });

  it('compares Unicode in its NFKC form, so the same password typed differently still matches', async () => {
    // "é" as one code point, and as "e" followed by a combining accent.
    const stored = await hashPassword('caf\u00e9-au-lait-matin');
    expect(await verifyPassword('cafe\u0301-au-lait-matin', stored)).toBe(true);
    expect(await verifyPassword('cafe-au-lait-matin', stored)).toBe(false);
    // "ﬁ" (one ligature character) is "fi" after NFKC.
    const ligature = await hashPassword('ﬁnland-winter-lantern');
    expect(await verifyPassword('finland-winter-lantern', ligature)).toBe(true);
  });

  it('rejects stored values that are not its own hashes', async () => {
    expect(await verifyPassword('anything', '')).toBe(false);
    expect(await verifyPassword('anything', '$2b$12$abcdefghijklmnopqrstuv')).toBe(false);
    expect(await verifyPassword('anything', 'scrypt$32768$8$1$')).toBe(false);
  });
});
