/**
 * A redirect target from user input, kept on this site: only paths that start
 * with a single slash pass ("//evil.example" and "https://…" do not).
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback;
  // eslint-disable-next-line no-control-regex -- control characters in a redirect target are an attack, not a typo
  if (/[\u0000-\u001f]/.test(to)) return fallback;
  return to;
}
