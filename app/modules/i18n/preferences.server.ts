import { parse as parseCookieHeader } from 'cookie';
import { IANAZone } from 'luxon';
import type { RequestContext } from '../context.server';
import { cookies } from '../auth/cookies.server';
import type { Viewer } from '../auth/viewer.server';
import { DEFAULT_LOCALE, isLocale, localeFromAcceptLanguage, type Locale } from './locales';

import { TIME_ZONE_COOKIE } from './time-zone';

export function isValidTimeZone(zone: unknown): zone is string {
  return typeof zone === 'string' && zone.length < 64 && IANAZone.isValidZone(zone);
}

/**
 * The language and time zone to show: the account's own settings, else the
 * visitor's choice (cookies), else what the browser says, else English/UTC.
 */
export async function resolvePreferences(
  context: RequestContext,
  request: Request,
  viewer: Viewer | null,
): Promise<{ locale: Locale; timeZone: string; timeZoneDetected: boolean }> {
  const header = request.headers.get('cookie');
  const chosen = await cookies(context.config).language.parse(header);
  const locale: Locale = viewer?.locale ?? (isLocale(chosen) ? chosen : null) ?? localeFromAcceptLanguage(request.headers.get('accept-language')) ?? DEFAULT_LOCALE;
  const detected = header ? parseCookieHeader(header)[TIME_ZONE_COOKIE] : undefined;
  const browserZone = isValidTimeZone(detected) ? detected : null;
  return { locale, timeZone: viewer?.timeZone ?? browserZone ?? 'UTC', timeZoneDetected: browserZone !== null };
}
