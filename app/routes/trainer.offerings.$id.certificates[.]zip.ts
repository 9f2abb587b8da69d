import { Readable } from 'node:stream';
import type { LoaderFunctionArgs } from '@remix-run/node';
import { certificatesZip } from '~/modules/certificates/bulk.server';
import { offeringSlug } from '~/modules/certificates/page.server';
import { requireOfferingPermission } from '~/modules/offerings/access.server';
import { notFound } from '~/modules/policy/guard.server';

/** Every valid certificate of the offering as one ZIP, streamed as it is made (never built in memory). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { access } = await requireOfferingPermission(context, request, params.id, 'certificate.manage');
  const slug = await offeringSlug(context.db, access.id);
  if (!slug) notFound();
  const archive = certificatesZip(context.db, access.id);
  // A client that goes away cancels the stream, which stops the rendering.
  request.signal.addEventListener('abort', () => archive.destroy(), { once: true });
  return new Response(Readable.toWeb(archive) as ReadableStream<Uint8Array>, {
    headers: {
      'Content-Type': 'application/zip',
      // Slugs are made of letters, digits and hyphens; anything else would not belong in a header.
      'Content-Disposition': `attachment; filename="certificates-${slug.replace(/[^a-z0-9-]/gi, '')}.zip"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
