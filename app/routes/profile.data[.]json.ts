import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { requireViewer } from '~/modules/auth/viewer.server';
import { notFound, requirePermission } from '~/modules/policy/guard.server';
import { checkExportTicket } from '~/modules/privacy/export-ticket.server';
import { buildDataExport, dataExportFileName } from '~/modules/privacy/export.server';

/**
 * The personal data file, for the signed-in person only and only with the
 * ticket the password form (/profile/data) just gave this session. Without a
 * valid ticket (none, expired, another session's) the browser goes back to
 * the form to confirm the password again.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const signedIn = await requireViewer(context, request);
  const viewer = await requirePermission(context, request, { action: 'account.manage', userId: signedIn.id });
  const now = new Date();
  const ticket = new URL(request.url).searchParams.get('ticket');
  if (!checkExportTicket(context.config.sessionSecret, ticket, { userId: viewer.id, sessionId: viewer.sessionId }, now)) throw redirect('/profile/data');
  const exported = await buildDataExport(context.db, viewer.id, { appUrl: context.config.appUrl }, now);
  if (!exported) notFound();
  return new Response(JSON.stringify(exported, null, 2), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${dataExportFileName(now)}"`,
      // Personal data: never kept by a shared cache, and the ticket in the address is no use once it expires.
      'Cache-Control': 'no-store',
    },
  });
}
