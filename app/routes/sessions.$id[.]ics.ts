import type { LoaderFunctionArgs } from '@remix-run/node';
import { getViewer } from '~/modules/auth/viewer.server';
import { calendarDownload, findSessionForCalendar, publishedCalendar } from '~/modules/calendar/calendar.server';
import { resolvePreferences } from '~/modules/i18n/preferences.server';
import { notFound, policyEnvironment } from '~/modules/policy/guard.server';
import { can } from '~/modules/policy/policy';
import { isUuid } from '~/modules/ui/ids';

/**
 * One session as an .ics file (METHOD:PUBLISH), for whoever may see the
 * offering's page; a cancelled session comes as STATUS:CANCELLED. A draft's
 * session is 404 for everyone else, signed in or not, like the page itself.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  if (!isUuid(params.id)) notFound();
  const [found, viewer] = await Promise.all([findSessionForCalendar(context.db, params.id), getViewer(context, request)]);
  if (!found || !can(viewer, { action: 'offering.view', offering: found.access }, policyEnvironment(context))) notFound();
  const { locale } = await resolvePreferences(context, request, viewer);
  const body = publishedCalendar([found.session], { name: found.offering.title, locale, config: context.config, now: new Date() });
  return calendarDownload(body, [found.offering.slug, found.session.title]);
}
