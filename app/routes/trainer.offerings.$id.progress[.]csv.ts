import type { LoaderFunctionArgs } from '@remix-run/node';
import { loadProgressExport, progressCsv, progressFilterSchema } from '~/modules/learning/progress-grid.server';
import { requireOfferingPermission } from '~/modules/offerings/access.server';
import { notFound } from '~/modules/policy/guard.server';
import { parseSearchParams } from '~/modules/ui/search-params.server';

/** The progress grid as a CSV file: every participant matching the grid's filters, not only one page. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, access } = await requireOfferingPermission(context, request, params.id, 'learning.progress');
  const offeringId = access.id;
  const filter = parseSearchParams(request, progressFilterSchema, viewer.locale);
  const grid = await loadProgressExport(context.db, offeringId, filter, new Date());
  if (!grid) notFound();
  return new Response(progressCsv(grid, viewer.locale, viewer.timeZone), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      // Slugs are made of letters, digits and hyphens; anything else would not belong in a header.
      'Content-Disposition': `attachment; filename="progress-${grid.offering.slug.replace(/[^a-z0-9-]/gi, '')}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
