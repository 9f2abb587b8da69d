import type { LoaderFunctionArgs } from '@remix-run/node';
import { certificatesCsv } from '~/modules/certificates/bulk.server';
import { offeringSlug } from '~/modules/certificates/page.server';
import { requireOfferingPermission } from '~/modules/offerings/access.server';
import { notFound } from '~/modules/policy/guard.server';

/** The register of the offering's certificates: code, name, email, issued, status. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, access } = await requireOfferingPermission(context, request, params.id, 'certificate.manage');
  const slug = await offeringSlug(context.db, access.id);
  if (!slug) notFound();
  return new Response(await certificatesCsv(context.db, access.id, viewer.locale, viewer.timeZone), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="certificates-${slug.replace(/[^a-z0-9-]/gi, '')}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
