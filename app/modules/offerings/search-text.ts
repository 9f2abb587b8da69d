/** Letters NFD does not split into base + accent. */
const SPECIAL: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ß: 'ss', ı: 'i' };

/**
 * Folds text for accent-blind search: lower case, accents removed, the
 * Nordic and Polish letters spelled plainly. "Östersund" and "Ostersund" meet.
 */
export function foldForSearch(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[øæœłđðþßı]/g, (ch) => SPECIAL[ch] ?? ch)
    .replace(/\s+/g, ' ')
    .trim();
}

export function offeringSearchText(offering: { title: string; summary: string; topics: string[] }): string {
  return foldForSearch([offering.title, offering.summary, ...offering.topics].join(' '));
}
