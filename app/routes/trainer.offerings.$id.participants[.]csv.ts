import type { LoaderFunctionArgs } from '@remix-run/node';
import { csvFileName, participantsCsv } from '~/modules/enrolment/csv';
import { allParticipants, requireParticipantManager } from '~/modules/enrolment/participants.server';
import { participantFilterSchema } from '~/modules/enrolment/schemas';
import { serverT } from '~/modules/i18n/i18n';
import { findOffering } from '~/modules/offerings/authoring.server';
import { notFound } from '~/modules/policy/guard.server';
import { parseSearchParams } from '~/modules/ui/search-params.server';
import { countryName } from '~/modules/users/reference-data.server';

/**
 * The participant list (with the page's status and search filters) as a CSV
 * file for spreadsheet programs, in the trainer's language. Only for the
 * offering's own trainers and admins: anyone else gets 404.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, access } = await requireParticipantManager(context, request, params.id);
  const { status, q } = parseSearchParams(request, participantFilterSchema, viewer.locale);
  const [offering, rows] = await Promise.all([findOffering(context.db, access.id), allParticipants(context.db, access.id, { status, q })]);
  if (!offering) notFound();
  const t = serverT(viewer.locale);
  // A deleted account's row stays (it counted); its erased name and placeholder address do not belong in a spreadsheet.
  const shown = rows.map((row) => (row.deleted ? { ...row, fullName: t('privacy.deletedUser'), email: '' } : row));
  const body = participantsCsv(shown, {
    headers: {
      name: t('enrolment.csv.name'),
      email: t('enrolment.csv.email'),
      country: t('enrolment.csv.country'),
      school: t('enrolment.csv.school'),
      status: t('enrolment.csv.status'),
      enrolledAt: t('enrolment.csv.enrolledAt'),
      waitlistPosition: t('enrolment.csv.waitlistPosition'),
      completedAt: t('enrolment.csv.completedAt'),
    },
    status: (value) => t(`enrolment.participants.statuses.${value}`),
    country: (code) => countryName(code, viewer.locale),
  });
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${csvFileName(offering.slug)}"`,
      // Personal data: never kept by a shared cache or the browser's back button.
      'Cache-Control': 'no-store',
    },
  });
}
