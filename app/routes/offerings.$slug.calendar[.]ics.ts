import type { LoaderFunctionArgs } from '@remix-run/node';
import { getViewer } from '~/modules/auth/viewer.server';
import { allSessionsOf, calendarDownload, findOfferingForCalendar, publishedCalendar } from '~/modules/calendar/calendar.server';
import { resolvePreferences } from '~/modules/i18n/preferences.server';
import { notFound, policyEnvironment } from '~/modules/policy/guard.server';
import { can } from '~/modules/policy/policy';

/**
 * Every session of an offering as one .ics file (METHOD:PUBLISH), cancelled
 * ones marked STATUS:CANCELLED, for whoever may see the offering's page.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const slug = params.slug ?? '';
  if (slug.length === 0 || slug.length > 200) notFound();
  const [found, viewer] = await Promise.all([findOfferingForCalendar(context.db, slug), getViewer(context, request)]);
  if (!found || !can(viewer, { action: 'offering.view', offering: found.access }, policyEnvironment(context))) notFound();
  const [sessions, { locale }] = await Promise.all([allSessionsOf(context.db, found.offering), resolvePreferences(context, request, viewer)]);
  const body = publishedCalendar(sessions, { name: found.offering.title, locale, config: context.config, now: new Date() });
  return calendarDownload(body, [found.offering.slug]);
}
