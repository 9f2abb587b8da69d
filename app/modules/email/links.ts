/**
 * The web links in a message, in order of appearance, without duplicates:
 * from the plain-text part and from the href attributes of the HTML part.
 * Only http(s) links are kept, so nothing like javascript: reaches a page.
 */
export function extractLinks(text: string, html: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/https?:\/\/[^\s<>"')\]]+/gi)) found.push(match[0].replace(/[.,;:!?]+$/, ''));
  for (const match of html.matchAll(/href\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) found.push(decodeEntities(match[1] ?? match[2] ?? ''));
  const seen = new Set<string>();
  return found.filter((link) => {
    if (!/^https?:\/\//i.test(link) || seen.has(link)) return false;
    try {
      new URL(link);
    } catch {
      return false;
    }
    seen.add(link);
    return true;
  });
}

function decodeEntities(value: string): string {
  return value
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}
