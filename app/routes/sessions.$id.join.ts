import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import type { TranslationKey } from '~/modules/i18n/keys';
import { opensText, type JoinArea } from '~/modules/live/joining';
import { joinSession, sessionForViewer } from '~/modules/live/session-page.server';
import { redirectWithFlash } from '~/modules/ui/flash.server';

/**
 * The tracked join link (/sessions/<id>/join): records a participant's join
 * and sends them on to the provider (303); anyone else, or anyone outside the
 * window, goes back to the session page, which says why. Someone who may not
 * see the session gets 404, an anonymous visitor the sign-in page.
 */
const REFUSALS: Record<Exclude<JoinArea['kind'], 'open' | 'sign-in'>, TranslationKey> = {
  cancelled: 'sessionPage.flash.cancelled',
  waitlisted: 'sessionPage.flash.waitlisted',
  'participants-only': 'sessionPage.flash.participantsOnly',
  'not-yet': 'sessionPage.flash.notYet',
  ended: 'sessionPage.flash.ended',
  'no-link': 'sessionPage.flash.noLink',
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const found = await sessionForViewer(context, request, params.id);
  const page = `/sessions/${found.session.id}`;
  if (!found.viewer) throw redirect(`/login?redirectTo=${encodeURIComponent(`${page}/join`)}`);
  const now = new Date();
  const outcome = await joinSession(context, found, now);
  if (outcome.ok) return redirect(outcome.url, { status: 303, headers: { 'Cache-Control': 'no-store' } });
  const { area } = outcome;
  if (area.kind === 'sign-in') throw redirect(`/login?redirectTo=${encodeURIComponent(`${page}/join`)}`);
  const { timeZone, locale } = found.viewer;
  const flashParams = area.kind === 'not-yet' ? { time: opensText(area.opensAt, now, timeZone, locale) } : undefined;
  return redirectWithFlash(context, request, page, { key: REFUSALS[area.kind], params: flashParams, tone: 'info' });
}
