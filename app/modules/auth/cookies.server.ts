import { createCookie, createCookieSessionStorage, type Cookie } from '@remix-run/node';
import type { Config } from '../config/config.server';
import { SESSION_ABSOLUTE_TIMEOUT_MS } from './sessions.server';

type Cookies = {
  session: Cookie;
  language: Cookie;
  timeZone: Cookie;
  flash: ReturnType<typeof createCookieSessionStorage<Record<string, never>, { message: string; tone: FlashTone }>>;
};
export type FlashTone = 'success' | 'info' | 'error';

const cache = new WeakMap<Config, Cookies>();

/**
 * The platform's cookies, made once per configuration. HttpOnly and
 * SameSite=Lax always; Secure in production and whenever APP_URL is https
 * (a development or test server behind TLS must not send them in clear
 * either). No Domain attribute, so they never reach sibling subdomains.
 */
export function cookies(config: Config): Cookies {
  let made = cache.get(config);
  if (!made) {
    const secure = config.isProduction || config.appUrl.startsWith('https:');
    const base = { httpOnly: true, sameSite: 'lax' as const, secure, path: '/' };
    made = {
      session: createCookie('kollega_session', {
        ...base,
        secrets: [config.sessionSecret],
        maxAge: SESSION_ABSOLUTE_TIMEOUT_MS / 1000,
      }),
      language: createCookie('kollega_lang', { ...base, maxAge: 365 * 24 * 3600 }),
      // Written by the browser's own script (the zone it detects), so not HttpOnly.
      timeZone: createCookie('kollega_tz', { ...base, httpOnly: false, maxAge: 365 * 24 * 3600 }),
      flash: createCookieSessionStorage({
        cookie: { name: 'kollega_flash', ...base, secrets: [config.sessionSecret] },
      }),
    };
    cache.set(config, made);
  }
  return made;
}
