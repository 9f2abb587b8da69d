import { redirect } from '@remix-run/node';
import type { RequestContext } from '../context.server';
import { cookies, type FlashTone } from '../auth/cookies.server';
import type { TranslationKey } from '../i18n/keys';

export type Flash = { key: TranslationKey; params?: Record<string, string>; tone: FlashTone };

/** Redirects after a successful POST, with a one-time message for the next page (kept as a key, so it shows in the viewer's language). */
export async function redirectWithFlash(
  context: RequestContext,
  request: Request,
  to: string,
  flash: Flash,
  headers: HeadersInit = {},
): Promise<Response> {
  const storage = cookies(context.config).flash;
  const session = await storage.getSession(request.headers.get('cookie'));
  session.flash('message', JSON.stringify(flash));
  const out = new Headers(headers);
  out.append('Set-Cookie', await storage.commitSession(session));
  return redirect(to, { headers: out });
}

export async function readFlash(context: RequestContext, request: Request): Promise<{ flash: Flash | null; setCookie: string | null }> {
  const storage = cookies(context.config).flash;
  const cookieHeader = request.headers.get('cookie');
  if (!cookieHeader?.includes('kollega_flash')) return { flash: null, setCookie: null };
  const session = await storage.getSession(cookieHeader);
  const raw = session.get('message');
  if (typeof raw !== 'string') return { flash: null, setCookie: null };
  try {
    return { flash: JSON.parse(raw) as Flash, setCookie: await storage.commitSession(session) };
  } catch {
    return { flash: null, setCookie: await storage.commitSession(session) };
  }
}
