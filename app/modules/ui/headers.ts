import type { HeadersFunction } from '@remix-run/node';

/** Headers a page's own responses set that must reach the browser (Remix keeps only Set-Cookie by itself). */
const PASSED_ON = ['retry-after', 'referrer-policy', 'cache-control'];

/**
 * For routes whose loader or action answers with such headers (a 429 with
 * Retry-After, a reset page with Referrer-Policy: no-referrer).
 */
export const passOnHeaders: HeadersFunction = ({ actionHeaders, loaderHeaders, errorHeaders }) => {
  const out = new Headers();
  for (const source of [loaderHeaders, actionHeaders, errorHeaders]) {
    if (!source) continue;
    for (const name of PASSED_ON) {
      const value = source.get(name);
      if (value) out.set(name, value);
    }
  }
  return out;
};
