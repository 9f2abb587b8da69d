/**
 * Links people type into forms. Pure: the browser checks with it at once,
 * the server decides with the same function.
 */

/**
 * An absolute https URL with a host. With `withoutCredentials`, one that
 * carries a user name or password (https://user:secret@host) is refused too:
 * for links shown to other people.
 */
export function isHttpsUrl(value: string, opts: { withoutCredentials?: boolean } = {}): boolean {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' || url.hostname.length === 0) return false;
    return !opts.withoutCredentials || (!url.username && !url.password);
  } catch {
    return false;
  }
}
