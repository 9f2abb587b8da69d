/**
 * A request whose path or query carries an encoded NUL byte (%00) is
 * answered 400 before any route sees it: no address of the app holds one,
 * and PostgreSQL text cannot, so a lookup by slug, token or search term with
 * it would otherwise fail in the database as a 500. (A raw NUL never gets
 * this far: Node's HTTP parser refuses it.)
 */
export function refuseNulInUrl(request: Request): Response | null {
  const url = new URL(request.url);
  if (!`${url.pathname}${url.search}`.includes('%00')) return null;
  return new Response('The address contains a character that cannot be used (%00).', {
    status: 400,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  });
}
