/**
 * Certificate codes: eleven random characters and one check character from
 * Crockford's base32 alphabet (no I, L, O or U, so nothing reads as another
 * letter or digit), shown as XXXX-XXXX-XXXX. 55 random bits: guessing a code
 * that exists is hopeless even with millions issued.
 *
 * The check character is Luhn mod 32: every single mistyped character and
 * every swap of two neighbours is caught, so /verify can tell a typo from a
 * code that was never issued.
 */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BASE = CODE_ALPHABET.length;
export const CODE_LENGTH = 12;
const RANDOM_LENGTH = CODE_LENGTH - 1;

const valueOf = new Map([...CODE_ALPHABET].map((char, index) => [char, index]));

/** Luhn mod N over the alphabet: the sum of the doubled-and-folded values, counted from the right. */
function luhnSum(values: number[], doubleFirstFromRight: boolean): number {
  let sum = 0;
  let double = doubleFirstFromRight;
  for (let i = values.length - 1; i >= 0; i--) {
    let addend = double ? values[i]! * 2 : values[i]!;
    addend = Math.floor(addend / BASE) + (addend % BASE);
    sum += addend;
    double = !double;
  }
  return sum;
}

export function checkCharacter(body: string): string {
  const values = [...body].map((char) => valueOf.get(char)!);
  return CODE_ALPHABET[(BASE - (luhnSum(values, true) % BASE)) % BASE]!;
}

/**
 * A uniformly random integer below `max` from the Web Crypto API, which Node
 * and browsers both have (this module is shared with pages, so no node:crypto).
 * Rejection sampling keeps every value equally likely.
 */
function secureRandomInt(max: number): number {
  const limit = Math.floor(0x1_0000_0000 / max) * max;
  const sample = new Uint32Array(1);
  do globalThis.crypto.getRandomValues(sample);
  while (sample[0]! >= limit);
  return sample[0]! % max;
}

export function generateCode(random: (max: number) => number = secureRandomInt): string {
  let body = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) body += CODE_ALPHABET[random(BASE)];
  return body + checkCharacter(body);
}

/** XXXX-XXXX-XXXX, for print and screens. */
export function formatCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}

/**
 * What people type, made comparable: any case, dashes, spaces and dots left
 * out, and the letters Crockford's alphabet leaves out read as the digits
 * they look like (O as 0, I and L as 1).
 */
export function normaliseCode(input: string): string {
  return input
    .toUpperCase()
    .replace(/[\s\-‐‑‒–—_.]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

export type ParsedCode = { ok: true; code: string } | { ok: false; reason: 'malformed' | 'mistyped' };

/** Malformed: not twelve characters of the alphabet. Mistyped: the check character does not match. */
export function parseCode(input: string): ParsedCode {
  const code = normaliseCode(input);
  if (code.length !== CODE_LENGTH || ![...code].every((char) => valueOf.has(char))) return { ok: false, reason: 'malformed' };
  const values = [...code].map((char) => valueOf.get(char)!);
  if (luhnSum(values, false) % BASE !== 0) return { ok: false, reason: 'mistyped' };
  return { ok: true, code };
}
