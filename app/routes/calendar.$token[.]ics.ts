import type { LoaderFunctionArgs } from '@remix-run/node';
import { CALENDAR_CONTENT_TYPE } from '~/modules/calendar/calendar.server';
import { feedCalendar, isFeedToken, loadFeed } from '~/modules/calendar/feeds.server';
import { notFound } from '~/modules/policy/guard.server';

/**
 * A person's calendar subscription: every session of their active
 * enrolments and their personal due dates. Calendar programs cannot sign
 * in, so the secret token in the URL is the key; an unknown or reset token
 * is 404, like a page that does not exist.
 */
export async function loader({ context, params }: LoaderFunctionArgs) {
  if (!isFeedToken(params.token)) notFound();
  const feed = await loadFeed(context.db, params.token);
  if (!feed) notFound();
  return new Response(feedCalendar(feed, context.config, new Date()), {
    headers: {
      'Content-Type': CALENDAR_CONTENT_TYPE,
      'Content-Disposition': 'inline; filename="calendar.ics"',
      // Personal: no shared cache may keep it, and every fetch sees the current sessions.
      'Cache-Control': 'private, no-cache',
      'X-Robots-Tag': 'noindex',
    },
  });
}
